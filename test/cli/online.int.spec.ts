import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { ledgerWithPeople, people, run as runIn, scratchDir, stderrJson, stdoutJson, type Run } from './harness.js';

/**
 * The online commands in-process against a real server on 127.0.0.1 (random port, temporary SQLite
 * file): the refusals the walkthrough does not meet, each with its exit code.
 */
describe('custody against a running server', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: RunningServer | undefined;
  /** Each person's machine: their own CUSTODY_HOME. */
  const { as, ok } = people(
    () => dir,
    () => server?.url,
  );

  beforeAll(async () => {
    ({ dir, cleanup } = await scratchDir());
    await ledgerWithPeople({
      dir,
      ok,
      setServer: (started) => (server = started),
      enrollees: [{ id: 'clerk', roles: '[{"role":"registry-clerk","registry":"R1"}]' }, { id: 'reader', roles: '[]' }, { id: 'other', roles: '[]' }],
      // Tokens shorter than the CLI's renewal margin: every call renews with the key file.
      server: { tokenTtlMs: 20_000 },
    });
    await ok('clerk', [
      'prepare', 'RegisterCarrier', 'carrierId=C1', 'description.kind=document', 'description.classification=secret', 'description.title=Budget',
      'description.originator=Central Office', 'description.reference=CO-1', 'description.copyNumber=1', 'description.itemCount=3',
      'description.registry=R1', 'holder=clerk', 'location=R1 safe 1', 'registeredBy=clerk', '--sign', '--submit',
    ]);
  });
  afterAll(async () => {
    await server?.close();
    await cleanup();
  });

  it('renews an expired token with the session\'s key file, without asking', async () => {
    const before = JSON.parse(await readFile(join(dir, 'homes/clerk/session.json'), 'utf8')) as { token: string };
    const where = await ok('clerk', ['where', 'C1', '--json']);
    expect(stdoutJson(where)).toMatchObject({ id: 'C1', holders: ['clerk'] });
    const after = JSON.parse(await readFile(join(dir, 'homes/clerk/session.json'), 'utf8')) as { token: string };
    expect(after.token).not.toBe(before.token);
  });

  it('a login with someone else\'s key is refused (exit 4) and saves no session; no server is exit 5', async () => {
    const contradiction = await as('intruder', ['login', '--key', 'other.key', '--as', 'clerk']);
    expect(contradiction.code).toBe(2);
    expect(contradiction.stderr).toMatch(/--as clerk but .*other\.key is the key of other/);

    const other = JSON.parse(await readFile(join(dir, 'other.key'), 'utf8')) as { publicKey: string; secretKey: string };
    await writeFile(join(dir, 'unnamed.key'), JSON.stringify({ publicKey: other.publicKey, secretKey: other.secretKey }), { mode: 0o600 });
    const refused = await as('intruder', ['login', '--key', 'unnamed.key', '--as', 'clerk']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/^custody login: the login was not accepted/);
    await expect(readFile(join(dir, 'homes/intruder/session.json'))).rejects.toThrow(/ENOENT/);

    const nobody = `http://127.0.0.1:${await closedPort()}`;
    const unreachable = await as('intruder', ['login', '--key', 'other.key', '--server', nobody]);
    expect(unreachable.code).toBe(5);
    expect(unreachable.stderr).toBe(`custody login: cannot reach ${nobody}: connection refused (is the server running?)\n`);
  });

  it('a person unknown to the ledger cannot log in (exit 4)', async () => {
    await runIn(['keygen', '--no-passphrase', '--id', 'stranger', '--out', 'stranger.key'], { cwd: dir });
    const result = await as('stranger', ['login', '--key', 'stranger.key', '--json']);
    expect(result.code).toBe(4);
    expect(stderrJson(result).error).toMatchObject({ exitCode: 4, kind: 'authentication', status: 401 });
    const holdings = await as('stranger', ['holdings']);
    expect(holdings.code).toBe(4);
  });

  it('a carrier someone may not see is not found (exit 3), like one that does not exist', async () => {
    const hidden = await as('other', ['where', 'C1']);
    const missing = await as('other', ['where', 'C404']);
    expect([hidden.code, missing.code]).toEqual([3, 3]);
    expect(hidden.stderr.replace('C1', 'X')).toBe(missing.stderr.replace('C404', 'X'));
  });

  it('only a signer may submit an act (exit 4, naming the signers)', async () => {
    await ok('clerk', ['prepare', 'TransferCustody', 'carrierId=C1', 'giver=clerk', 'receiver=reader', 'location=Office 12', '--out', 'by-officer.json']);
    const result = await as('officer', ['submit', 'by-officer.json']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/officer is not a signer of act [0-9a-f]{64} \(signers: clerk, reader\)/);
  });

  it('a declined act leaves the inbox and can no longer be signed (exit 1)', async () => {
    // --verbose keeps the whole act id that a person otherwise reads in short.
    const pending = await ok('clerk', ['prepare', 'TransferCustody', 'carrierId=C1', 'giver=clerk', 'receiver=reader', 'location=Office 12', '--sign', '--submit', '--verbose']);
    const actId = /Pending: act ([0-9a-f]{64})/.exec(pending.stdout)![1]!;
    const inbox = stdoutJson(await ok('reader', ['inbox', '--json'])) as { items: Array<{ actId: string; summary: string; missing: string[] }> };
    expect(inbox.items).toEqual([expect.objectContaining({ actId, summary: 'receive carrier C1 from clerk', missing: ['reader'] })]);

    const declined = await ok('reader', ['inbox', 'decline', actId.slice(0, 10), '--reason', 'I was not expecting it']);
    expect(declined.stdout).toBe(`Declined act ${actId}: I was not expecting it\n`);
    expect(stdoutJson(await ok('reader', ['inbox', '--json']))).toEqual({ items: [] });
    expect((await ok('reader', ['inbox'])).stdout).toBe('Nothing awaits the signature of reader.\n');

    const late = await as('reader', ['inbox', 'sign', actId]);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/was declined by reader: I was not expecting it/);
  });

  it('an act prepared before the carrier moved is refused as stale (exit 1); nothing is appended', async () => {
    await ok('clerk', ['prepare', 'TransferCustody', 'carrierId=C1', 'giver=clerk', 'receiver=reader', 'location=Office 12', '--sign', '--out', 'first.json']);
    await ok('clerk', ['prepare', 'TransferCustody', 'carrierId=C1', 'giver=clerk', 'receiver=reader', 'location=Office 14', '--sign', '--out', 'second.json']);
    await ok('reader', ['sign', 'first.json', '--key', 'reader.key', '--submit']);
    await ok('reader', ['sign', 'second.json', '--key', 'reader.key']);
    const stale = await as('reader', ['submit', 'second.json']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/stale act: carrier-C1 was expected at revision \d+ but is at \d+/);
    const history = stdoutJson(await ok('reader', ['history', 'C1', '--json'])) as { items: Array<{ type: string; data: { location?: string } }> };
    expect(history.items.map((e) => e.data.location)).toEqual(['R1 safe 1', 'Office 12']);
  });

  it('R-HOLD-2: handing the carrier to someone not enrolled is refused with the rule id (exit 1)', async () => {
    const result = await as('reader', ['prepare', 'TransferCustody', 'carrierId=C1', 'giver=reader', 'receiver=nobody', 'location=Office 12', '--out', 'x.json', '--json']);
    expect(result.code).toBe(1);
    expect(stderrJson(result).error).toMatchObject({ exitCode: 1, kind: 'refused', status: 422, rule: 'R-HOLD-2', message: 'nobody is not an enrolled, active person' });
  });
});

/** A port on 127.0.0.1 that was free a moment ago and has nothing listening on it now. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
