import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verify } from '../../src/cli/commands/verify.js';
import { CliError } from '../../src/cli/errors.js';
import type { CliIo } from '../../src/cli/io.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import type { EventStore } from '../../src/store/port.js';
import { exportCarrierBundle } from '../../src/verify/bundle/export-carrier.js';
import { exportLedgerBundle } from '../../src/verify/bundle/export-ledger.js';
import { readBundleFile } from '../../src/verify/bundle/read.js';
import { verifyBundle } from '../../src/verify/bundle/verify-bundle.js';
import { createCheckpointer } from '../../src/verify/checkpoint/checkpointer.js';
import { createLedgerLog } from '../../src/verify/checkpoint/log.js';
import { CHECKPOINT_STREAM } from '../../src/verify/checkpoint/stream.js';
import { hashToBase64 } from '../../src/verify/merkle/hash.js';
import { verifierKeyText } from '../../src/verify/note/keys.js';
import { buildOffice, copyOf, editedCopyOf, type Office } from './fixture.js';

// Issue 16 hole 1: `--known` passes only what is proved consistent with the reader's checkpoint.
let dir: string;
let path: string;
let store: EventStore;
let office: Office;
let known: string;
let knownSize: number;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custody-known-'));
  path = join(dir, 'ledger.db');
  store = createSqliteStore({ path });
  office = await buildOffice(store);
  const signed = await office.checkpointer.checkpoint();
  known = signed.note;
  knownSize = signed.checkpoint.size;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const check = (bundle: unknown, knownCheckpoints = [known]) => verifyBundle(bundle, { ...office.trust, knownCheckpoints });
const codes = (report: ReturnType<typeof verifyBundle>) => report.issues.map((i) => i.code);

/** The file cut after its first `keep` events, its checkpoints gone too: what a rolled-back ledger serves. */
function cutTo(keep: number): void {
  const db = new Database(path);
  db.exec(`DELETE FROM events WHERE stream = '${CHECKPOINT_STREAM}'; DELETE FROM events WHERE position > (SELECT position FROM events ORDER BY position LIMIT 1 OFFSET ${keep - 1})`);
  db.close();
}

/** A checkpointer over the file as it is now, with the ledger's key (a server that lost its memory, or lies). */
const freshCheckpointer = () => createCheckpointer({ store, ledgerKey: office.ledgerKey, clock: office.kit.clock });

async function regrowPast(size: number): Promise<void> {
  const ledger = await office.kit.restart();
  let holder = 'reader1';
  for (let n = createLedgerLog(store); (await n.sync()) <= size; n = createLedgerLog(store)) {
    const next = holder === 'reader1' ? 'clerk2' : 'reader1';
    await ledger.submit(office.kit.signed(office.kit.transfer('C1', holder, next)));
    holder = next;
  }
}

