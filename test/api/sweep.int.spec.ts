import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigner, generateKeyPair } from '../../src/crypto/ed25519.js';
import { createApp, type CustodyApp } from '../../src/api/app.js';
import { loginSigningBytes } from '../../src/api/auth.js';
import { createMemoryInbox } from '../../src/inbox/memory.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { createProjections, type ProjectionSet } from '../../src/projections/index.js';
import { createCheckpointer, parseTrustedKey, witnessVerifierKey, type TrustedKey } from '../../src/verify/index.js';
import { createKit, LEDGER_ID, steppingClock, type Kit } from '../ledger/kit.js';
import { storeSnapshot } from './kit.js';
import { bodyVariants, operationsOf, pathValues, queryValues, seeded, type Operation, type SweepRequest } from './sweep/cases.js';

/**
 * The OpenAPI-driven sweep (issue #18): every operation /openapi.json describes, called with
 * malformed JSON, wrong types, missing and extra fields, huge and deeply nested bodies, hostile
 * unicode in paths, queries and bodies, and with no, expired, foreign and malformed tokens. Nothing
 * may answer 5xx, every refusal is a problem+json naming no internals, nothing is logged as
 * unexpected, and the store's checksum does not move. In-process (app.request): a socket would prove
 * nothing more here (test/server/connections.e2e.spec.ts covers what only a socket shows).
 */

const TOKEN_TTL_MS = 10 * 24 * 3_600_000;
const auditor = { name: 'audit-office', ...generateKeyPair() };

let kit: Kit;
let app: CustodyApp;
let projections: ProjectionSet;
let checksumBefore: string;
let pendingActId: string;
const unexpected: unknown[] = [];
const tokens: Record<string, string | undefined> = {};

const checksum = async () => createHash('sha256').update(await storeSnapshot(store)).digest('hex');
const store = createMemoryStore();

