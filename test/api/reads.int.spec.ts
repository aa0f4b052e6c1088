import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CarrierList, CarrierView, HistoryResponse, HoldingsResponse, InboxResponse, PersonView } from '../../src/api/schemas.js';
import { createApiKit, type ApiKit } from './kit.js';

let api: ApiKit;
beforeEach(async () => {
  api = await createApiKit();
});
// Every refusal is a 4xx problem; nothing a client sends may end in a 500.
afterEach(() => expect(api.unexpected).toEqual([]));

describe('GET /carriers/:id', () => {
  it('shows status, holder, location, classification and since when, at its last revision', async () => {
    await api.kit.perform(api.transfer('C1', 'clerk1', 'reader1'));
    const reply = await api.call('GET', '/carriers/C1', { token: await api.login('reader1') });
    expect(reply.status).toBe(200);
    expect(reply.contentType).toMatch(/^application\/json/);
    const carrier = api.kit.ledger.model.carriers.get('C1');
    expect(reply.body).toEqual({
      id: 'C1',
      status: 'held',
      kind: 'document',
      classification: 'secret',
      title: 'Document C1',
      registry: 'R1',
      reference: 'CO-C1',
      originator: 'Central Office',
      copyNumber: 1,
      holders: ['reader1'],
      location: 'Office 12',
      since: carrier && 'since' in carrier ? carrier.since : 'missing',
      atRegistry: false,
      registeredAt: expect.any(String),
      registeredBy: 'clerk1',
      parentId: null,
      copies: [],
      circulation: null,
      transport: null,
      revision: 1,
    });
  });

  it('answers a carrier you may not see exactly like one that does not exist', async () => {
    const token = await api.login('reader2');
    const hidden = await api.refusedWithoutAppending(404, () => api.call('GET', '/carriers/C1', { token }));
    const unknown = await api.refusedWithoutAppending(404, () => api.call('GET', '/carriers/C404', { token }));
    expect(hidden.body).toEqual({ ...unknown.body, detail: 'carrier C1 not found' });
    expect(unknown.body.detail).toBe('carrier C404 not found');
    await api.refusedWithoutAppending(404, () => api.call('GET', '/carriers/C1/history', { token }));
  });

  it('lets security officers and investigators see every carrier, and past holders see what they held', async () => {
    await api.kit.enrol({ id: 'inspector', clearance: 'top-secret', roles: [{ role: 'investigator' }] });
    await api.kit.perform(api.transfer('C1', 'clerk1', 'reader2'));
    await api.kit.perform(api.transfer('C1', 'reader2', 'clerk2'));
    for (const person of ['officer', 'inspector', 'clerk1', 'reader2', 'clerk2']) {
      expect((await api.call('GET', '/carriers/C1', { token: await api.login(person) })).status, person).toBe(200);
    }
    expect((await api.call('GET', '/carriers/C1', { token: await api.login('reader1') })).status).toBe(404);
  });

  it('400 for an id that is not an id', async () => {
    const token = await api.login('officer');
    const reply = await api.refusedWithoutAppending(400, () => api.call('GET', '/carriers/%20bad', { token }));
    expect(reply.body.issues[0].path).toEqual(['id']);
  });
});

