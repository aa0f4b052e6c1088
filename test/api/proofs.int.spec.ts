import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSigner, generateKeyPair } from '../../src/crypto/ed25519.js';
import { createApp } from '../../src/api/app.js';
import { loginSigningBytes } from '../../src/api/auth.js';
import type { EventStore } from '../../src/store/port.js';
import {
  cosignCheckpoint,
  createCheckpointer,
  initialWitnessState,
  parseTrustedKey,
  verifyBundle,
  verifyConsistency,
  verifyInclusion,
  verifySignedCheckpoint,
  witnessVerifierKey,
  type Checkpointer,
  type LedgerKey,
  type TrustedKey,
} from '../../src/verify/index.js';
import { parseCheckpointText } from '../../src/verify/checkpoint/checkpoint.js';
import { hashFromBase64, hashFromHex, leafHash } from '../../src/verify/merkle/hash.js';
import { parseNote } from '../../src/verify/note/note.js';
import { LEDGER_ID } from '../ledger/kit.js';
import { createApiKit, storeSnapshot, type ApiKit, type Reply } from './kit.js';

/**
 * The proof routes in-process, over the API kit's ledger (the cast enrolled, C1 registered to
 * clerk1) and a checkpointer with its own ledger key and one configured witness.
 */
const auditor = { name: 'audit-office', ...generateKeyPair() };
const auditorKey = parseTrustedKey(witnessVerifierKey(auditor.name, auditor.secretKey), 'witness') as TrustedKey;

let api: ApiKit;
let ledgerKey: LedgerKey;
let served: ReturnType<typeof serve>;
let unexpected: unknown[];

/** An app with a checkpointer over the kit's ledger; its own sessions, so its own logins. */
function serve(checkpointer: Checkpointer, store: EventStore = api.store) {
  const app = createApp({ ledger: api.kit.ledger, store, inbox: api.inbox, clock: api.clock, checkpointer, log: (error) => unexpected.push(error) });
  const tokens = new Map<string, string>();
  async function call(method: string, path: string, options: { token?: string; json?: unknown } = {}): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    const response = await app.request(path, { method, headers, ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }) });
    const contentType = response.headers.get('content-type') ?? '';
    const text = await response.text();
    return { status: response.status, contentType, body: /^application\/(problem\+)?json/.test(contentType) ? JSON.parse(text) : text };
  }
  async function login(personId: string): Promise<string> {
    const cached = tokens.get(personId);
    if (cached) return cached;
    const { body: challenge } = await call('POST', '/auth/challenge', { json: { personId } });
    const pair = api.kit.key(personId);
    const signature = createSigner(pair.secretKey).sign(loginSigningBytes(LEDGER_ID, personId, challenge.challenge));
    const reply = await call('POST', '/auth/token', { json: { personId, publicKey: pair.publicKey, challenge: challenge.challenge, signature } });
    tokens.set(personId, reply.body.token);
    return reply.body.token;
  }
  /** `personId` calls; the reply must be the problem `status`, and the store must not have moved. */
  async function refused(status: number, personId: string | null, method: string, path: string, json?: unknown): Promise<Reply> {
    const token = personId === null ? undefined : await login(personId);
    const before = await storeSnapshot(api.store);
    const reply = await call(method, path, { ...(token ? { token } : {}), ...(json === undefined ? {} : { json }) });
    expect(reply.status, JSON.stringify(reply.body)).toBe(status);
    expect(reply.contentType).toBe('application/problem+json');
    expect(reply.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    expect(await storeSnapshot(api.store)).toBe(before);
    return reply;
  }
  const as = async (personId: string, method: string, path: string, json?: unknown) =>
    call(method, path, { token: await login(personId), ...(json === undefined ? {} : { json }) });
  return { app, call, login, refused, as };
}

const trust = () => ({ trustedLedgerKeys: [{ name: LEDGER_ID, publicKey: ledgerKey.publicKey, algorithm: 1 as const }] });