describe('custody verify --known: rollback and fork', () => {
  it('a bundle smaller than your checkpoint, without the proof that it is a prefix of it, fails rollback (no note instead)', async () => {
    cutTo(knownSize - 2);
    const bundle = await exportCarrierBundle('C1', { store, checkpointer: await freshCheckpointer(), knownSizes: [knownSize] });
    expect(Number(bundle.checkpoint.split('\n', 2)[1])).toBe(knownSize - 2);
    const report = check(bundle);
    expect(report.ok).toBe(false);
    expect(codes(report)).toContain('rollback');
    expect(report.issues.find((i) => i.code === 'rollback')!.message).toMatch(/older than your checkpoint #1 .*custody bundle C1 --server --known/);
    expect(report.notices.map((n) => n.code)).not.toContain('unchecked-checkpoint');
  });

  it('a fork regrown past your checkpoint fails fork with the proof the server gives, and unproven-known without one', async () => {
    cutTo(knownSize - 2);
    await regrowPast(knownSize);
    const checkpointer = await freshCheckpointer();
    const withProof = await exportCarrierBundle('C1', { store, checkpointer, knownSizes: [knownSize] });
    expect(Number(withProof.checkpoint.split('\n', 2)[1])).toBeGreaterThan(knownSize);
    expect(codes(check(withProof))).toContain('fork');
    const withoutProof = await exportCarrierBundle('C1', { store, checkpointer });
    expect(check(withoutProof)).toMatchObject({ ok: false, issues: expect.arrayContaining([expect.objectContaining({ code: 'unproven-known' })]) });
    // The whole ledger carries every leaf: the verifier computes the root at your size itself.
    await exportLedgerBundle(join(dir, 'all.jsonl'), { store, checkpointer });
    const read = await readBundleFile(join(dir, 'all.jsonl'));
    if ('error' in read) throw new Error(read.error);
    expect(codes(check(read.bundle))).toContain('fork');
  });

  it('an honest later bundle verifies against your checkpoint: through its history, or through the proof it carries', async () => {
    await office.kit.ledger.submit(office.kit.signed(office.kit.transfer('C1', 'reader2', 'reader1')));
    const bundle = await exportCarrierBundle('C1', { store, checkpointer: office.checkpointer, knownSizes: [knownSize] });
    expect(check(bundle)).toMatchObject({ ok: true, issues: [] });
    const proofOnly = { ...copyOf(bundle), history: [] };
    expect(check(proofOnly)).toMatchObject({ ok: true, issues: [] });
    const neither = { ...copyOf(bundle), history: [], consistency: [] };
    expect(codes(check(neither))).toEqual(['unproven-known']);
  });

  it('an older bundle verifies against your newer checkpoint only with the proof that it is a prefix of it', async () => {
    const older = await exportCarrierBundle('C1', { store, checkpointer: office.checkpointer });
    await office.kit.ledger.submit(office.kit.signed(office.kit.transfer('C1', 'reader2', 'reader1')));
    const newer = await office.checkpointer.checkpoint();
    expect(codes(check(older, [newer.note]))).toEqual(['rollback']);
    const log = createLedgerLog(store);
    await log.sync();
    const proof = log.tree.consistencyProof(knownSize, newer.checkpoint.size).map(hashToBase64);
    expect(check({ ...copyOf(older), consistency: [{ size: newer.checkpoint.size, proof }] }, [newer.note])).toMatchObject({ ok: true, issues: [] });
    const altered = [...proof].reverse();
    expect(codes(check({ ...copyOf(older), consistency: [{ size: newer.checkpoint.size, proof: altered }] }, [newer.note]))).toEqual(['fork']);
  });
});

describe('custody verify --ledger --known', () => {
  async function run(args: string[]) {
    const out: string[] = [];
    const io: CliIo = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: () => true }, env: {}, cwd: dir };
    const code = await verify.run(args, io).catch((error: unknown) => (error instanceof CliError ? error.exitCode : Promise.reject(error)));
    return { code, stdout: out.join('') };
  }

  it('passes the file that holds your checkpoint, fails a cut copy (rollback) and a regrown one (fork)', async () => {
    writeFileSync(join(dir, 'known.note'), known);
    writeFileSync(join(dir, 'ledger.pub'), verifierKeyText(office.ledgerKey.ledgerId, office.ledgerKey.publicKey, 'ledger'));
    const args = (file: string) => ['--ledger', '--db', file, '--trust', 'ledger.pub', '--known', 'known.note', '--workers', '1'];
    expect(await run(args('ledger.db'))).toMatchObject({ code: 0, stdout: expect.stringMatching(/^VERIFIED/m) });
    // The copy is of the main file: fold the WAL into it first, as a backup would.
    const live = new Database(path);
    live.pragma('wal_checkpoint(TRUNCATE)');
    live.close();
    const cut = editedCopyOf(path, (db) => db.exec(`DELETE FROM events WHERE position > (SELECT position FROM events ORDER BY position LIMIT 1 OFFSET ${knownSize - 3})`));
    const rolledBack = await run(args(cut));
    expect(rolledBack.code).toBe(1);
    expect(rolledBack.stdout).toMatch(/^FAIL {2}rollback: the ledger file \(size \d+\) is older than your checkpoint #1 \(size \d+\): the ledger may have been rolled back; the file holds fewer events/m);
    cutTo(knownSize - 2);
    await regrowPast(knownSize);
    const forked = await run(args('ledger.db'));
    expect(forked.code).toBe(1);
    expect(forked.stdout).toMatch(/^FAIL {2}fork: your checkpoint #1 \(size \d+\) and the tree of the first \d+ events here both have size/m);
  });
});
