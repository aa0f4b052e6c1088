import { beforeEach, describe, expect, it } from 'vitest';
import { createSigner } from '../../src/crypto/ed25519.js';
import { createApp, type CustodyApp } from '../../src/api/app.js';
import { loginSigningBytes } from '../../src/api/auth.js';
import { createMemoryInbox } from '../../src/inbox/memory.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { createKit, LEDGER_ID, type Kit } from '../ledger/kit.js';

/**
 * Fault 5 (second half) of issue #18: anyone may ask for a login challenge, so their number is
 * bounded per client and per person asked for by that client, refused with 429 and Retry-After when
 * over, and a challenge once given is never evicted by anyone else's asking.
 */

let kit: Kit;
let app: CustodyApp;
let nowMs: number;
const unexpected: unknown[] = [];

beforeEach(async () => {
  kit = await createKit(createMemoryStore());
  await kit.enrolCast();
  nowMs = Date.parse('2026-12-01T09:00:00.000Z');
  // A clock that stands still unless a test moves it: 12,000 requests must not let challenges expire.
  const clock = () => new Date(nowMs).toISOString();
  app = createApp({ ledger: kit.ledger, store: createMemoryStore(), inbox: createMemoryInbox(), clock, trustForwardedFor: true, log: (e) => unexpected.push(e) });
});

async function post(path: string, json: unknown, client: string) {
  const response = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `192.0.2.99, ${client}` },
    body: JSON.stringify(json),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), type: response.headers.get('content-type'), body: (await response.json()) as any };
}

async function login(personId: string, client: string, challenge?: string) {
  const issued = challenge ?? (await post('/auth/challenge', { personId }, client)).body.challenge;
  const pair = kit.key(personId);
  const signature = createSigner(pair.secretKey).sign(loginSigningBytes(LEDGER_ID, personId, issued));
  return post('/auth/token', { personId, publicKey: pair.publicKey, challenge: issued, signature }, client);
}

describe('a flood of challenges', () => {
  it('thousands from one client are refused with 429 and Retry-After beyond its bound; a real login from elsewhere succeeds', async () => {
    const statuses = new Map<number, number>();
    let refused: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 3_000; i++) {
      const reply = await post('/auth/challenge', { personId: i % 3 === 0 ? 'officer' : `nobody-${i}` }, '203.0.113.7');
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      if (reply.status === 429) refused ??= reply;
    }
    expect([...statuses.keys()].sort()).toEqual([200, 429]);
    expect(statuses.get(200)).toBeLessThanOrEqual(64);
    expect(refused!.type).toBe('application/problem+json');
    expect(refused!.body).toMatchObject({ status: 429, type: 'urn:custody-ledger:problem:too-many-requests' });
    expect(Number(refused!.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused!.retryAfter)).toBeLessThanOrEqual(120);

    expect((await login('officer', '198.51.100.20')).status).toBe(200);
    expect(unexpected).toEqual([]);
  });

  it('the flooding client may ask again once its challenges have expired', async () => {
    for (let i = 0; i < 100; i++) await post('/auth/challenge', { personId: `nobody-${i}` }, '203.0.113.7');
    expect((await post('/auth/challenge', { personId: 'clerk1' }, '203.0.113.7')).status).toBe(429);
    nowMs += 2 * 60_000 + 1;
    expect((await login('clerk1', '203.0.113.7')).status).toBe(200);
  });

  it('asking again and again for one person from one client is bounded too, and the challenge already given still works', async () => {
    const first = await post('/auth/challenge', { personId: 'clerk1' }, '203.0.113.8');
    let last;
    for (let i = 0; i < 10; i++) last = await post('/auth/challenge', { personId: 'clerk1' }, '203.0.113.8');
    expect(last!.status).toBe(429);
    expect((await login('clerk1', '203.0.113.8', first.body.challenge)).status).toBe(200);
  });

  it('when the whole table is full, new challenges are refused: the ones already given are never evicted', async () => {
    // A table of 200 rather than 10,000: the same code, a test that runs in a moment.
    app = createApp({ ledger: kit.ledger, store: createMemoryStore(), inbox: createMemoryInbox(), clock: () => new Date(nowMs).toISOString(), trustForwardedFor: true, challengeLimits: { total: 200 } });
    const given = (await post('/auth/challenge', { personId: 'clerk2' }, '198.51.100.1')).body.challenge;
    let full;
    for (let client = 0; client < 20 && full === undefined; client++) {
      for (let i = 0; i < 40; i++) {
        const reply = await post('/auth/challenge', { personId: `p${i}` }, `10.0.${client >> 8}.${client & 255}`);
        if (reply.status === 429 && reply.body.detail.includes('server')) full = reply;
      }
    }
    expect(full).toBeDefined();
    expect((await login('clerk2', '198.51.100.1', given)).status).toBe(200);
  });
});
