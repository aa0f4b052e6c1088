import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import { createLedger } from '../../src/ledger/ledger.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { createMemoryInbox } from '../../src/inbox/memory.js';
import { createApp, type CustodyApp } from '../../src/api/app.js';
import { LEDGER_ID, steppingClock } from '../ledger/kit.js';
import { createApiKit, type ApiKit } from './kit.js';

/** Fault 1 of issue #18: input no canonical form can sign, and input nested past any use, are the caller's fault (4xx), never a 500. */

const post = async (app: CustodyApp, path: string, body: string, headers: Record<string, string> = {}) => {
  const response = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), text, body: JSON.parse(text) as any };
};

const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('on a new ledger, without a token', () => {
  let app: CustodyApp;
  const unexpected: unknown[] = [];
  const officer = generateKeyPair();
  const enrolment = (name: string) =>
    JSON.stringify({
      command: {
        type: 'EnrolPerson',
        data: { personId: 'officer', name, unit: 'Security', clearance: 'top-secret', roles: [{ role: 'security-officer' }], publicKey: officer.publicKey, enrolledBy: 'officer' },
      },
    });

  beforeEach(async () => {
    unexpected.length = 0;
    const store = createMemoryStore();
    const ledger = await createLedger({ store, ledgerId: LEDGER_ID, clock: steppingClock() });
    app = createApp({ ledger, store, inbox: createMemoryInbox(), clock: steppingClock(), log: (error) => unexpected.push(error) });
  });
  afterEach(() => expect(unexpected).toEqual([]));

  it('a lone surrogate in a free-text field is a 400 naming the field, and nothing is logged', async () => {
    const reply = await post(app, '/acts/prepare', enrolment('Ann\ud800'));
    expect(reply.status).toBe(400);
    expect(reply.contentType).toBe('application/problem+json');
    expect(reply.body).toMatchObject({ type: 'urn:custody-ledger:problem:invalid-input' });
    expect(reply.body.issues).toEqual([
      { path: ['command', 'data', 'name'], code: 'lone-surrogate', message: expect.stringMatching(/lone UTF-16 surrogate/) },
    ]);
  });

  it('a lone surrogate written as a JSON escape, or in a member name, is refused alike', async () => {
    const escaped = await post(app, '/acts/prepare', enrolment('Ann').replace('"Ann"', '"Ann\\udc00"'));
    expect(escaped.body.issues[0].path).toEqual(['command', 'data', 'name']);
    const inKey = await post(app, '/acts/prepare', enrolment('Ann').replace('"unit"', '"unit\\ud83d"'));
    expect(inKey.status).toBe(400);
    expect(inKey.body.issues[0]).toMatchObject({ code: 'lone-surrogate', path: ['command', 'data', 'unit\ufffd'] });
  });

  it('a well-formed pair of surrogates (an emoji) is text like any other', async () => {
    const reply = await post(app, '/acts/prepare', enrolment('Ann \ud83d\ude00'));
    expect(reply.status).toBe(200);
  });

  it('deeply nested JSON is a 400 problem that does not leak the parser or the stack', async () => {
    for (const [path, body] of [
      ['/acts/prepare', `{"command":${nested(5000)}}`],
      ['/acts/prepare', nestedArrays(400_000)],
      ['/auth/challenge', `{"personId":${nested(100)}}`],
      ['/acts', `{"act":${nested(20_000)}}`],
    ] as const) {
      const reply = await post(app, path, body);
      expect(reply.status, `${path} ${reply.text.slice(0, 200)}`).toBe(400);
      expect(reply.contentType).toBe('application/problem+json');
      expect(reply.text).not.toMatch(/stack|Maximum|RangeError|TypeError|canonicalJson/i);
      expect(reply.body.issues[0]).toMatchObject({ code: 'too-deep' });
    }
  });
});

describe('a signed act nested too deep for its canonical form', () => {
  let api: ApiKit;
  beforeEach(async () => {
    api = await createApiKit();
  });
  afterEach(() => expect(api.unexpected).toEqual([]));

  it('POST /acts with deep data inside the act is a 400 naming no internals, and stores nothing', async () => {
    const act = await api.prepare('clerk1', api.transfer('C1', 'clerk1', 'reader1'));
    const text = JSON.stringify(api.kit.signed(act, act.signers)).replace('"location":"Office 12"', `"location":"Office 12","x":${nested(20_000)}`);
    const token = await api.login('clerk1');
    const reply = await api.refusedWithoutAppending(400, () => api.call('POST', '/acts', { token, raw: text }));
    expect(JSON.stringify(reply.body)).not.toMatch(/Maximum call stack/);
  });

  it('an act whose text has no canonical form names the field, not the serialiser', async () => {
    const act = await api.prepare('clerk1', api.transfer('C1', 'clerk1', 'reader1'));
    const text = JSON.stringify(api.kit.signed(act, act.signers)).replace('"location":"Office 12"', '"location":"Office 12","n":1.5');
    const token = await api.login('clerk1');
    const reply = await api.refusedWithoutAppending(400, () => api.call('POST', '/acts', { token, raw: text }));
    expect(reply.body.issues).toEqual([{ path: ['act', 'command', 'data', 'n'], code: 'custom', message: expect.stringMatching(/not a safe integer/) }]);
    expect(JSON.stringify(reply.body)).not.toMatch(/canonicalJson/);
  });
});