async function send(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const response = await app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

async function login(personId: string): Promise<string> {
  const challenge = JSON.parse((await send('POST', '/auth/challenge', { 'content-type': 'application/json' }, JSON.stringify({ personId }))).text).challenge;
  const pair = kit.key(personId);
  const signature = createSigner(pair.secretKey).sign(loginSigningBytes(LEDGER_ID, personId, challenge));
  const reply = await send('POST', '/auth/token', { 'content-type': 'application/json' }, JSON.stringify({ personId, publicKey: pair.publicKey, challenge, signature }));
  return JSON.parse(reply.text).token;
}

beforeAll(async () => {
  const clock = steppingClock();
  kit = await createKit(store, clock);
  await kit.enrolCast();
  await kit.register('C1');
  await kit.register('C2');
  projections = await createProjections({ store, policy: kit.ledger.basePolicy, clock });
  const auditorKey = parseTrustedKey(witnessVerifierKey(auditor.name, auditor.secretKey), 'witness') as TrustedKey;
  const checkpointer = await createCheckpointer({ store, ledgerKey: { ledgerId: LEDGER_ID, ...generateKeyPair() }, clock, witnessKeys: [auditorKey] });
  app = createApp({ ledger: kit.ledger, store, inbox: createMemoryInbox(), projections, clock, checkpointer, tokenTtlMs: TOKEN_TTL_MS, log: (e) => unexpected.push(e) });

  tokens['expired'] = await login('reader1');
  clock.advanceHours((TOKEN_TTL_MS / 3_600_000) + 1);
  tokens['officer'] = await login('officer');
  tokens['clerk'] = await login('clerk1');
  tokens['foreign'] = 'q'.repeat(43);
  await send('POST', '/checkpoints', { authorization: `Bearer ${tokens['officer']}` });

  // One act waiting for reader1's signature: the act routes have something to find.
  const act = kit.ledger.prepare({ type: 'TransferCustody', data: { carrierId: 'C2', giver: 'clerk1', receiver: 'reader1', location: 'Office 12' } });
  const pending = await send('POST', '/acts', { 'content-type': 'application/json', authorization: `Bearer ${tokens['clerk']}` }, JSON.stringify(kit.signed(act, ['clerk1'])));
  expect(pending.status).toBe(202);
  pendingActId = JSON.parse(pending.text).actId;
  checksumBefore = await checksum();
});

afterAll(() => projections.close());

/** Well-formed bodies to spoil: each valid in shape, none able to append on its own. */
function seedBody(operation: string): unknown {
  const clerk = kit.key('clerk1');
  switch (operation) {
    case 'POST /auth/challenge':
      return { personId: 'clerk1' };
    case 'POST /auth/token':
      return { personId: 'clerk1', publicKey: clerk.publicKey, challenge: 'A'.repeat(43), signature: 'A'.repeat(86) };
    case 'POST /acts/prepare':
      return { command: { type: 'TransferCustody', data: { carrierId: 'C1', giver: 'clerk1', receiver: 'reader2', location: 'Office 12' } } };
    case 'POST /acts': {
      // Signed by the giver only: complete, it would append; as it is, it waits in the inbox.
      const act = kit.ledger.prepare({ type: 'TransferCustody', data: { carrierId: 'C1', giver: 'clerk1', receiver: 'reader2', location: 'Office 12' } });
      return kit.signed(act, ['clerk1']);
    }
    case 'POST /acts/{actId}/signatures':
      return { signer: 'reader1', publicKey: kit.key('reader1').publicKey, signature: 'A'.repeat(86) };
    case 'POST /acts/{actId}/decline':
      return { reason: 'not mine to sign' };
    case 'POST /checkpoints/{size}/cosignatures':
      return { line: `\u2014 ${auditor.name} ${'A'.repeat(92)}=\n` };
    default:
      return {};
  }
}

const QUERY_SEEDS: Record<string, string> = {
  holder: 'clerk1', location: 'R1%2Fsafe-1', status: 'held', classification: 'secret', kind: 'document', limit: '10', cursor: 'abc',
  stream: 'carrier-C1', revision: '0', size: '1', first: '1', second: '2', from: '2026-11-23T09:00:00Z', to: '2026-12-30T09:00:00Z',
  at: '2026-11-23T10:00:00Z', now: '2026-11-23T10:00:00Z', rule: 'R-CIRC-4', person: 'clerk1', carrier: 'C1',
};

function pathSeed(operation: Operation, name: string): string {
  if (name === 'actId') return pendingActId;
  if (name === 'size') return '1';
  if (name === 'location') return 'R1%2Fsafe-1';
  return operation.template.startsWith('/persons') ? 'clerk1' : 'C1';
}

function fill(operation: Operation, overrides: Record<string, string> = {}): string {
  let path = operation.template.replace(/\{(\w+)\}/g, (_, name: string) => overrides[name] ?? pathSeed(operation, name));
  const query = operation.parameters
    .filter((p) => p.in === 'query' && (p.required || p.name in overrides))
    .map((p) => `${p.name}=${overrides[p.name] ?? QUERY_SEEDS[p.name] ?? 'x'}`);
  if (query.length > 0) path += `?${query.join('&')}`;
  return path;
}

/** The sampled requests of one operation: each token kind on a well-formed call, then hostile parts with a valid token. */
function requestsFor(operation: Operation, index: number): SweepRequest[] {
  const name = `${operation.method} ${operation.template}`;
  const random = seeded(0x5eed + index);
  const seed = seedBody(name);
  const json = { 'content-type': 'application/json' };
  const requests: SweepRequest[] = [];
  const add = (variant: string, path: string, token: string | undefined, body?: { body: string; contentType?: string }) =>
    requests.push({
      operation: name,
      variant,
      method: operation.method,
      path,
      headers: { ...(body ? { 'content-type': body.contentType ?? json['content-type'] } : {}), ...(token === undefined ? {} : { authorization: token }) },
      ...(body ? { body: body.body } : {}),
    });
  const baseline = operation.hasBody ? { body: JSON.stringify(seed) } : undefined;
  for (const [variant, token] of [
    ['no token', undefined],
    ['expired token', `Bearer ${tokens['expired']}`],
    ['foreign token', `Bearer ${tokens['foreign']}`],
    ['basic auth', 'Basic b2ZmaWNlcjpvZmZpY2Vy'],
    ['huge token', `Bearer ${'A'.repeat(8000)}`],
    ['empty bearer', 'Bearer '],
  ] as const) {
    add(variant, fill(operation), token, baseline);
  }
  const officer = `Bearer ${tokens[index % 2 === 0 ? 'officer' : 'clerk']}`;
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path') {
      for (const { variant, value } of pathValues(pathSeed(operation, parameter.name), random, 6)) add(variant, fill(operation, { [parameter.name]: value }), officer, baseline);
    } else {
      for (const value of queryValues(random, 5)) add(`query ${parameter.name}=${value.slice(0, 16)}`, fill(operation, { [parameter.name]: value }), officer, baseline);
    }
  }
  add('unknown query parameter', `${fill(operation)}${operation.parameters.some((p) => p.in === 'query' && p.required) ? '&' : '?'}bogus=1`, officer, baseline);
  if (operation.hasBody) {
    for (const variant of bodyVariants(seed, random, 4)) add(variant.variant, fill(operation), officer, variant);
  } else if (operation.method !== 'GET') {
    add('unexpected body', fill(operation), officer, { body: '{"a":'.repeat(10_000) });
  }
  return requests;
}

/** What a response may never carry: a stack frame, an engine's or a library's own words. */
const INTERNALS = /Maximum call stack|\bat \S+\.(?:ts|js):\d+|RangeError|TypeError|SqliteError|canonicalJson|ZodError|HPE_/;

describe('the OpenAPI-driven sweep', () => {
  it('no operation answers 5xx or leaks internals to hostile input, and the store does not move', async () => {
    const doc = JSON.parse((await send('GET', '/openapi.json')).text);
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(30);
    const failures: string[] = [];
    let sent = 0;
    for (const [index, operation] of operations.entries()) {
      for (const request of requestsFor(operation, index)) {
        sent++;
        const reply = await send(request.method, request.path, request.headers, request.body);
        const where = `${request.operation} [${request.variant}] -> ${reply.status}`;
        if (reply.status >= 500) failures.push(`${where}: ${reply.text.slice(0, 200)}`);
        if (INTERNALS.test(reply.text)) failures.push(`${where} leaks: ${reply.text.slice(0, 200)}`);
        if (reply.status >= 400) {
          if (!reply.contentType.startsWith('application/problem+json')) failures.push(`${where}: content-type ${reply.contentType}`);
          else {
            const body = JSON.parse(reply.text);
            if (body.status !== reply.status || typeof body.type !== 'string' || typeof body.title !== 'string' || typeof body.detail !== 'string') {
              failures.push(`${where}: not a problem: ${reply.text.slice(0, 200)}`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(unexpected.map(String)).toEqual([]);
    expect(await checksum()).toBe(checksumBefore);
    expect(sent).toBeGreaterThan(600);
    // About 700 requests, a few of them megabyte bodies: seconds alone, longer on a loaded CI machine.
  }, 240_000);
});
