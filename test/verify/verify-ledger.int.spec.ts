import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, generateKeyPair } from '../../src/crypto/ed25519.js';
import { directoryKeys } from '../../src/ledger/signatures.js';
import { verifyStream } from '../../src/ledger/verify-stream.js';
import { createWriteModel, foldRecorded } from '../../src/ledger/write-model.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { checkpointText } from '../../src/verify/checkpoint/checkpoint.js';
import { appendCheckpointEvent, readCheckpointStream } from '../../src/verify/checkpoint/stream.js';
import { verifyLedgerFile } from '../../src/verify/ledger/verify-ledger.js';
import { formatNote, signNoteText } from '../../src/verify/note/note.js';
import { LEDGER_ID } from '../ledger/kit.js';
import { buildOffice, editedCopyOf, type Office } from './fixture.js';

let dir: string;
let template: string;
let office: Office;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custody-verify-ledger-'));
  template = join(dir, 'template.db');
  const store = createSqliteStore({ path: template });
  office = await buildOffice(store);
  await office.checkpointer.checkpoint();
  await store.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const copyEditedWith = (sql?: (db: Database.Database) => void): string => editedCopyOf(template, sql);

/** Small chunks, so streams cross chunk boundaries; one worker is enough to check what they find (threads cost seconds to start here). */
const verify = (path: string, trust = office.trust, workers = 1) => verifyLedgerFile(path, { ...trust, workers, chunkSize: 4 });
const c1 = (revision: number) => `stream = 'carrier-C1' AND revision = ${revision}`;

/** What verifyStream (the ledger core's own checker) finds in C1, with the keys of the file's own persons. */
async function verifyStreamOnC1(path: string) {
  const store = createSqliteStore({ path });
  try {
    const persons = createWriteModel();
    for (const event of await store.readAll()) if (event.stream.startsWith('person-')) foldRecorded(persons, event);
    return verifyStream(await store.readStream('carrier-C1'), directoryKeys(persons.persons), createVerifier());
  } finally {
    await store.close();
  }
}