beforeEach(async () => {
  api = await createApiKit();
  unexpected = [];
  ledgerKey = { ledgerId: LEDGER_ID, ...generateKeyPair() };
  served = serve(await createCheckpointer({ store: api.store, ledgerKey, clock: api.clock, witnessKeys: [auditorKey] }));
});
// Every refusal below is a 4xx problem; a 500 is expected only where a test says so.
afterEach(() => {
  expect(api.unexpected).toEqual([]);
  expect(unexpected).toEqual([]);
});

describe('checkpoints', () => {
  it('none until one is taken; a security officer takes one, and /checkpoints/latest answers it as a signed note', async () => {
    expect((await served.refused(404, 'clerk1', 'GET', '/checkpoints/latest')).body.detail).toMatch(/^no checkpoint signed yet/);
    expect((await served.as('clerk1', 'GET', '/checkpoints')).body).toEqual({ items: [] });

    const taken = await served.as('officer', 'POST', '/checkpoints');
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ revision: 0, size: 11, heads: { count: 11 }, witnesses: [] });
    const latest = await served.as('clerk1', 'GET', '/checkpoints/latest');
    expect(latest).toMatchObject({ status: 200, contentType: expect.stringMatching(/^text\/plain/), body: taken.body.note });
    expect(verifySignedCheckpoint(latest.body, trust(), { expectedOrigin: LEDGER_ID }).issues).toEqual([]);
    const note = parseNote(latest.body);
    const text = typeof note === 'string' ? note : parseCheckpointText(note.text);
    expect(text).toMatchObject({ origin: LEDGER_ID, size: 11, time: taken.body.time });
    expect((await served.as('clerk1', 'GET', '/checkpoints')).body).toEqual({ items: [taken.body] });
  });

  it('taking one with nothing new gives the same; after an act the next one extends it, which the consistency proof shows', async () => {
    const first = (await served.as('officer', 'POST', '/checkpoints')).body;
    expect((await served.as('officer', 'POST', '/checkpoints')).body).toEqual(first);
    await api.kit.perform(api.transfer('C1', 'clerk1', 'reader1'));
    const second = (await served.as('officer', 'POST', '/checkpoints')).body;
    expect(second).toMatchObject({ revision: 1, size: 12 });

    const reply = await served.as('reader1', 'GET', `/proofs/consistency?first=${first.size}`);
    expect(reply.body).toMatchObject({ first: 11, second: 12 });
    const proof = reply.body.proof.map((p: string) => hashFromBase64(p)!);
    expect(verifyConsistency(11, 12, hashFromBase64(first.root)!, hashFromBase64(second.root)!, proof)).toBe(true);
  });

  it('only security officers take one on demand (403), and nobody without a token (401)', async () => {
    const refusal = await served.refused(403, 'clerk1', 'POST', '/checkpoints');
    expect(refusal.body.detail).toMatch(/only a security officer takes a checkpoint/);
    await served.refused(401, null, 'POST', '/checkpoints');
    await served.refused(401, null, 'GET', '/checkpoints/latest');
    expect((await served.as('clerk1', 'GET', '/checkpoints')).body.items).toEqual([]);
  });

  it('an app without a checkpointer says it signs none (503)', async () => {
    const reply = await api.call('GET', '/checkpoints/latest', { token: await api.login('officer') });
    expect(reply).toMatchObject({ status: 503, body: { detail: 'this server signs no checkpoints: it runs without the ledger key' } });
    // Like every 5xx, logged: a server that should sign checkpoints and does not is worth a line.
    expect(api.unexpected).toHaveLength(1);
    api.unexpected.length = 0;
  });

  it('a checkpoint over events edited since the last one is refused as changed history (500, logged), and nothing is signed', async () => {
    await served.as('officer', 'POST', '/checkpoints');
    // The same store seen after someone edited one event's stored hash in the database.
    const edited: EventStore = {
      ...api.store,
      readAll: async (options) =>
        (await api.store.readAll(options)).map((e) => (e.position === 3n ? { ...e, metadata: { ...e.metadata, hash: 'ab'.repeat(32) } } : e)),
    };
    const restarted = serve(await createCheckpointer({ store: edited, ledgerKey, clock: api.clock }), edited);
    const reply = await restarted.refused(500, 'officer', 'POST', '/checkpoints');
    expect(reply.body).toMatchObject({ type: 'urn:custody-ledger:problem:history-changed', reason: 'inconsistent' });
    expect(reply.body.detail).toMatch(/^the recorded history was changed, so the ledger refuses to sign: .*do not extend checkpoint 11/);
    expect(unexpected).toHaveLength(1);
    unexpected.length = 0;
  });
});

