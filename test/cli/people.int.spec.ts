import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { parseTrustedKey } from '../../src/verify/note/keys.js';
import { ledgerWithPeople, people, scratchDir, stdoutJson } from './harness.js';

/**
 * What people asked for and could not get (issue #19): the list of people, the ledger's key for
 * investigators, a re-submitted act said to be already appended. In-process against a real server.
 */
describe('custody people, custody ledger key, re-submitting', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: RunningServer | undefined;
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
      enrollees: [
        { id: 'clerk', name: 'Chen Li', unit: 'Registry R1', roles: '[{"role":"registry-clerk","registry":"R1"}]' },
        { id: 'director', name: 'Liu Yang', unit: 'Directorate', roles: '[{"role":"approver","authority":"originating-authority","originators":["Central Office"]}]' },
      ],
    });
  });
  afterAll(async () => {
    await server?.close();
    await cleanup();
  });

  it('custody people lists everyone enrolled with name, unit, clearance and roles in words', async () => {
    const result = await ok('clerk', ['people']);
    expect(result.stdout.split('\n').map((l) => l.trimEnd())).toEqual([
      '3 people enrolled:',
      'PERSON    NAME       UNIT             CLEARANCE   ROLES',
      'clerk     Chen Li    Registry R1      secret      registry-clerk of R1',
      'director  Liu Yang   Directorate      secret      approver (originating-authority for Central Office)',
      'officer   Wang Fang  Security Office  top-secret  security-officer',
      '',
    ]);
    const json = stdoutJson(await ok('clerk', ['people', '--json'])) as { items: Array<{ id: string; keys: unknown[] }> };
    expect(json.items.map((p) => p.id)).toEqual(['clerk', 'director', 'officer']);
    expect(json.items[0]!.keys).toHaveLength(1);
  });

  it('custody ledger key prints the key and a fingerprint, without a login, and writes a file verify reads', async () => {
    const ledgerInfo = (await (await fetch(`${server!.url}/ledger`)).json()) as { ledgerId: string; publicKey: string };
    const result = await ok('stranger', ['ledger', 'key', '--out', 'ledger.pub.json']);
    expect(result.stdout).toContain(`Ledger       ${ledgerInfo.ledgerId}\nPublic key   ${ledgerInfo.publicKey}\nFingerprint  `);
    expect(result.stdout).toMatch(/Fingerprint {2}[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} /);
    const written = await readFile(join(dir, 'ledger.pub.json'), 'utf8');
    expect(JSON.parse(written)).toEqual(ledgerInfo);
    // The file is a key custody verify --trust reads.
    expect(parseTrustedKey(written, 'ledger')).toMatchObject({ name: ledgerInfo.ledgerId, publicKey: ledgerInfo.publicKey });
    const wrong = await as('stranger', ['ledger', 'keys']);
    expect(wrong.code).toBe(2);
  });

  it('a re-submitted act says it was already appended, not "Appended" again', async () => {
    await ok('clerk', [
      'prepare', 'RegisterCarrier', 'carrierId=C1', 'description.kind=document', 'description.classification=secret', 'description.title=Budget',
      'description.originator=Central Office', 'description.reference=2026', 'description.copyNumber=1', 'description.itemCount=3',
      'description.registry=R1', 'holder=clerk', 'location=R1 safe 1', 'registeredBy=clerk', '--sign', '--out', 'register.json',
    ]);
    const first = await ok('clerk', ['submit', 'register.json']);
    expect(first.stdout).toMatch(/^Appended act [0-9a-f]+\n {2}carrier-C1 revision 0\n$/);
    const again = await ok('clerk', ['submit', 'register.json']);
    expect(again.stdout).toMatch(/^Already appended: act [0-9a-f]{12} was recorded before; nothing new was appended\.\n$/);
    // reference=2026 was taken as the text the field wants.
    const file = JSON.parse(await readFile(join(dir, 'register.json'), 'utf8')) as { act: { command: { data: { description: { reference: unknown } } } } };
    expect(file.act.command.data.description.reference).toBe('2026');
  });
});
