import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { parseTrustedKey, type TrustedKey } from '../../src/verify/note/keys.js';
import { people, run as runIn, scratchDir, stdoutJson } from './harness.js';

/**
 * An auditor's office witnesses the ledger with the CLI alone: it sets up its state with the ledger
 * key it trusts, the ledger's server is started with the witness's verifier key, and the witness
 * cosigns each new checkpoint, refusing one that does not extend what it cosigned before.
 */
describe('custody witness against a running server', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: RunningServer | undefined;
  let witnessKey: string;
  const { as, ok } = people(
    () => dir,
    () => server?.url,
  );
  const cosign = (extra: string[] = []) => as('officer', ['witness', 'cosign', '--state', 'witness-state.json', '--key', 'witness.key', ...extra]);
  const state = async () => JSON.parse(await readFile(join(dir, 'witness-state.json'), 'utf8')) as { size: number; root: string };

  beforeAll(async () => {
    ({ dir, cleanup } = await scratchDir());
    for (const id of ['officer', 'auditor']) await runIn(['keygen', '--no-passphrase', '--id', id, '--out', `${id}.key`], { cwd: dir });
    await runIn(['keygen', '--no-passphrase', '--out', 'witness.key'], { cwd: dir });
    await ok('officer', ['init', '--db', 'data/custody.db', '--key', 'officer.key', '--id', 'officer', '--name', 'Wang Fang', '--unit', 'Security']);
    // What the officer hands the auditor in person: the JSON GET /ledger answers.
    const { ledgerId, publicKey } = JSON.parse(await readFile(join(dir, 'data/ledger-key.json'), 'utf8')) as { ledgerId: string; publicKey: string };
    await writeFile(join(dir, 'ledger.pub'), JSON.stringify({ ledgerId, publicKey }));

    const init = await ok('auditor', ['witness', 'init', '--state', 'witness-state.json', '--key', 'witness.key', '--name', 'audit-office', '--trust', 'ledger.pub']);
    witnessKey = init.stdout.trim().split('\n').at(-1)!;
    expect(witnessKey).toMatch(/^audit-office\+[0-9a-f]{8}\+/);
    server = await startServer({
      dbPath: join(dir, 'data/custody.db'),
      port: 0,
      checkpointSeconds: 0,
      witnessKeys: [parseTrustedKey(witnessKey, 'witness') as TrustedKey],
      log: () => undefined,
    });
    await ok('officer', ['login', '--key', 'officer.key']);
  });
  afterAll(async () => {
    await server?.close();
    await cleanup();
  });

  it('cosigns the latest checkpoint, says when there is nothing new, and follows the ledger as it grows', async () => {
    await ok('officer', ['checkpoint', '--take']);
    const first = await cosign();
    expect([first.code, first.stdout]).toEqual([0, expect.stringMatching(/^Cosigned checkpoint 1 of ledger-\w+ as audit-office \(cosigned by audit-office\)\./)]);
    expect(await state()).toMatchObject({ size: 1 });
    expect((await cosign()).stdout).toMatch(/^Nothing new: checkpoint 1 of .* is already cosigned by audit-office\./);

    const auditorKey = JSON.parse(await readFile(join(dir, 'auditor.key'), 'utf8')) as { publicKey: string };
    await ok('officer', ['prepare', 'EnrolPerson', 'personId=auditor', 'name=Audit Office', 'unit=Audit', 'clearance=secret', 'roles=[]', `publicKey=${auditorKey.publicKey}`, 'enrolledBy=officer', '--sign', '--out', 'enrol.json']);
    await ok('officer', ['sign', 'enrol.json', '--key', 'auditor.key', '--submit']);
    await ok('officer', ['checkpoint', '--take']);
    const next = stdoutJson(await ok('officer', ['witness', 'cosign', '--state', 'witness-state.json', '--key', 'witness.key', '--json']));
    expect(next).toMatchObject({ cosigned: true, witnesses: ['audit-office'] });
    expect((await state()).size).toBe(next['size']);

    // An investigator who trusts the witness requires its cosignature, offline.
    await ok('officer', ['bundle', '--ledger', '--server', '--out', 'ledger.jsonl']);
    const verified = await ok('officer', ['verify', 'ledger.jsonl', '--trust', 'ledger.pub', '--witness', witnessKey, '--quorum', '1']);
    expect(verified.stdout).toMatch(/^VERIFIED/m);
  });

  it('refuses a checkpoint that does not extend the one it cosigned (exit 1), and leaves its state alone', async () => {
    const before = await state();
    // As if the witness had cosigned another history of the same size: the ledger now shows a fork.
    await writeFile(join(dir, 'witness-state.json'), JSON.stringify({ ...before, root: Buffer.alloc(32, 7).toString('base64') }));
    const forked = await cosign();
    expect([forked.code, forked.stderr]).toEqual([1, expect.stringMatching(/refused to cosign \(fork\)/)]);
    expect((await state()).root).toBe(Buffer.alloc(32, 7).toString('base64'));
    await writeFile(join(dir, 'witness-state.json'), JSON.stringify(before));
  });

  it('never starts over: init on an existing state is refused; bad input names the flag', async () => {
    const again = await as('auditor', ['witness', 'init', '--state', 'witness-state.json', '--key', 'witness.key', '--name', 'audit-office', '--trust', 'ledger.pub']);
    expect([again.code, again.stderr]).toEqual([1, expect.stringMatching(/already exists: a witness keeps its state/)]);
    // A bare public key names its ledger too (issue 16 hole 7: the README's `--trust ledger.pub`).
    const { ledgerId, publicKey } = JSON.parse(await readFile(join(dir, 'ledger.pub'), 'utf8')) as { ledgerId: string; publicKey: string };
    const bare = await as('auditor', ['witness', 'init', '--state', 'bare.json', '--key', 'witness.key', '--name', 'x', '--trust', publicKey]);
    expect([bare.code, bare.stdout]).toEqual([0, expect.stringContaining(`Witness x for ${ledgerId}`)]);
    const spaced = await as('auditor', ['witness', 'init', '--state', 'other.json', '--key', 'witness.key', '--name', 'audit office', '--trust', 'ledger.pub']);
    expect([spaced.code, spaced.stderr]).toEqual([2, expect.stringMatching(/--name "audit office" is not a key name/)]);
    expect(existsSync(join(dir, 'other.json'))).toBe(false);
    const unknown = await as('auditor', ['witness', 'sign', '--state', 'witness-state.json', '--key', 'witness.key']);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringMatching(/the action is init or cosign/)]);
    const missing = await as('auditor', ['witness', 'cosign', '--key', 'witness.key']);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/missing --state/)]);
  });
});