describe('GET /proofs/inclusion', () => {
  it("proves an event is in the latest checkpoint, or in an earlier one given its size", async () => {
    const first = (await served.as('officer', 'POST', '/checkpoints')).body;
    await api.kit.perform(api.transfer('C1', 'clerk1', 'reader1'));
    await served.as('officer', 'POST', '/checkpoints');
    for (const [query, checkpoint] of [['', undefined], [`&size=${first.size}`, first]] as const) {
      const reply = await served.as('reader1', 'GET', `/proofs/inclusion?stream=carrier-C1&revision=0${query}`);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      const { leafIndex, treeSize, hash, proof } = reply.body;
      expect(treeSize).toBe(checkpoint?.size ?? 12);
      const root = checkpoint ? checkpoint.root : (await served.as('reader1', 'GET', '/checkpoints')).body.items[1].root;
      expect(verifyInclusion(leafIndex, treeSize, leafHash(hashFromHex(hash)!), proof.map((p: string) => hashFromBase64(p)!), hashFromBase64(root)!)).toBe(true);
    }
    // Person streams (keys, roles) are anyone's to check.
    expect((await served.as('reader2', 'GET', '/proofs/inclusion?stream=person-officer&revision=0')).body).toMatchObject({ leafIndex: 0 });
  });

  it("answers a carrier you may not see exactly like one that does not exist (404)", async () => {
    await served.as('officer', 'POST', '/checkpoints');
    const hidden = await served.refused(404, 'reader2', 'GET', '/proofs/inclusion?stream=carrier-C1&revision=0');
    const unknown = await served.refused(404, 'reader2', 'GET', '/proofs/inclusion?stream=carrier-C404&revision=0');
    expect(hidden.body).toEqual({ ...unknown.body, detail: 'event carrier-C1@0 not found' });
    await served.refused(404, 'clerk1', 'GET', '/proofs/inclusion?stream=carrier-C1&revision=7');
    const unsigned = await served.refused(404, 'clerk1', 'GET', '/proofs/inclusion?stream=carrier-C1&revision=0&size=5');
    expect(unsigned.body.detail).toBe('checkpoint of size 5 not found');
  });

  it('refuses a query that is not one (400), naming the field, and asks for a token (401)', async () => {
    await served.as('officer', 'POST', '/checkpoints');
    for (const [query, field] of [
      ['stream=carrier-C1&revision=abc', 'revision'],
      ['stream=carrier-C1&revision=', 'revision'],
      ['stream=carrier-C1&revision=1e3', 'revision'],
      ['stream=ledger-checkpoints&revision=0', 'stream'],
      ['revision=0', 'stream'],
      ['stream=carrier-C1&revision=0&size=-1', 'size'],
    ]) {
      const reply = await served.refused(400, 'clerk1', 'GET', `/proofs/inclusion?${query}`);
      expect(reply.body.issues.map((i: { path: string[] }) => i.path[0]), query).toEqual([field]);
    }
    await served.refused(401, null, 'GET', '/proofs/inclusion?stream=carrier-C1&revision=0');
  });
});

