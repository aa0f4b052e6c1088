import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/main.js';
import { actor, createClient, type Actor } from './client.js';

/**
 * One top-secret document through its whole life over real HTTP, every act signed with real keys by
 * the people whose act it records: enrolment, registration, circulation to two readers, an approved
 * copy, two-person transport, delivery at another registry, supervised destruction. Then a restart
 * on the same file reads it back the same.
 */
let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custody-e2e-'));
  server = await startServer({ dbPath: join(dir, 'data', 'custody.db'), host: '127.0.0.1', port: 0, log: () => undefined });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const people = {
  officer: actor('officer'),
  clerk1: actor('clerk1'),
  clerkB: actor('clerkB'),
  reader1: actor('reader1'),
  reader2: actor('reader2'),
  originAuth: actor('originAuth'),
  courier1: actor('courier1'),
  courier2: actor('courier2'),
  witness: actor('witness'),
};
const { officer, clerk1, clerkB, reader1, reader2, originAuth, courier1, courier2, witness } = people;

const roles: Record<string, unknown[]> = {
  officer: [{ role: 'security-officer' }],
  clerk1: [{ role: 'registry-clerk', registry: 'R1' }],
  clerkB: [{ role: 'registry-clerk', registry: 'R2' }],
  originAuth: [{ role: 'approver', authority: 'originating-authority', originators: ['Central Office'] }],
  courier1: [{ role: 'courier' }],
  courier2: [{ role: 'courier' }],
};

const enrolment = (who: Actor, by: Actor) => ({
  type: 'EnrolPerson',
  data: {
    personId: who.id,
    name: `Name of ${who.id}`,
    unit: 'Unit 1',
    clearance: 'top-secret',
    roles: roles[who.id] ?? [],
    publicKey: who.pair.publicKey,
    enrolledBy: by.id,
  },
});

