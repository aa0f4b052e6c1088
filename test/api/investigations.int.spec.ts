import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigner } from '../../src/crypto/ed25519.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { createMemoryInbox } from '../../src/inbox/memory.js';
import { createApp } from '../../src/api/app.js';
import { loginSigningBytes } from '../../src/api/auth.js';
import { createProjections, type ProjectionSet } from '../../src/projections/index.js';
import { createKit, LEDGER_ID, steppingClock, type Kit } from '../ledger/kit.js';
import type { Reply } from './kit.js';

/**
 * The investigation routes in-process over real signed acts: a transfer, a circulation, copies and
 * a missing report, answered from the projections the app is given.
 */
let kit: Kit;
let projections: ProjectionSet;
let app: ReturnType<typeof createApp>;
const unexpected: unknown[] = [];
const tokens = new Map<string, string>();
/** Times of the acts the as-of answers are checked around. */
let registeredC1: string;
let transferredC1: string;

async function call(method: string, path: string, token?: string, json?: unknown): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (json !== undefined) headers['content-type'] = 'application/json';
  const response = await app.request(path, { method, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
  const contentType = response.headers.get('content-type') ?? '';
  const text = await response.text();
  return { status: response.status, contentType, body: contentType.includes('json') ? JSON.parse(text) : text };
}

async function login(personId: string): Promise<string> {
  const cached = tokens.get(personId);
  if (cached) return cached;
  const { body: challenge } = await call('POST', '/auth/challenge', undefined, { personId });
  const pair = kit.key(personId);
  const signature = createSigner(pair.secretKey).sign(loginSigningBytes(LEDGER_ID, personId, challenge.challenge));
  const reply = await call('POST', '/auth/token', undefined, { personId, publicKey: pair.publicKey, challenge: challenge.challenge, signature });
  tokens.set(personId, reply.body.token);
  return reply.body.token;
}

/** GET as `personId`, expecting `status`. */
async function get(personId: string, path: string, status = 200): Promise<Reply> {
  const reply = await call('GET', path, await login(personId));
  expect(reply.status, `${path}: ${JSON.stringify(reply.body)}`).toBe(status);
  return reply;
}

const shift = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

beforeAll(async () => {
  const store = createMemoryStore();
  const clock = steppingClock();
  kit = await createKit(store, clock);
  await kit.enrolCast();
  await kit.register('C1');
  await kit.register('C2');
  await kit.register('C3');
  await kit.perform({ type: 'TransferCustody', data: { carrierId: 'C1', giver: 'clerk1', receiver: 'reader2', location: 'Office 12' } });
  await kit.perform({ type: 'OpenCirculation', data: { carrierId: 'C2', circulationId: 'CIRC-1', readers: ['reader1'], openedBy: 'clerk1' } });
  await kit.perform({ type: 'IssueToReader', data: { carrierId: 'C2', circulationId: 'CIRC-1', reader: 'reader1', issuedBy: 'clerk1' } });
  await kit.perform({ type: 'ReportMissing', data: { carrierId: 'C2', reportedBy: 'reader1', circumstances: 'not on the desk after lunch' } });
  await kit.perform({ type: 'RequestCopies', data: { carrierId: 'C3', requestId: 'CR-1', copies: 1, reason: 'for the file', requestedBy: 'clerk1' } });
  await kit.perform({ type: 'ApproveCopies', data: { carrierId: 'C3', requestId: 'CR-1', approvedBy: 'unitHead' } });
  await kit.perform({
    type: 'MakeCopies',
    data: { carrierId: 'C3', requestId: 'CR-1', copies: [{ carrierId: 'C3-2', copyNumber: 2 }], holder: 'clerk1', location: 'R1/safe-1', madeBy: 'clerk1' },
  });
  projections = await createProjections({ store, policy: kit.ledger.basePolicy, clock });
  app = createApp({ ledger: kit.ledger, store, inbox: createMemoryInbox(), projections, clock, log: (error) => unexpected.push(error) });
  registeredC1 = (await get('officer', '/carriers/C1/history')).body.items[0].time;
  transferredC1 = (await get('officer', '/carriers/C1/where')).body.since;
});

afterAll(() => {
  projections.close();
  expect(unexpected).toEqual([]);
});

describe('where a carrier is, now and as of a time', () => {
  it('answers now with holder, location and the act that put it there', async () => {
    const { body } = await get('reader2', '/carriers/C1/where');
    expect(body).toMatchObject({ carrierId: 'C1', status: 'held', holders: ['reader2'], location: 'Office 12', act: { eventType: 'CustodyTransferred' } });
  });

  it('answers before, exactly at, and after the transfer; before registration is a 404', async () => {
    const at = async (t: string) => (await get('officer', `/carriers/C1/where?at=${encodeURIComponent(t)}`)).body;
    expect(await at(shift(transferredC1, -1))).toMatchObject({ holders: ['clerk1'], location: 'R1/safe-1', until: transferredC1 });
    expect(await at(transferredC1)).toMatchObject({ holders: ['reader2'], since: transferredC1 });
    expect(await at(shift(transferredC1, 3_600_000))).toMatchObject({ holders: ['reader2'], until: null });
    await get('officer', `/carriers/C1/where?at=${encodeURIComponent(shift(registeredC1, -1))}`, 404);
  });

  it('a bad `at` is a 400 naming the field; a hidden carrier is a 404 like an unknown one', async () => {
    const bad = await get('officer', '/carriers/C1/where?at=yesterday', 400);
    expect(bad.body.issues).toEqual([expect.objectContaining({ path: ['at'] })]);
    const hidden = await get('reader1', '/carriers/C3/where', 404);
    const unknown = await get('reader1', '/carriers/C404/where', 404);
    expect(hidden.body).toEqual({ ...unknown.body, detail: 'carrier C3 not found' });
    await get('reader1', '/carriers/C3/lineage', 404);
  });

  it('reads its own write: right after POST /acts the new holder is answered', async () => {
    const act = kit.transfer('C3-2', 'clerk1', 'reader1');
    const submitted = await call('POST', '/acts', await login('clerk1'), kit.signed(act));
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const { body } = await get('reader1', '/carriers/C3-2/where');
    expect(body).toMatchObject({ holders: ['reader1'], since: act.time });
  });
});

describe('holdings and locations as of a time', () => {
  it('a person reads their own holdings at a time; others only officers and investigators', async () => {
    const before = await get('reader2', `/persons/reader2/holdings-at?at=${encodeURIComponent(shift(transferredC1, -1))}`);
    expect(before.body.carriers).toEqual([]);
    const after = await get('officer', `/persons/reader2/holdings-at?at=${encodeURIComponent(transferredC1)}`);
    expect(after.body.carriers.map((c: { carrierId: string }) => c.carrierId)).toEqual(['C1']);
    await get('reader1', `/persons/reader2/holdings-at?at=${encodeURIComponent(transferredC1)}`, 403);
  });

  it('what was at a location, now and before the carriers were registered (officers only)', async () => {
    const now = await get('officer', '/locations/R1%2Fsafe-1/carriers');
    expect(now.body.carriers.map((c: { carrierId: string }) => c.carrierId)).toContain('C3');
    const before = await get('officer', `/locations/R1%2Fsafe-1/carriers?at=${encodeURIComponent(shift(registeredC1, -1))}`);
    expect(before.body).toMatchObject({ location: 'R1/safe-1', carriers: [] });
    await get('clerk1', '/locations/R1%2Fsafe-1/carriers', 403);
  });
});

describe('access, lineage, traces, alerts, incidents', () => {
  it('R-ACCESS-1: the access record names everyone who held or read the carrier (officers only)', async () => {
    const { body } = await get('officer', '/carriers/C2/access');
    expect(body.people.map((p: { personId: string }) => p.personId)).toEqual(expect.arrayContaining(['clerk1', 'reader1']));
    await get('reader1', '/carriers/C2/access', 403);
  });

  it('lineage shows the copy under its original, for whoever may see the carrier', async () => {
    const { body } = await get('clerk1', '/carriers/C3/lineage');
    expect(body.tree).toMatchObject({ carrierId: 'C3', copies: [expect.objectContaining({ carrierId: 'C3-2', copyNumber: 2 })] });
    expect(body.parent).toBeNull();
  });

  it('R-LOSS: the trace of the missing carrier names the reader and the running deadlines', async () => {
    const { body } = await get('officer', '/carriers/C2/trace');
    expect(body.case).toMatchObject({ reportedBy: 'reader1' });
    expect(body.custodians.people.map((p: { personId: string }) => p.personId)).toContain('reader1');
    expect(body.deadlines.conclusion.state).toBe('running');
    await get('reader1', '/carriers/C2/trace', 403);
  });

  it('alerts list the open missing case, filter by rule and carrier, and are for officers only', async () => {
    const all = await get('officer', '/alerts');
    expect(all.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ carrierId: 'C2', rule: expect.stringMatching(/^R-LOSS/) })]));
    const later = shift(transferredC1, 5 * 86_400_000);
    const circ = await get('officer', `/alerts?now=${encodeURIComponent(later)}&rule=R-CIRC-4&carrierId=C2`);
    expect(circ.body.now).toBe(later);
    expect(circ.body.items).toEqual([expect.objectContaining({ rule: 'R-CIRC-4', carrierId: 'C2' })]);
    const badRule = await get('officer', '/alerts?rule=R-NOPE', 400);
    expect(JSON.stringify(badRule.body.issues)).toMatch(/rules/);
    await get('clerk1', '/alerts', 403);
  });

  it('an incident over the window, as JSON, Markdown and HTML with its timeline; officers only', async () => {
    const window = `from=${encodeURIComponent(registeredC1)}&to=${encodeURIComponent(shift(transferredC1, 86_400_000))}`;
    const json = await get('officer', `/incidents?${window}&carriers=C1,C2`);
    expect(json.body.carriers.map((c: { carrierId: string }) => c.carrierId).sort()).toEqual(['C1', 'C2']);
    expect(json.body.timeline.map((a: { commandType: string }) => a.commandType)).toEqual(
      expect.arrayContaining(['RegisterCarrier', 'TransferCustody', 'IssueToReader', 'ReportMissing']),
    );
    const md = await get('officer', `/incidents?${window}&person=reader1&format=md`);
    expect(md.contentType).toMatch(/^text\/markdown/);
    expect(md.body).toMatch(/C2/);
    const html = await get('officer', `/incidents?${window}&format=html`);
    expect(html.contentType).toMatch(/^text\/html/);
    expect(html.body).toMatch(/<svg/);
    const reversed = await get('officer', `/incidents?from=${encodeURIComponent(transferredC1)}&to=${encodeURIComponent(registeredC1)}`, 400);
    expect(reversed.body.issues).toEqual([expect.objectContaining({ path: ['to'] })]);
    await get('reader2', `/incidents?${window}`, 403);
  });

  it('an incident report names the ledger, the newest checkpoint, who made it and when', async () => {
    const window = `from=${encodeURIComponent(registeredC1)}&to=${encodeURIComponent(shift(transferredC1, 86_400_000))}`;
    const { body } = await get('officer', `/incidents?${window}&carriers=C1`);
    expect(body.provenance).toMatchObject({ ledgerId: kit.ledger.ledgerId, madeBy: { personId: 'officer' } });
    expect(body.madeAt).toEqual(expect.any(String));
    if (body.provenance.checkpoint !== null) expect(body.provenance.checkpoint).toMatchObject({ size: expect.any(Number), root: expect.any(String) });
    const html = await get('officer', `/incidents?${window}&carriers=C1&format=html`);
    expect(html.body).toContain(`Ledger ${kit.ledger.ledgerId}`);
    expect(html.body).toMatch(/Made at \S+ by .* \(officer\)/);
  });

  it('the incident report and the trace agree on when the missing carrier left its last holder: at the report', async () => {
    const trace = (await get('officer', '/carriers/C2/trace')).body;
    const window = `from=${encodeURIComponent(registeredC1)}&to=${encodeURIComponent(shift(transferredC1, 86_400_000))}`;
    const incident = (await get('officer', `/incidents?${window}&carriers=C2`)).body;
    const fromTrace = trace.custodians.people.find((p: { personId: string }) => p.personId === 'reader1');
    const fromIncident = incident.people.find((p: { personId: string }) => p.personId === 'reader1');
    expect(fromIncident.last).toBe(fromTrace.periods.at(-1).to);
    expect(fromIncident.last).toBe(trace.exposure.to);
    const missing = incident.carriers[0].spans.filter((s: { status: string }) => s.status === 'missing');
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.every((s: { holders: string[] }) => s.holders.length === 0)).toBe(true);
  });

  it('every investigation route is described in /openapi.json', async () => {
    const { body } = await call('GET', '/openapi.json');
    for (const path of ['/carriers/{id}/where', '/persons/{id}/holdings-at', '/locations/{location}/carriers', '/carriers/{id}/access', '/carriers/{id}/lineage', '/carriers/{id}/trace', '/alerts', '/policy', '/incidents']) {
      expect(body.paths[path]?.get, path).toBeDefined();
    }
  });
});