describe('GET /proofs/consistency', () => {
  it('refuses a range backwards (400 naming first) and a size never signed (404)', async () => {
    await served.as('officer', 'POST', '/checkpoints');
    await api.kit.perform(api.transfer('C1', 'clerk1', 'reader1'));
    await served.as('officer', 'POST', '/checkpoints');
    const backwards = await served.refused(400, 'clerk1', 'GET', '/proofs/consistency?first=12&second=11');
    expect(backwards.body.issues).toEqual([expect.objectContaining({ path: ['first'], message: expect.stringMatching(/from a smaller checkpoint to a larger one/) })]);
    await served.refused(404, 'clerk1', 'GET', '/proofs/consistency?first=7');
    await served.refused(400, 'clerk1', 'GET', '/proofs/consistency?second=11');
  });
});

describe('witnesses', () => {
  it('a witness fetches a cosign request, checks it, cosigns; the ledger records the line and the note then meets a quorum', async () => {
    await served.as('officer', 'POST', '/checkpoints');
    const request = (await served.as('officer', 'GET', '/checkpoints/cosign-request?from=0')).body;
    expect(request).toMatchObject({ oldSize: 0, proof: [] });
    const state = initialWitnessState(auditor.name, LEDGER_ID, ledgerKey.publicKey);
    const { line, state: next } = cosignCheckpoint(state, auditor.secretKey, request);
    const recorded = await served.as('officer', 'POST', `/checkpoints/${next.size}/cosignatures`, { line });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    expect(recorded.body).toMatchObject({ size: 11, witnesses: ['audit-office'] });
    const latest = (await served.as('clerk1', 'GET', '/checkpoints/latest')).body;
    expect(verifySignedCheckpoint(latest, { ...trust(), trustedWitnessKeys: [auditorKey], quorum: 1 })).toMatchObject({ issues: [], witnesses: ['audit-office'] });

    // The same witness, later: a proof from what it cosigned to the new checkpoint.
    await api.kit.perform(api.transfer('C1', 'clerk1', 'reader1'));
    await served.as('officer', 'POST', '/checkpoints');
    const later = (await served.as('officer', 'GET', `/checkpoints/cosign-request?from=${next.size}`)).body;
    expect(cosignCheckpoint(next, auditor.secretKey, later).state).toMatchObject({ size: 12 });
  });

  it('records no line by an unconfigured witness or twice (409), for no checkpoint (404), nor anything not a line (400)', async () => {
    await served.as('officer', 'POST', '/checkpoints');
    const request = (await served.as('officer', 'GET', '/checkpoints/cosign-request?from=0')).body;
    const stranger = { name: 'someone-else', ...generateKeyPair() };
    const foreign = cosignCheckpoint(initialWitnessState(stranger.name, LEDGER_ID, ledgerKey.publicKey), stranger.secretKey, request).line;
    const refusal = await served.refused(409, 'officer', 'POST', '/checkpoints/11/cosignatures', { line: foreign });
    expect(refusal.body).toMatchObject({ type: 'urn:custody-ledger:problem:checkpoint-refused', reason: 'wrong-key' });

    const { line } = cosignCheckpoint(initialWitnessState(auditor.name, LEDGER_ID, ledgerKey.publicKey), auditor.secretKey, request);
    expect((await served.as('officer', 'POST', '/checkpoints/11/cosignatures', { line })).status).toBe(201);
    await served.refused(409, 'officer', 'POST', '/checkpoints/11/cosignatures', { line });
    await served.refused(404, 'officer', 'POST', '/checkpoints/10/cosignatures', { line });
    const garbage = await served.refused(400, 'officer', 'POST', '/checkpoints/11/cosignatures', { line: 'cosigned, trust me' });
    expect(garbage.body.issues[0].path).toEqual(['line']);
    await served.refused(400, 'officer', 'POST', '/checkpoints/twelve/cosignatures', { line });
    const ahead = await served.refused(400, 'officer', 'GET', '/checkpoints/cosign-request?from=99');
    expect(ahead.body.issues[0]).toMatchObject({ path: ['from'], message: expect.stringMatching(/more than the 11 the ledger has/) });
    await served.refused(401, null, 'POST', '/checkpoints/11/cosignatures', { line });
  });
});

