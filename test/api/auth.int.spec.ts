import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSigner, generateKeyPair } from '../../src/crypto/ed25519.js';
import { loginSigningBytes } from '../../src/api/auth.js';
import { LEDGER_ID } from '../ledger/kit.js';
import { createApiKit, type ApiKit } from './kit.js';

let api: ApiKit;
beforeEach(async () => {
  api = await createApiKit();
});
// Every refusal is a 4xx problem; nothing a client sends may end in a 500.
afterEach(() => expect(api.unexpected).toEqual([]));

async function challengeFor(personId: string): Promise<string> {
  const reply = await api.call('POST', '/auth/challenge', { json: { personId } });
  expect(reply.status).toBe(200);
  return reply.body.challenge;
}

const signLogin = (secretKey: string, personId: string, challenge: string, ledgerId = LEDGER_ID) =>
  createSigner(secretKey).sign(loginSigningBytes(ledgerId, personId, challenge));

describe('logging in with a key: challenge, signature, token', () => {
  it('issues a 32-byte challenge valid for 2 minutes, naming the ledger to sign it for', async () => {
    const reply = await api.call('POST', '/auth/challenge', { json: { personId: 'clerk1' } });
    expect(reply.status).toBe(200);
    expect(reply.body.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(reply.body.ledgerId).toBe(LEDGER_ID);
    expect(Date.parse(reply.body.expiresAt) - Date.parse(api.clock())).toBeGreaterThan(100_000);
    expect(Date.parse(reply.body.expiresAt) - Date.parse(api.clock())).toBeLessThanOrEqual(120_000);
  });

  it('exchanges a challenge signed with the person\'s key for a token that opens the API', async () => {
    const challenge = await challengeFor('clerk1');
    const pair = api.kit.key('clerk1');
    const reply = await api.call('POST', '/auth/token', {
      json: { personId: 'clerk1', publicKey: pair.publicKey, challenge, signature: signLogin(pair.secretKey, 'clerk1', challenge) },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await api.call('GET', '/carriers/C1', { token: reply.body.token })).status).toBe(200);
  });

  it('refuses a wrong key, an unknown person, a reused challenge and a signature for another ledger with one and the same 401', async () => {
    const attempts = [];
    // Someone else's key, with a valid signature by that key.
    let challenge = await challengeFor('clerk1');
    const mallory = generateKeyPair();
    attempts.push({ personId: 'clerk1', publicKey: mallory.publicKey, challenge, signature: signLogin(mallory.secretKey, 'clerk1', challenge) });
    // A person nobody enrolled.
    challenge = await challengeFor('ghost');
    attempts.push({ personId: 'ghost', publicKey: mallory.publicKey, challenge, signature: signLogin(mallory.secretKey, 'ghost', challenge) });
    // The right key, but signed for another ledger.
    challenge = await challengeFor('clerk1');
    const clerk = api.kit.key('clerk1');
    attempts.push({ personId: 'clerk1', publicKey: clerk.publicKey, challenge, signature: signLogin(clerk.secretKey, 'clerk1', challenge, 'other-ledger') });
    // A challenge issued for someone else.
    challenge = await challengeFor('reader1');
    attempts.push({ personId: 'clerk1', publicKey: clerk.publicKey, challenge, signature: signLogin(clerk.secretKey, 'clerk1', challenge) });

    const bodies = [];
    for (const json of attempts) {
      const reply = await api.refusedWithoutAppending(401, () => api.call('POST', '/auth/token', { json }));
      bodies.push(reply.body);
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(bodies[0]).toMatchObject({ status: 401, type: 'urn:custody-ledger:problem:unauthorized' });
  });

  it('accepts each challenge once: a replayed login is refused', async () => {
    const challenge = await challengeFor('clerk1');
    const pair = api.kit.key('clerk1');
    const json = { personId: 'clerk1', publicKey: pair.publicKey, challenge, signature: signLogin(pair.secretKey, 'clerk1', challenge) };
    expect((await api.call('POST', '/auth/token', { json })).status).toBe(200);
    await api.refusedWithoutAppending(401, () => api.call('POST', '/auth/token', { json }));
  });

  it('refuses a challenge answered after its 2 minutes', async () => {
    const challenge = await challengeFor('clerk1');
    api.clock.advanceHours(0.05);
    const pair = api.kit.key('clerk1');
    const json = { personId: 'clerk1', publicKey: pair.publicKey, challenge, signature: signLogin(pair.secretKey, 'clerk1', challenge) };
    await api.refusedWithoutAppending(401, () => api.call('POST', '/auth/token', { json }));
  });

  it('answers malformed login requests with 400 and the field at fault', async () => {
    const malformed = await api.refusedWithoutAppending(400, () => api.call('POST', '/auth/challenge', { raw: '{"personId": "clerk1"' }));
    expect(malformed.body.type).toBe('urn:custody-ledger:problem:malformed-json');
    const unknownField = await api.refusedWithoutAppending(400, () =>
      api.call('POST', '/auth/challenge', { json: { personId: 'clerk1', admin: true } }),
    );
    expect(unknownField.body.issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys' })]);
    const wrongType = await api.refusedWithoutAppending(400, () =>
      api.call('POST', '/auth/token', { json: { personId: 'clerk1', publicKey: 42, challenge: 'x', signature: null } }),
    );
    expect(wrongType.body.issues.map((i: { path: string[] }) => i.path[0])).toEqual(['publicKey', 'challenge', 'signature']);
  });
});

describe('bearer tokens', () => {
  it('401 without a token, with a malformed header, or with a token nobody issued', async () => {
    await api.refusedWithoutAppending(401, () => api.call('GET', '/carriers/C1'));
    await api.refusedWithoutAppending(401, () => api.call('GET', '/carriers/C1', { headers: { authorization: 'Basic abc' } }));
    const forged = await api.refusedWithoutAppending(401, () => api.call('GET', '/carriers/C1', { token: 'A'.repeat(43) }));
    expect(forged.body.type).toBe('urn:custody-ledger:problem:unauthorized');
  });

  it('expires after 15 minutes by default', async () => {
    const token = await api.login('clerk1');
    expect((await api.call('GET', '/carriers/C1', { token })).status).toBe(200);
    api.clock.advanceHours(0.25);
    await api.refusedWithoutAppending(401, () => api.call('GET', '/carriers/C1', { token }));
  });

  it('dies when its person is deactivated, and when the key that logged in is revoked', async () => {
    const readerToken = await api.login('reader2');
    const clerkToken = await api.login('clerk2');
    await api.kit.perform({ type: 'DeactivatePerson', data: { personId: 'reader2', reason: 'left the unit', deactivatedBy: 'officer' } });
    await api.refusedWithoutAppending(401, () => api.call('GET', '/persons/reader2', { token: readerToken }));

    await api.kit.perform({
      type: 'RevokePersonKey',
      data: { personId: 'clerk2', publicKey: api.kit.key('clerk2').publicKey, revokedFrom: api.clock(), reason: 'laptop stolen', revokedBy: 'officer' },
    });
    await api.refusedWithoutAppending(401, () => api.call('GET', '/persons/clerk2', { token: clerkToken }));
  });

  it('health, readiness, the ledger id and the OpenAPI document need no token', async () => {
    expect(await api.call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await api.call('GET', '/ready');
    expect(ready).toMatchObject({ status: 200, body: { ready: true } });
    expect(ready.body.position).toBe(String(await api.store.headPosition()));
    expect(await api.call('GET', '/ledger')).toMatchObject({ status: 200, body: { ledgerId: LEDGER_ID } });
    const doc = await api.call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/acts', '/acts/prepare', '/acts/{actId}/signatures', '/carriers/{id}', '/inbox', '/auth/token']),
    );
  });
});