describe('the policy in force', () => {
  it('any signed-in person reads it, at any instant, with every recorded change; a bad `at` is a 400 naming it', async () => {
    const seed = await get('reader1', '/policy');
    expect(seed.body).toMatchObject({ inForce: { name: 'seed-default', version: 1 }, since: null, adoptedBy: null, history: [] });

    const policy = { ...kit.ledger.policy, name: 'ministry-2027', version: 2, circulationMaxHours: 24 };
    const adopted = await kit.perform({ type: 'AdoptPolicy', data: { policy, adoptedBy: 'officer' } });
    const now = await get('reader1', '/policy');
    expect(now.body).toMatchObject({ inForce: policy, adoptedBy: 'officer', history: [{ policy, adoptedBy: 'officer' }] });
    expect(adopted.events[0]!.stream).toBe('ledger-policy');
    const since = now.body.since as string;
    expect((await get('reader1', `/policy?at=${encodeURIComponent(shift(since, -1))}`)).body).toMatchObject({ inForce: { version: 1 }, since: null });
    expect((await get('reader1', `/policy?at=${encodeURIComponent(since)}`)).body).toMatchObject({ inForce: { version: 2 }, since });

    const bad = await get('reader1', '/policy?at=yesterday', 400);
    expect(bad.body.issues).toEqual([expect.objectContaining({ path: ['at'] })]);
  });
});