describe('bundles', () => {
  it("the holder downloads a carrier's bundle; it verifies offline against the ledger key alone", async () => {
    await served.as('officer', 'POST', '/checkpoints');
    const reply = await served.as('clerk1', 'GET', '/carriers/C1/bundle');
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toMatchObject({ kind: 'carrier', subject: 'C1', ledgerId: LEDGER_ID, policy: 'seed-default' });
    expect(verifyBundle(reply.body, trust())).toMatchObject({ ok: true, issues: [], summary: { events: 11, checkpointSize: 11 } });
  });

  it('a carrier you may not see is a 404 like an unknown one; a lineage you may not all see is a 403', async () => {
    const hidden = await served.refused(404, 'reader2', 'GET', '/carriers/C1/bundle');
    const unknown = await served.refused(404, 'reader2', 'GET', '/carriers/C404/bundle');
    expect(hidden.body).toEqual({ ...unknown.body, detail: 'carrier C1 not found' });

    await api.kit.perform({ type: 'RequestCopies', data: { carrierId: 'C1', requestId: 'CR-1', copies: 1, reason: 'for the file', requestedBy: 'clerk1' } });
    await api.kit.perform({ type: 'ApproveCopies', data: { carrierId: 'C1', requestId: 'CR-1', approvedBy: 'unitHead' } });
    await api.kit.perform({
      type: 'MakeCopies',
      data: { carrierId: 'C1', requestId: 'CR-1', copies: [{ carrierId: 'C1-2', copyNumber: 2 }], holder: 'clerk1', location: 'R1/safe-1', madeBy: 'clerk1' },
    });
    await api.kit.perform(api.transfer('C1', 'clerk1', 'reader1'));
    await served.as('officer', 'POST', '/checkpoints');
    const lineage = await served.refused(403, 'reader1', 'GET', '/carriers/C1/bundle');
    expect(lineage.body.detail).toMatch(/carries its whole lineage, and you may not see C1-2/);
    const full = await served.as('clerk1', 'GET', '/carriers/C1/bundle');
    expect(full.body.streams.map((s: { stream: string }) => s.stream).filter((s: string) => s.startsWith('carrier-'))).toEqual(['carrier-C1', 'carrier-C1-2']);
    await served.refused(400, 'clerk1', 'GET', '/carriers/%20bad/bundle');
    await served.refused(401, null, 'GET', '/carriers/C1/bundle');
  });

  it('the whole ledger streams as JSON lines to those who see everything, and verifies', async () => {
    await served.as('officer', 'POST', '/checkpoints');
    const reply = await served.as('officer', 'GET', '/bundle');
    expect(reply).toMatchObject({ status: 200, contentType: 'application/x-ndjson' });
    const [header, ...events] = (reply.body as string).trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(header).toMatchObject({ kind: 'ledger', eventCount: 11 });
    expect(events).toHaveLength(11);
    expect(verifyBundle({ ...header, events }, trust())).toMatchObject({ ok: true, issues: [] });
    await served.refused(403, 'clerk1', 'GET', '/bundle');
    await served.refused(401, null, 'GET', '/bundle');
  });
});

it('every proof route is in /openapi.json', async () => {
  const doc = (await served.call('GET', '/openapi.json')).body;
  for (const path of ['/checkpoints', '/checkpoints/latest', '/checkpoints/cosign-request', '/checkpoints/{size}/cosignatures', '/proofs/inclusion', '/proofs/consistency', '/carriers/{id}/bundle', '/bundle']) {
    expect(doc.paths[path], path).toBeDefined();
  }
  expect(doc.paths['/bundle'].get.responses['200'].content).toHaveProperty(['application/x-ndjson']);
});