describe('one top-secret document, end to end over HTTP', () => {
  it('walks the whole life of D1 and reads it back the same after a restart', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(statSync(join(dir, 'data', 'ledger-key.json')).mode & 0o777).toBe(0o600);
    let http = createClient(server.url);
    const ledger = await http.request('GET', '/ledger');
    expect(ledger.body).toEqual({ ledgerId: server.home.ledgerId, publicKey: server.home.ledgerKey.publicKey });

    // The first security officer enrols themself, without a token, on the empty ledger.
    const genesis = await http.prepare(officer, enrolment(officer, officer));
    expect((await http.request('POST', '/acts', { json: { act: genesis, signatures: [officer.sign(genesis)] } })).status).toBe(201);
    await http.login(officer);

    // Everyone else: prepared by the officer, signed by the officer and the enrollee (proof of the key).
    for (const person of [clerk1, clerkB, reader1, reader2, originAuth, courier1, courier2, witness]) {
      const act = await http.prepare(officer, enrolment(person, officer));
      const reply = await http.request('POST', '/acts', { token: officer.token!, json: { act, signatures: [officer.sign(act), person.sign(act)] } });
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      await http.login(person);
    }

    // Registration (R-REG-1).
    await http.perform(clerk1, {
      type: 'RegisterCarrier',
      data: {
        carrierId: 'D1',
        description: { kind: 'document', classification: 'top-secret', title: 'Annual plan', originator: 'Central Office', reference: 'CO-2026-17', copyNumber: 1, itemCount: 12, registry: 'R1' },
        holder: 'clerk1',
        location: 'R1/safe-1',
        registeredBy: 'clerk1',
      },
    });

    // Circulation to two readers, one at a time, each returning it to the registry (R-CIRC-1..3).
    await http.perform(clerk1, { type: 'OpenCirculation', data: { carrierId: 'D1', circulationId: 'CIRC-1', readers: ['reader1', 'reader2'], openedBy: 'clerk1' } });
    for (const reader of [reader1, reader2]) {
      await http.perform(clerk1, { type: 'IssueToReader', data: { carrierId: 'D1', circulationId: 'CIRC-1', reader: reader.id, issuedBy: 'clerk1' } }, [reader], {
        [reader.id]: 'receive carrier D1 from clerk1 to read (circulation CIRC-1)',
      });
      await http.perform(reader, { type: 'ReturnFromReader', data: { carrierId: 'D1', circulationId: 'CIRC-1', reader: reader.id, readerName: `Name of ${reader.id}`, receivedBy: 'clerk1' } }, [clerk1], {
        clerk1: `take back carrier D1 from reader ${reader.id} (circulation CIRC-1)`,
      });
    }
    await http.perform(clerk1, { type: 'CloseCirculation', data: { carrierId: 'D1', circulationId: 'CIRC-1', closedBy: 'clerk1' } });

    // One copy, approved beforehand by the originating authority (R-COPY-1..3).
    await http.perform(clerk1, { type: 'RequestCopies', data: { carrierId: 'D1', requestId: 'CR-1', copies: 1, reason: 'for the field office', requestedBy: 'clerk1' } });
    await http.perform(originAuth, { type: 'ApproveCopies', data: { carrierId: 'D1', requestId: 'CR-1', approvedBy: 'originAuth' } });
    await http.perform(clerk1, {
      type: 'MakeCopies',
      data: { carrierId: 'D1', requestId: 'CR-1', copies: [{ carrierId: 'D1-2', copyNumber: 2 }], holder: 'clerk1', location: 'R1/safe-1', madeBy: 'clerk1' },
    });

    // Two-person transport leaving the premises, sealed (R-TRANSPORT-2, R-TRANSPORT-4).
    await http.perform(
      clerk1,
      { type: 'DispatchTransport', data: { carrierIds: ['D1'], transportId: 'T1', giver: 'clerk1', couriers: ['courier1', 'courier2'], destination: { registry: 'R2' }, leavesPremises: true, seal: 'SEAL-42' } },
      [courier1, courier2],
      { courier1: 'co-sign transport T1 of D1 as courier', courier2: 'co-sign transport T1 of D1 as courier' },
    );
    expect((await http.request('GET', '/carriers/D1', { token: courier2.token! })).body).toMatchObject({ status: 'in-transit', holders: ['courier1', 'courier2'] });

    // Delivery at the other registry: both couriers and the receiving clerk sign (R-TRANSPORT-3).
    await http.perform(
      courier1,
      { type: 'DeliverTransport', data: { carrierIds: ['D1'], transportId: 'T1', couriers: ['courier1', 'courier2'], receiver: 'clerkB', location: 'R2/safe-2', sealSeen: 'SEAL-42' } },
      [courier2, clerkB],
      { clerkB: 'receive transport T1 of D1 from courier1 and courier2' },
    );

    // Supervised destruction: request, approval, destruction signed by the destroyer and a witness (R-DESTROY-1..4).
    await http.perform(clerkB, { type: 'RequestDestruction', data: { carrierIds: ['D1'], requestId: 'DR-1', method: 'shred', reason: 'superseded', requestedBy: 'clerkB' } });
    await http.perform(officer, { type: 'ApproveDestruction', data: { carrierIds: ['D1'], requestId: 'DR-1', approvedBy: 'officer' } });
    await http.perform(clerkB, { type: 'DestroyCarriers', data: { carrierIds: ['D1'], requestId: 'DR-1', destroyedBy: 'clerkB', witness: 'witness', location: 'R2 shredder room' } }, [witness], {
      witness: 'witness the destruction of D1 by clerkB',
    });

    const carrier = await http.request('GET', '/carriers/D1', { token: officer.token! });
    expect(carrier.body).toMatchObject({ status: 'destroyed', holders: [], location: 'R2 shredder room', classification: 'top-secret', copies: ['D1-2'] });
    const history = await http.request('GET', '/carriers/D1/history', { token: officer.token! });
    expect(history.body.items.map((e: { type: string }) => e.type)).toEqual([
      'CarrierRegistered',
      'CirculationOpened',
      'CarrierIssuedToReader',
      'CarrierReturnedByReader',
      'CarrierIssuedToReader',
      'CarrierReturnedByReader',
      'CirculationClosed',
      'CopyRequested',
      'CopyApproved',
      'CopiesMade',
      'TransportDispatched',
      'TransportDelivered',
      'DestructionRequested',
      'DestructionApproved',
      'CarrierDestroyed',
    ]);
    expect(history.body.items.find((e: { type: string }) => e.type === 'TransportDispatched').signers).toEqual(['clerk1', 'courier1', 'courier2']);
    expect(history.body.items.at(-1).signers).toEqual(['clerkB', 'witness']);
    // The destroyed carrier stays visible to those who held it, and is in nobody's holdings.
    expect((await http.request('GET', '/carriers/D1', { token: reader1.token! })).status).toBe(200);
    expect((await http.request('GET', '/persons/clerkB/holdings', { token: clerkB.token! })).body.items).toEqual([]);
    const copy = await http.request('GET', '/carriers/D1-2', { token: clerk1.token! });

    // Restart on the same file: tokens are gone, the record is not.
    await server.close();
    server = await startServer({ dbPath: join(dir, 'data', 'custody.db'), host: '127.0.0.1', port: 0, log: () => undefined });
    http = createClient(server.url);
    expect((await http.request('GET', '/carriers/D1', { token: officer.token! })).status).toBe(401);
    await http.login(officer);
    await http.login(clerk1);
    expect(await http.request('GET', '/carriers/D1', { token: officer.token! })).toEqual(carrier);
    expect(await http.request('GET', '/carriers/D1/history', { token: officer.token! })).toEqual(history);
    expect(await http.request('GET', '/carriers/D1-2', { token: clerk1.token! })).toEqual(copy);
  });
});
