import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SignedAct, UnsignedAct } from '../../src/domain/act.js';
import { actIdOf } from '../../src/ledger/envelope.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { createKit, type Kit } from '../ledger/kit.js';
import { run, scratchDir, stderrJson, stdoutJson } from './harness.js';

/**
 * The two couriers of a top-secret transport sign one act file on two machines (R-TRANSPORT-2):
 * each `custody sign` runs with no network at all (the harness fails any fetch).
 */
describe('custody sign (offline)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let kit: Kit;
  let act: UnsignedAct;
  const actFile = () => join(dir, 'dispatch.json');
  const readAct = async () => JSON.parse(await readFile(actFile(), 'utf8')) as SignedAct;

  /** Writes a person's key file the way keygen does: { personId, publicKey, secretKey }, 0600. */
  const keyFileOf = async (personId: string, withId = true): Promise<string> => {
    const file = join(dir, `${personId}${withId ? '' : '-anonymous'}.key`);
    const { publicKey, secretKey } = kit.key(personId);
    await writeFile(file, JSON.stringify({ ...(withId ? { personId } : {}), publicKey, secretKey }), { mode: 0o600 });
    return file;
  };

  beforeEach(async () => {
    ({ dir, cleanup } = await scratchDir());
    kit = await createKit(createMemoryStore());
    await kit.enrolCast();
    await kit.register('TS1', 'top-secret', 'clerk1');
    act = kit.ledger.prepare({
      type: 'DispatchTransport',
      data: {
        carrierIds: ['TS1'],
        transportId: 'T1',
        giver: 'clerk1',
        couriers: ['courier1', 'courier2'],
        destination: { registry: 'R2' },
        leavesPremises: true,
      },
    });
    await writeFile(actFile(), JSON.stringify({ act, signatures: [] }));
  });
  afterEach(() => cleanup());

  it('R-TRANSPORT-2: two couriers sign one act file with two key files, and the ledger accepts the result', async () => {
    // Each courier's machine dates their signature by its own clock: here, the ledger's.
    const first = await run(['sign', 'dispatch.json', '--key', await keyFileOf('courier1')], { cwd: dir, clock: kit.clock });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`DispatchTransport  act ${actIdOf(act).slice(0, 12)}`);
    expect(first.stdout).toContain('carriers  TS1');
    expect(first.stdout).toContain('carrier-TS1 #1  TransportDispatched');
    expect(first.stdout).toContain(`time      ${act.time}`);
    expect(first.stdout).toContain('Still to sign: clerk1, courier2');

    // "The second machine": another process, another key file, the same act file carried over.
    const second = await run(['sign', actFile(), '--key', await keyFileOf('courier2'), '--json'], { cwd: dir, clock: kit.clock });
    expect(second.code).toBe(0);
    expect(stdoutJson(second)).toEqual({
      actId: actIdOf(act),
      signer: 'courier2',
      alreadySigned: false,
      missing: ['clerk1'],
      file: actFile(),
      outcome: null,
    });

    const signed = await readAct();
    expect(signed.signatures.map((s) => s.signer)).toEqual(['courier1', 'courier2']);
    expect(signed.signatures.every((s) => s.signedAt !== undefined)).toBe(true);
    const complete = { act: signed.act, signatures: [...signed.signatures, kit.signatureOf(act, 'clerk1')] };
    const result = await kit.ledger.submit(complete);
    expect(result.events.map((e) => e.stream)).toEqual(['carrier-TS1']);
  });

  it('L-2: refuses a key holder who is not among the act\'s signers (exit 1) and leaves the file unchanged', async () => {
    await run(['sign', 'dispatch.json', '--key', await keyFileOf('courier1')], { cwd: dir });
    const before = await readFile(actFile(), 'utf8');
    const result = await run(['sign', 'dispatch.json', '--key', await keyFileOf('reader2')], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('custody sign: refused by L-2: reader2 is not a signer of this act (signers: clerk1, courier1, courier2)\n');
    expect(await readFile(actFile(), 'utf8')).toBe(before);
  });

  it('L-2: refuses --as naming a non-signer with a key file that names nobody', async () => {
    const result = await run(['sign', 'dispatch.json', '--key', await keyFileOf('reader1', false), '--as', 'reader1', '--json'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(stderrJson(result).error).toMatchObject({ exitCode: 1, kind: 'refused', rule: 'L-2' });
    expect((await readAct()).signatures).toEqual([]);
  });

  it('refuses --as that contradicts the person the key file names (exit 2)', async () => {
    const result = await run(['sign', 'dispatch.json', '--key', await keyFileOf('courier1'), '--as', 'courier2'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--as courier2 but .*courier1\.key is the key of courier1/);
  });

  it('signing twice with the same key changes nothing', async () => {
    const key = await keyFileOf('courier1');
    await run(['sign', 'dispatch.json', '--key', key], { cwd: dir });
    const before = await readFile(actFile(), 'utf8');
    const again = await run(['sign', 'dispatch.json', '--key', key], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('courier1 had already signed');
    expect(await readFile(actFile(), 'utf8')).toBe(before);
  });

  it('L-2: refuses to add a signature to an act changed after someone signed it', async () => {
    await run(['sign', 'dispatch.json', '--key', await keyFileOf('courier1')], { cwd: dir });
    const tampered = await readAct();
    (tampered.act.command.data as { transportId: string }).transportId = 'T2';
    await writeFile(actFile(), JSON.stringify(tampered));
    const result = await run(['sign', 'dispatch.json', '--key', await keyFileOf('courier2')], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the signature of courier1 does not verify over this act: the act was changed after they signed it');
  });

  it('without --key it takes the login session\'s key file, and says so when there is none (exit 2)', async () => {
    const none = await run(['sign', 'dispatch.json'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/missing --key <key-file> \(and no login session to take it from\)/);
    await mkdir(join(dir, '.custody'));
    const session = { server: 'http://127.0.0.1:9', personId: 'courier1', token: 't', expiresAt: '2030-01-01T00:00:00.000Z', keyFile: await keyFileOf('courier1') };
    await writeFile(join(dir, '.custody/session.json'), JSON.stringify(session));
    const signed = await run(['sign', 'dispatch.json'], { cwd: dir });
    expect(signed.code).toBe(0);
    expect((await readAct()).signatures.map((s) => s.signer)).toEqual(['courier1']);
  });

  it('names the problem when the file is not an act file (exit 2) or does not exist (exit 5)', async () => {
    await writeFile(join(dir, 'junk.json'), JSON.stringify({ act: { v: 2 } }));
    const junk = await run(['sign', 'junk.json', '--key', await keyFileOf('courier1')], { cwd: dir });
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/junk\.json is not an act file/);
    expect(junk.stderr).toMatch(/ {2}act\.v: /);
    const missing = await run(['sign', 'nowhere.json', '--key', await keyFileOf('courier1')], { cwd: dir });
    expect(missing.code).toBe(5);
    expect(missing.stderr).toMatch(/cannot read .*nowhere\.json: no such file or directory/);
  });
});
