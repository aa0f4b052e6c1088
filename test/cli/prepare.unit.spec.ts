import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import { run, scratchDir } from './harness.js';

const ACT = {
  v: 1,
  ledger: 'L1',
  command: { type: 'TransferCustody', data: { carrierId: 'C1', giver: 'clerk1', receiver: 'reader1', location: 'Office 12' } },
  time: '2026-11-23T09:00:00.000Z',
  signers: ['clerk1', 'reader1'],
  events: [{ stream: 'carrier-C1', revision: 3, prevHash: 'c'.repeat(64), type: 'CustodyTransferred', data: {} }],
};

/** A transfer's data as key=value words, complete, so the CLI's own check lets it through. */
const TRANSFER = ['carrierId=C1', 'giver=clerk1', 'receiver=reader1', 'location=Office 12'];

/** A server that answers every prepare with ACT and remembers what it was asked. */
function recordingServer() {
  const bodies: unknown[] = [];
  const fetch: typeof globalThis.fetch = async (_input, init) => {
    bodies.push(JSON.parse(String(init?.body)));
    return new Response(JSON.stringify({ actId: 'a'.repeat(64), act: ACT, signers: ACT.signers }), { status: 200 });
  };
  return { fetch, bodies };
}

describe('custody prepare', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await scratchDir());
    const key = generateKeyPair();
    await writeFile(join(dir, 'clerk1.key'), JSON.stringify({ personId: 'clerk1', ...key }), { mode: 0o600 });
    await mkdir(join(dir, '.custody'));
    const session = { server: 'http://127.0.0.1:9', personId: 'clerk1', token: 't', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), keyFile: join(dir, 'clerk1.key') };
    await writeFile(join(dir, '.custody/session.json'), JSON.stringify(session), { mode: 0o600 });
  });
  afterEach(() => cleanup());

  it('sends key=value words as the command data, JSON values and dotted keys included', async () => {
    const server = recordingServer();
    const words = ['carrierId=C1', 'description.kind=document', 'description.classification=secret', 'description.title=Budget 2026', 'description.originator=Central Office',
      'description.reference=CO-17', 'description.copyNumber=1', 'description.itemCount=3', 'description.registry=R1', 'holder=clerk1', 'location=R1 safe 1', 'registeredBy=clerk1'];
    const result = await run(['prepare', 'RegisterCarrier', ...words, '--out', 'r.json'], { cwd: dir, fetch: server.fetch });
    expect(result.code, result.stderr).toBe(0);
    expect(server.bodies).toEqual([
      {
        command: {
          type: 'RegisterCarrier',
          data: {
            carrierId: 'C1',
            description: { kind: 'document', classification: 'secret', title: 'Budget 2026', originator: 'Central Office', reference: 'CO-17', copyNumber: 1, itemCount: 3, registry: 'R1' },
            holder: 'clerk1',
            location: 'R1 safe 1',
            registeredBy: 'clerk1',
          },
        },
      },
    ]);
  });

  it('takes the data from --data or --data-file, with key=value words overriding it', async () => {
    const server = recordingServer();
    await writeFile(join(dir, 'data.json'), JSON.stringify({ carrierId: 'C1', giver: 'clerk1', receiver: 'reader1', location: 'Office 1' }));
    await run(['prepare', 'TransferCustody', '--data-file', 'data.json', 'location=Office 12', '--out', 'a.json'], { cwd: dir, fetch: server.fetch });
    await run(['prepare', 'TransferCustody', '--data', '{"carrierId":"C2","receiver":"r","location":"L"}', 'giver=clerk1', '--out', 'b.json'], { cwd: dir, fetch: server.fetch });
    expect(server.bodies).toEqual([
      { command: { type: 'TransferCustody', data: { carrierId: 'C1', giver: 'clerk1', receiver: 'reader1', location: 'Office 12' } } },
      { command: { type: 'TransferCustody', data: { carrierId: 'C2', receiver: 'r', location: 'L', giver: 'clerk1' } } },
    ]);
  });

  it('writes the act file { act, signatures: [] }, private, and names who must sign', async () => {
    const result = await run(['prepare', 'TransferCustody', ...TRANSFER, '--out', 't.json'], { cwd: dir, fetch: recordingServer().fetch });
    expect(JSON.parse(await readFile(join(dir, 't.json'), 'utf8'))).toEqual({ act: ACT, signatures: [] });
    expect((await stat(join(dir, 't.json'))).mode & 0o777).toBe(0o600);
    expect(result.stdout).toContain('signers   clerk1 (to sign), reader1 (to sign)');
    expect(result.stdout).toContain('To sign: clerk1, reader1, each with: custody sign t.json --key <their key file>; then custody submit t.json');
  });

  it('--sign adds the logged-in person\'s signature at once', async () => {
    await run(['prepare', 'TransferCustody', ...TRANSFER, '--out', 't.json', '--sign'], { cwd: dir, fetch: recordingServer().fetch });
    const file = JSON.parse(await readFile(join(dir, 't.json'), 'utf8')) as { signatures: Array<{ signer: string }> };
    expect(file.signatures.map((s) => s.signer)).toEqual(['clerk1']);
  });

  it('refuses bad input before asking the server (exit 2)', async () => {
    const server = recordingServer();
    const cases = [
      [['prepare'], /missing <CommandType>/],
      [['prepare', 'TransferCustody', 'carrierId=C1'], /missing --out <act-file> \(or --submit\)/],
      [['prepare', 'TransferCustody', 'C1', '--out', 'x.json'], /expected key=value, got "C1"/],
      [['prepare', 'TransferCustody', '--data', '{oops', '--out', 'x.json'], /--data is not JSON/],
      [['prepare', 'TransferCustody', '--data', '[1]', '--out', 'x.json'], /the data must be a JSON object/],
      [['prepare', 'TransferCustody', '--data', '{}', '--data-file', 'd.json', '--out', 'x.json'], /give --data or --data-file, not both/],
    ] as const;
    for (const [argv, message] of cases) {
      const result = await run([...argv], { cwd: dir, fetch: server.fetch });
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(server.bodies).toEqual([]);
  });
});

describe('custody inbox, before any request', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await scratchDir()));
  afterEach(() => cleanup());

  it('refuses an unknown action, a missing act and a decline without a reason (exit 2)', async () => {
    const cases = [
      [['inbox', 'approve', 'abcd'], /unknown inbox action "approve": sign or decline/],
      [['inbox', 'sign'], /say which act: custody inbox sign <actId>/],
      [['inbox', 'decline', 'abcd'], /missing --reason <text>/],
    ] as const;
    for (const [argv, message] of cases) {
      const result = await run([...argv], { cwd: dir });
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});
