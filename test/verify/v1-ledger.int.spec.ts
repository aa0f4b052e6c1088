import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle } from '../../src/cli/commands/bundle.js';
import { verify } from '../../src/cli/commands/verify.js';
import { CliError } from '../../src/cli/errors.js';
import type { CliIo } from '../../src/cli/io.js';
import { createSigner, type KeyPair } from '../../src/crypto/ed25519.js';
import type { StoredEnvelope } from '../../src/domain/act.js';
import { signatureOf } from '../../src/ledger/envelope.js';
import { createLedger } from '../../src/ledger/ledger.js';
import { createProjections } from '../../src/projections/index.js';
import { createSqliteStore } from '../../src/store/sqlite.js';

/**
 * A ledger file written before signatures carried their signer's time (test/fixtures/v1-ledger,
 * made by the code of commit 385f742 and never regenerated) keeps verifying, whole and as a bundle;
 * its acts take effect at their prepared time, and the verifier says it applied that rule.
 */

const FIXTURE = join(import.meta.dirname, '../fixtures/v1-ledger');
let dir: string;

async function run(command: typeof verify, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, env: {}, cwd: dir };
  const code = await command.run(args, io).catch((error: unknown) => (error instanceof CliError ? { error } : Promise.reject(error)));
  return { code, stdout: out.join(''), stderr: err.join('') };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'custody-v1-ledger-'));
  copyFileSync(join(FIXTURE, 'ledger-v1.sqlite'), join(dir, 'ledger.db'));
  copyFileSync(join(FIXTURE, 'ledger.pub'), join(dir, 'ledger.pub'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a v1 ledger (signatures without times) after the change', () => {
  it('passes custody verify --ledger, with a note that its acts take effect at their prepared time', async () => {
    const verified = await run(verify, ['--ledger', '--db', 'ledger.db', '--trust', 'ledger.pub', '--workers', '1', '--json']);
    const report = JSON.parse(verified.stdout) as { ok: boolean; issues: unknown[]; notices: Array<{ code: string; message: string }> };
    expect(report.issues).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.notices).toContainEqual(expect.objectContaining({ code: 'prepared-time', message: expect.stringMatching(/^21 events carry signatures without their signer's time/) }));
    expect(verified.code).toBe(0);
  });

  it('exports a whole-ledger bundle that verifies, replaying every rule, with the same note', async () => {
    expect((await run(bundle, ['--ledger', '--db', 'ledger.db', '--out', 'all.jsonl'])).code).toBe(0);
    const verified = await run(verify, ['all.jsonl', '--trust', 'ledger.pub', '--json']);
    const report = JSON.parse(verified.stdout) as { ok: boolean; issues: unknown[]; notices: Array<{ code: string }> };
    expect(report).toMatchObject({ ok: true, issues: [] });
    expect(report.notices.map((n) => n.code)).toEqual(['prepared-time']);
    expect(verified.code).toBe(0);
  });

  it('answers where --at by the prepared time of its acts', async () => {
    const store = createSqliteStore({ path: join(dir, 'ledger.db') });
    try {
      const [, , handOver] = await store.readStream('carrier-C1');
      const { act } = handOver!.data as unknown as StoredEnvelope;
      const projections = await createProjections({ store });
      expect(projections.whereAt('C1', act.time)?.holders).toEqual(['reader1']);
      expect(projections.whereAt('C1', new Date(Date.parse(act.time) - 1).toISOString())?.holders).toEqual(['clerk2']);
      expect(projections.whereAt('C1', act.time, act.time)?.holders).toEqual(['reader1']);
    } finally {
      await store.close();
    }
  });

  it('takes v2 acts on top, and the mixed file still verifies', async () => {
    const keys = (JSON.parse(readFileSync(join(FIXTURE, 'keys.json'), 'utf8')) as { keys: Record<string, KeyPair> }).keys;
    const path = join(dir, 'mixed.db');
    copyFileSync(join(FIXTURE, 'ledger-v1.sqlite'), path);
    const store = createSqliteStore({ path });
    let now = Date.parse('2026-11-24T09:00:00.000Z');
    const clock = () => new Date((now += 1000)).toISOString();
    const ledger = await createLedger({ store, ledgerId: 'test-ledger', clock });
    const act = ledger.prepare({ type: 'TransferCustody', data: { carrierId: 'C1', giver: 'reader2', receiver: 'reader1', location: 'Office 12' } });
    const sign = (id: string) => signatureOf(act, id, keys[id]!.publicKey, (bytes) => createSigner(keys[id]!.secretKey).sign(bytes), clock());
    await ledger.submit({ act, signatures: [sign('reader2'), sign('reader1')] });
    await store.close();
    const verified = await run(verify, ['--ledger', '--db', 'mixed.db', '--trust', 'ledger.pub', '--workers', '1', '--json']);
    const report = JSON.parse(verified.stdout) as { issues: Array<{ code: string }>; notices: Array<{ code: string; message: string }> };
    expect(report.issues).toEqual([]);
    expect(report.notices.find((n) => n.code === 'prepared-time')?.message).toMatch(/^21 events/);
  });
});
