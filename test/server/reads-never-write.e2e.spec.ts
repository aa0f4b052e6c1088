import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/main.js';
import { CHECKPOINT_STREAM } from '../../src/verify/checkpoint/stream.js';
import { actor, createClient, type Actor } from './client.js';

// Issue 16 hole 5: a GET appended a checkpoint for any reader. Reads never write; the schedule signs.
let dir: string;
let server: RunningServer;
let http: ReturnType<typeof createClient>;
const officer = actor('officer');
const clerk1 = actor('clerk1');

const enrolment = (who: Actor, roles: unknown[]) => ({
  type: 'EnrolPerson',
  data: { personId: who.id, name: `Name of ${who.id}`, unit: 'Unit 1', clearance: 'top-secret', roles, publicKey: who.pair.publicKey, enrolledBy: 'officer' },
});

async function start(checkpointSeconds: number) {
  server = await startServer({ dbPath: join(dir, 'custody.db'), port: 0, checkpointSeconds, log: () => undefined });
  http = createClient(server.url);
  const genesis = await http.prepare(officer, enrolment(officer, [{ role: 'security-officer' }]));
  await http.request('POST', '/acts', { json: { act: genesis, signatures: [officer.sign(genesis)] } });
  await http.login(officer);
  const act = await http.prepare(officer, enrolment(clerk1, [{ role: 'registry-clerk', registry: 'R1' }]));
  await http.request('POST', '/acts', { token: officer.token!, json: { act, signatures: [officer.sign(act), clerk1.sign(act)] } });
  await http.login(clerk1);
  await http.perform(clerk1, {
    type: 'RegisterCarrier',
    data: {
      carrierId: 'D1',
      description: { kind: 'document', classification: 'secret', title: 'Plan', originator: 'Central Office', reference: 'CO-1', copyNumber: 1, itemCount: 1, registry: 'R1' },
      holder: 'clerk1',
      location: 'R1/safe-1',
      registeredBy: 'clerk1',
    },
  });
}

const handToOfficer = () =>
  http.perform(clerk1, { type: 'TransferCustody', data: { carrierId: 'D1', giver: 'clerk1', receiver: 'officer', location: 'Office 1' } }, [officer]);
const checkpointEvents = async () => (await server.home.store.readStream(CHECKPOINT_STREAM)).length;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custody-reads-'));
});
afterEach(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('reads never write', () => {
  it('twenty bundle downloads (and proofs, and the whole ledger) append no checkpoint: they use the newest one', async () => {
    await start(0);
    const taken = await http.request('POST', '/checkpoints', { token: officer.token! });
    expect(taken.status).toBe(200);
    const before = await checkpointEvents();
    const head = await server.home.store.headPosition();
    for (let i = 0; i < 20; i++) {
      const reply = await http.request('GET', '/carriers/D1/bundle', { token: clerk1.token! });
      expect(reply.status).toBe(200);
      expect(reply.body.checkpoint.split('\n', 2)[1]).toBe(String(taken.body.size));
    }
    expect((await http.request('GET', '/checkpoints/cosign-request?from=0', { token: officer.token! })).status).toBe(200);
    expect((await fetch(`${server.url}/bundle`, { headers: { authorization: `Bearer ${officer.token}` } })).status).toBe(200);
    expect(await checkpointEvents()).toBe(before);
    expect(await server.home.store.headPosition()).toBe(head);
  });

  it('a bundle asked for right after an append waits for the schedule\'s checkpoint, which covers the new event', async () => {
    await start(1);
    const moved = await handToOfficer();
    expect(moved.status).toBe(201);
    const reply = await http.request('GET', '/carriers/D1/bundle', { token: officer.token! });
    expect(reply.status).toBe(200);
    const d1 = reply.body.streams.find((s: { stream: string }) => s.stream === 'carrier-D1');
    expect(d1.events.at(-1).type).toBe('CustodyTransferred');
  });

  it('with checkpoints only on demand, a bundle not yet covered is a 503 saying how to get one, and nothing is signed', async () => {
    await start(0);
    const before = await checkpointEvents();
    const reply = await http.request('GET', '/carriers/D1/bundle', { token: clerk1.token! });
    expect(reply).toMatchObject({ status: 503, body: { detail: expect.stringMatching(/covers 0 of the 3 events .*only on demand.*custody checkpoint --take/) } });
    expect(await checkpointEvents()).toBe(before);
  });
});