describe('verifying a whole ledger file on worker threads', () => {
  it('an untouched ledger verifies on two worker threads, every event and the checkpoint', async () => {
    const report = await verify(copyEditedWith(), office.trust, 2);
    expect(report.issues).toEqual([]);
    expect(report).toMatchObject({ ok: true, summary: { events: 21, streams: 13, checkpointSize: 21 } });
  });

  it('edited data fails at that event, finding what verifyStream finds, and the checkpoint root no longer matches', async () => {
    const path = copyEditedWith((db) => db.prepare(`UPDATE events SET data = replace(data, '"to":"reader1"', '"to":"reader2"') WHERE ${c1(2)}`).run());
    const report = await verify(path);
    const found = report.issues.filter((i) => i.stream === 'carrier-C1').map((i) => [i.code, i.revision, i.message]);
    expect(found).toEqual((await verifyStreamOnC1(path)).map((i) => [i.code, i.revision, i.message]));
    expect(found.map(([code, revision]) => [code, revision])).toEqual([['hash-mismatch', 2], ['bad-signature', 2], ['bad-signature', 2], ['broken-link', 3]]);
    expect(report.issues.map((i) => i.code)).toContain('root-mismatch');
  });

  it('an edited signature fails at that event', async () => {
    const path = copyEditedWith((db) => db.prepare(`UPDATE events SET data = replace(data, '"signature":"', '"signature":"A') WHERE ${c1(3)}`).run());
    const report = await verify(path);
    expect(report.issues.filter((i) => i.stream === 'carrier-C1').map((i) => [i.code, i.revision])).toEqual([['hash-mismatch', 3], ['bad-signature', 3], ['broken-link', 4]]);
  });

  it('two swapped events fail at the first of them', async () => {
    const path = copyEditedWith((db) => {
      const get = db.prepare(`SELECT data, metadata FROM events WHERE stream = 'carrier-C1' AND revision = ?`);
      const [one, two] = [get.get(1), get.get(2)] as Array<{ data: string; metadata: string }>;
      const put = db.prepare(`UPDATE events SET data = ?, metadata = ? WHERE stream = 'carrier-C1' AND revision = ?`);
      put.run(two!.data, two!.metadata, 1);
      put.run(one!.data, one!.metadata, 2);
    });
    const report = await verify(path);
    expect(report.issues.find((i) => i.stream === 'carrier-C1')).toMatchObject({ code: 'wrong-position', revision: 1 });
  });

  it('a dropped event is named by the gap it leaves', async () => {
    const report = await verify(copyEditedWith((db) => db.prepare(`DELETE FROM events WHERE ${c1(2)}`).run()));
    expect(report.issues.find((i) => i.stream === 'carrier-C1')).toMatchObject({ code: 'missing-events', revision: 3 });
    expect(report.issues.map((i) => i.code)).toEqual(expect.arrayContaining(['broken-link', 'missing-events']));
  });

  it('a dropped tail or a dropped stream fails against the checkpoint (a root alone cannot say which stream lost it)', async () => {
    const tail = await verify(copyEditedWith((db) => db.prepare(`DELETE FROM events WHERE stream = 'carrier-C1' AND revision >= 4`).run()));
    expect(tail.issues.map((i) => i.code)).toEqual(['missing-events']);
    expect(tail.issues[0]!.message).toMatch(/covers 21 events, but the ledger holds 18/);
    const stream = await verify(copyEditedWith((db) => db.prepare(`DELETE FROM events WHERE stream = 'person-reader1'`).run()));
    expect(stream.ok).toBe(false);
    expect(stream.issues.filter((i) => i.code === 'unknown-signer').map((i) => i.stream)).toContain('carrier-C1');
  });

  it('a checkpoint not signed by the key you trust fails', async () => {
    const report = await verify(copyEditedWith(), { trustedLedgerKeys: [{ name: LEDGER_ID, publicKey: generateKeyPair().publicKey, algorithm: 1 }] });
    expect(report.issues.map((i) => i.code)).toEqual(['untrusted-checkpoint']);
  });

  it('a fork: a second recorded checkpoint of the same size with another root is reported', async () => {
    const path = copyEditedWith();
    const store = createSqliteStore({ path });
    try {
      const stream = await readCheckpointStream(store);
      const text = checkpointText({ origin: LEDGER_ID, size: 21, root: new Uint8Array(32).fill(5), time: '2026-11-23T10:00:00.000Z', heads: { count: 13, root: new Uint8Array(32) } });
      const note = formatNote(text, [signNoteText(text, LEDGER_ID, office.ledgerKey.secretKey)]);
      await appendCheckpointEvent(store, stream.head, { type: 'CheckpointSigned', data: { note, prevHash: stream.head!.hash } });
    } finally {
      await store.close();
    }
    const report = await verify(path);
    expect(report.issues.map((i) => i.code)).toEqual(['fork', 'root-mismatch', 'heads-mismatch']);
    expect(report.issues[0]).toMatchObject({ stream: 'ledger-checkpoints', revision: 1 });
  });

  it('checkpoints taken between acts are each matched, wherever they fall inside a chunk', async () => {
    const path = join(dir, 'checkpoints-between-acts.db');
    const store = createSqliteStore({ path });
    let trust: Office['trust'];
    try {
      const built = await buildOffice(store);
      trust = built.trust;
      // Enough events that the chunks (at least 16 per worker) span three positions, some of them
      // an event, a checkpoint and an event.
      for (let i = 0; i < 6; i++) {
        await built.checkpointer.checkpoint();
        await built.kit.register(`D${i}`);
        await built.kit.register(`E${i}`);
      }
      await built.checkpointer.checkpoint();
    } finally {
      await store.close();
    }
    for (const chunkSize of [1, 3, 5, 7, 100]) {
      const report = await verifyLedgerFile(path, { ...trust, workers: 1, chunkSize });
      expect(report.issues, `chunks of ${chunkSize}`).toEqual([]);
      expect(report.summary).toMatchObject({ events: 33, checkpointSize: 33 });
    }
    // A changed stream head is still caught at the checkpoint that committed to it.
    const edited = editedCopyOf(path, (db) => db.prepare("DELETE FROM events WHERE stream = 'carrier-E4'").run());
    const codes = (await verifyLedgerFile(edited, { ...trust, workers: 1, chunkSize: 3 })).issues.map((i) => i.code);
    expect(codes).toContain('heads-mismatch');
  });
});
