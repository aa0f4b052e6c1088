import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite.js';
import type { EventStore } from '../../src/store/port.js';
import { CheckpointRefused, createCheckpointer } from '../../src/verify/checkpoint/checkpointer.js';
import { parseCheckpointText } from '../../src/verify/checkpoint/checkpoint.js';
import { exportCarrierBundle } from '../../src/verify/bundle/export-carrier.js';
import { verifyBundle } from '../../src/verify/bundle/verify-bundle.js';
import { consistencyProofOf, inclusionProofOf } from '../../src/verify/checkpoint/proofs.js';
import { createCheckpointReader } from '../../src/verify/checkpoint/reader.js';
import { CHECKPOINT_STREAM } from '../../src/verify/checkpoint/stream.js';
import { verifySignedCheckpoint } from '../../src/verify/checkpoint/verify-checkpoint.js';
import { hashFromBase64, hashFromHex, leafHash } from '../../src/verify/merkle/hash.js';
import { verifyConsistency, verifyInclusion } from '../../src/verify/merkle/proofs.js';
import { parseNote } from '../../src/verify/note/note.js';
import { buildOffice, type Office } from './fixture.js';

let dir: string;
let path: string;
let store: EventStore;
let office: Office;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custody-checkpointer-'));
  path = join(dir, 'ledger.db');
  store = createSqliteStore({ path });
  office = await buildOffice(store);
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const checkpointEvents = async (s = store) => s.readStream(CHECKPOINT_STREAM);

describe('checkpoints (L-3)', () => {
  it('a checkpoint is a C2SP signed note over every event, recorded in ledger-checkpoints', async () => {
    const signed = await office.checkpointer.checkpoint();
    const note = parseNote(signed.note);
    if (typeof note === 'string') throw new Error(note);
    expect(note.text).toMatch(/^test-ledger\n21\n[A-Za-z0-9+/]{43}=\ntime 2026-11-23T\d\d:\d\d:\d\d\.000Z\nheads 13 [A-Za-z0-9+/]{43}=\n$/);
    expect(note.signatures).toEqual([expect.objectContaining({ name: 'test-ledger' })]);
    expect(verifySignedCheckpoint(signed.note, office.trust).issues).toEqual([]);
    expect((await checkpointEvents()).map((e) => e.type)).toEqual(['CheckpointSigned']);
  });

  it('asking again with nothing new gives the same checkpoint; a new act gives a new one that extends it', async () => {
    const first = await office.checkpointer.checkpoint();
    expect((await office.checkpointer.checkpoint()).revision).toBe(first.revision);
    await office.kit.ledger.submit(office.kit.signed(office.kit.transfer('C1', 'reader2', 'clerk1')));
    const second = await office.checkpointer.checkpoint();
    expect(second).toMatchObject({ revision: first.revision + 1, checkpoint: { size: first.checkpoint.size + 1 } });
    const { proof } = await consistencyProofOf(office.checkpointer, first.checkpoint.size);
    expect(verifyConsistency(first.checkpoint.size, second.checkpoint.size, first.checkpoint.root, second.checkpoint.root, proof.map((p) => hashFromBase64(p)!))).toBe(true);
  });

  it('an inclusion proof served for an event verifies against the signed root', async () => {
    const signed = await office.checkpointer.checkpoint();
    const proof = await inclusionProofOf(office.checkpointer, store, { stream: 'carrier-C1', revision: 2 });
    expect(proof).toMatchObject({ stream: 'carrier-C1', revision: 2, treeSize: signed.checkpoint.size });
    const leaf = leafHash(hashFromHex(proof.hash)!);
    expect(verifyInclusion(proof.leafIndex, proof.treeSize, leaf, proof.proof.map((p) => hashFromBase64(p)!), signed.checkpoint.root)).toBe(true);
  });

  it('taken on a timer: a new checkpoint follows new events without anyone asking', async () => {
    await office.checkpointer.checkpoint();
    await office.kit.ledger.submit(office.kit.signed(office.kit.transfer('C1', 'reader2', 'clerk1')));
    const timer = office.checkpointer.every(10);
    try {
      for (let waited = 0; (await checkpointEvents()).length < 2 && waited < 200; waited++) await new Promise((r) => setTimeout(r, 25));
    } finally {
      timer.stop();
    }
    const notes = (await checkpointEvents()).map((e) => parseCheckpointText(String((e.data['note'] as string).split('\n\n')[0]) + '\n'));
    expect(notes.map((c) => (typeof c === 'string' ? c : c.size))).toEqual([21, 22]);
  });

  it('never signs over a rewritten history: after an event is changed in the file, it refuses and records nothing', async () => {
    await office.checkpointer.checkpoint();
    await store.close();
    const db = new Database(path);
    // A careful forger rewrites the stored hash too, so only the checkpoint can tell.
    db.prepare("UPDATE events SET metadata = json_set(metadata, '$.hash', ?) WHERE stream = 'carrier-C1' AND revision = 1").run('ab'.repeat(32));
    db.close();
    store = createSqliteStore({ path });
    const restarted = await createCheckpointer({ store, ledgerKey: office.ledgerKey });
    const refusal = await restarted.checkpoint().catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(CheckpointRefused);
    expect(refusal).toMatchObject({ reason: 'inconsistent', message: expect.stringMatching(/do not extend checkpoint 21/) });
    expect(await checkpointEvents()).toHaveLength(1);
  });

  it('never signs over a truncated history: after events are deleted, it refuses', async () => {
    await office.checkpointer.checkpoint();
    await store.close();
    const db = new Database(path);
    db.prepare("DELETE FROM events WHERE stream = 'person-clerkB' AND revision = 1").run();
    db.close();
    store = createSqliteStore({ path });
    const restarted = await createCheckpointer({ store, ledgerKey: office.ledgerKey });
    await expect(restarted.checkpoint()).rejects.toMatchObject({ reason: 'truncated' });
  });

  it('without the ledger key, a bundle is exported against the latest recorded checkpoint, leaving later events out', async () => {
    await office.checkpointer.checkpoint();
    await office.kit.ledger.submit(office.kit.signed(office.kit.transfer('C1', 'reader2', 'clerk1')));
    const bundle = await exportCarrierBundle('C1', { store, checkpointer: await createCheckpointReader(store) });
    expect(bundle.checkpoint.split('\n', 2)[1]).toBe('21');
    expect(bundle.streams.find((s) => s.stream === 'carrier-C1')!.events.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(verifyBundle(bundle, office.trust).issues).toEqual([]);
  });

  it('without the ledger key and before any checkpoint, there is nothing to export against', async () => {
    await expect(createCheckpointReader(store)).rejects.toMatchObject({ name: 'NoCheckpoint', message: expect.stringMatching(/no checkpoint yet/) });
  });

  it('refuses to start with a key pair whose halves do not match', async () => {
    const other = (await buildOffice()).ledgerKey;
    await expect(createCheckpointer({ store, ledgerKey: { ...office.ledgerKey, publicKey: other.publicKey } })).rejects.toMatchObject({ reason: 'wrong-key' });
  });
});
