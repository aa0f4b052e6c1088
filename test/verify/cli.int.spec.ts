import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle } from '../../src/cli/commands/bundle.js';
import { verify } from '../../src/cli/commands/verify.js';
import { CliError } from '../../src/cli/errors.js';
import type { CliIo } from '../../src/cli/io.js';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { verifierKeyText } from '../../src/verify/note/keys.js';
import { buildOffice, type Office } from './fixture.js';

let dir: string;
let office: Office;

/** Runs a command module in-process, as `custody` would, capturing what it prints. */
async function run(command: typeof verify, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, env: {}, cwd: dir };
  const code = await command.run(args, io).catch((error: unknown) => (error instanceof CliError ? { error } : Promise.reject(error)));
  return { code, stdout: out.join(''), stderr: err.join('') };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custody-verify-cli-'));
  const store = createSqliteStore({ path: join(dir, 'ledger.db') });
  office = await buildOffice(store);
  await store.close();
  // As the server keeps it: the ledger's key pair beside its database.
  writeFileSync(join(dir, 'ledger-key.json'), JSON.stringify(office.ledgerKey), { mode: 0o600 });
  // What the investigator is given: the public key alone.
  writeFileSync(join(dir, 'ledger.pub'), verifierKeyText(office.ledgerKey.ledgerId, office.ledgerKey.publicKey, 'ledger'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('custody bundle and custody verify, offline', () => {
  it('a carrier bundle exported from the ledger file verifies with only the ledger\'s public key', async () => {
    const exported = await run(bundle, ['C1', '--db', 'ledger.db', '--out', 'C1.bundle.json']);
    expect(exported).toMatchObject({ code: 0, stdout: `${join(dir, 'C1.bundle.json')}\n` });
    const verified = await run(verify, ['C1.bundle.json', '--trust', 'ledger.pub']);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^note {2}not-replayed carrier-C1@1/m);
    expect(verified.stdout).toMatch(/^VERIFIED: .*C1\.bundle\.json: 19 events in 12 streams/m);
  });

  it('a tampered bundle fails, issue by issue, with a non-zero exit', async () => {
    const text = readFileSync(join(dir, 'C1.bundle.json'), 'utf8').replace('"to": "reader1"', '"to": "reader2"');
    writeFileSync(join(dir, 'tampered.json'), text);
    const verified = await run(verify, ['tampered.json', '--trust', office.ledgerKey.publicKey]);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(/^FAIL {2}bad-signature carrier-C1@2 \(position \d+\): /m);
    expect(verified.stdout).toMatch(/^NOT VERIFIED: .*tampered\.json: \d+ issues/m);
  });

  it('a bundle checked against a key the user does not trust fails', async () => {
    const verified = await run(verify, ['C1.bundle.json', '--trust', generateKeyPair().publicKey, '--json']);
    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: false, issues: [{ code: 'untrusted-checkpoint' }] });
  });

  it('the whole ledger file verifies on worker threads, and the server\'s key file is read for its public half only', async () => {
    const verified = await run(verify, ['--ledger', '--db', 'ledger.db', '--trust', 'ledger-key.json', '--workers', '2']);
    expect(verified.stderr).toMatch(/holds a secret key; only its public key is read/);
    expect(verified.stdout).toMatch(/^VERIFIED: .*ledger\.db: 21 events in 13 streams/m);
    expect(verified.code).toBe(0);
  });

  it('a whole-ledger bundle is written as JSON lines and verifies, replaying every rule', async () => {
    expect((await run(bundle, ['--ledger', '--db', 'ledger.db', '--out', 'all.jsonl'])).code).toBe(0);
    const lines = readFileSync(join(dir, 'all.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ kind: 'ledger', eventCount: lines.length - 1 });
    const verified = await run(verify, ['all.jsonl', '--trust', 'ledger.pub', '--json']);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, issues: [], notices: [] });
    expect(verified.code).toBe(0);
  });

  it('usage errors name the flag and exit 2', async () => {
    const missing = await run(verify, ['C1.bundle.json']);
    expect(missing.code).toMatchObject({ error: { exitCode: 2, message: 'missing --trust <key>' } });
    const badKey = await run(verify, ['C1.bundle.json', '--trust', 'not-a-key']);
    expect(badKey.code).toMatchObject({ error: { exitCode: 2 } });
    expect((badKey.code as { error: Error }).error.message).toMatch(/--trust "not-a-key": not an Ed25519 public key/);
    const noCarrier = await run(bundle, ['C9', '--db', 'ledger.db', '--out', 'C9.json']);
    expect(noCarrier.code).toMatchObject({ error: { exitCode: 3, message: expect.stringMatching(/no carrier C9/) } });
  });
});