describe('GET /carriers/:id/history', () => {
  it('lists every event in order with its signers, act id and chained hash', async () => {
    await api.kit.perform(api.transfer('C1', 'clerk1', 'reader1'));
    const reply = await api.call('GET', '/carriers/C1/history', { token: await api.login('officer') });
    expect(reply.status).toBe(200);
    const [registered, transferred] = reply.body.items;
    expect(registered).toMatchObject({ revision: 0, type: 'CarrierRegistered', signers: ['clerk1'], prevHash: null });
    expect(transferred).toMatchObject({ revision: 1, type: 'CustodyTransferred', signers: ['clerk1', 'reader1'], prevHash: registered.hash });
    expect(transferred.data).toMatchObject({ from: 'clerk1', to: 'reader1' });
    expect(transferred.signatures.map((s: { signer: string }) => s.signer)).toEqual(['clerk1', 'reader1']);
    expect(transferred.actId).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('GET /carriers (filters and pages)', () => {
  beforeEach(async () => {
    for (const id of ['C2', 'C3', 'C4', 'C5']) await api.kit.register(id);
    await api.kit.register('TS1', 'top-secret');
    await api.kit.perform(api.transfer('C3', 'clerk1', 'reader1'));
  });

  it('filters by holder, location, status, classification and kind', async () => {
    const token = await api.login('officer');
    const ids = async (query: string) =>
      (await api.call('GET', `/carriers?${query}`, { token })).body.items.map((c: { id: string }) => c.id);
    expect(await ids('holder=reader1')).toEqual(['C3']);
    expect(await ids('location=Office%2012')).toEqual(['C3']);
    expect(await ids('classification=top-secret')).toEqual(['TS1']);
    expect(await ids('status=held&kind=document&holder=clerk1')).toEqual(['C1', 'C2', 'C4', 'C5', 'TS1']);
    expect(await ids('status=destroyed')).toEqual([]);
  });

  it('pages in id order with an opaque cursor', async () => {
    const token = await api.login('officer');
    const first = await api.call('GET', '/carriers?limit=4', { token });
    expect(first.body.items.map((c: { id: string }) => c.id)).toEqual(['C1', 'C2', 'C3', 'C4']);
    const second = await api.call('GET', `/carriers?limit=4&cursor=${first.body.nextCursor}`, { token });
    expect(second.body).toMatchObject({ nextCursor: null });
    expect(second.body.items.map((c: { id: string }) => c.id)).toEqual(['C5', 'TS1']);
  });

  it('shows others only the carriers they may see', async () => {
    const reply = await api.call('GET', '/carriers', { token: await api.login('reader1') });
    expect(reply.body.items.map((c: { id: string }) => c.id)).toEqual(['C3']);
  });

  it('400 for unknown query parameters and values outside their range', async () => {
    const token = await api.login('officer');
    for (const query of ['colour=red', 'limit=0', 'limit=many', 'status=borrowed', 'classification=public', 'cursor=%25%25']) {
      const reply = await api.refusedWithoutAppending(400, () => api.call('GET', `/carriers?${query}`, { token }));
      expect(reply.body.issues.length, query).toBeGreaterThan(0);
    }
  });
});

describe('persons and holdings', () => {
  it('anyone logged in reads a person\'s public record', async () => {
    const reply = await api.call('GET', '/persons/courier1', { token: await api.login('reader1') });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      id: 'courier1',
      name: 'Name of courier1',
      unit: 'Unit 1',
      clearance: 'top-secret',
      roles: [{ role: 'courier' }],
      status: 'active',
      keys: [{ publicKey: api.kit.key('courier1').publicKey, validUntil: null, revokedFrom: null }],
    });
    const token = await api.login('reader1');
    await api.refusedWithoutAppending(404, () => api.call('GET', '/persons/nobody', { token }));
  });

  it('your own holdings for you, anyone\'s for security officers; others get 403', async () => {
    await api.kit.register('C2', 'secret', 'clerk1');
    await api.kit.perform(api.transfer('C2', 'clerk1', 'reader1'));
    const mine = await api.call('GET', '/persons/reader1/holdings', { token: await api.login('reader1') });
    expect(mine.body.items.map((c: { id: string }) => c.id)).toEqual(['C2']);
    const officer = await api.call('GET', '/persons/clerk1/holdings', { token: await api.login('officer') });
    expect(officer.body.items.map((c: { id: string }) => c.id)).toEqual(['C1']);
    const reader = await api.login('reader1');
    await api.refusedWithoutAppending(403, () => api.call('GET', '/persons/clerk1/holdings', { token: reader }));
  });
});

describe('responses keep to the schemas /openapi.json publishes', () => {
  it('carrier, list, history, person, holdings and inbox replies parse with their response schemas', async () => {
    await api.kit.register('TS1', 'top-secret');
    await api.kit.perform({ type: 'OpenCirculation', data: { carrierId: 'C1', circulationId: 'CIRC-1', readers: ['reader1'], openedBy: 'clerk1' } });
    await api.kit.perform({
      type: 'DispatchTransport',
      data: { carrierIds: ['TS1'], transportId: 'T1', giver: 'clerk1', couriers: ['courier1', 'courier2'], destination: { registry: 'R2' }, leavesPremises: true, seal: 'S-1' },
    });
    const officer = await api.login('officer');
    const get = async (path: string) => (await api.call('GET', path, { token: officer })).body;
    CarrierView.strict().parse(await get('/carriers/C1'));
    CarrierView.strict().parse(await get('/carriers/TS1'));
    CarrierList.parse(await get('/carriers'));
    HistoryResponse.parse(await get('/carriers/TS1/history'));
    PersonView.strict().parse(await get('/persons/clerk1'));
    HoldingsResponse.parse(await get('/persons/courier1/holdings'));
    await api.kit.register('C2');
    await api.submit('clerk1', await api.prepare('clerk1', api.transfer('C2', 'clerk1', 'reader2')), ['clerk1']);
    const inbox = InboxResponse.parse((await api.call('GET', '/inbox', { token: await api.login('reader2') })).body);
    expect(inbox.items).toHaveLength(1);
  });
});
