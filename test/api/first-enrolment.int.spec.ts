import { beforeEach, describe, expect, it } from 'vitest';
import { actSigningBytes, type UnsignedAct } from '../../src/domain/act.js';
import { createSigner, generateKeyPair, type KeyPair } from '../../src/crypto/ed25519.js';
import { createLedger } from '../../src/ledger/ledger.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { EventStore } from '../../src/store/port.js';
import { createMemoryInbox } from '../../src/inbox/memory.js';
import { createApp, type CustodyApp } from '../../src/api/app.js';
import { LEDGER_ID, steppingClock } from '../ledger/kit.js';
import { storeSnapshot } from './kit.js';

let app: CustodyApp;
let store: EventStore;
let officer: KeyPair;

beforeEach(async () => {
  store = createMemoryStore();
  const clock = steppingClock();
  const ledger = await createLedger({ store, ledgerId: LEDGER_ID, clock });
  app = createApp({ ledger, store, inbox: createMemoryInbox(), clock });
  officer = generateKeyPair();
});

const post = async (path: string, json: unknown) => {
  const response = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
  return { status: response.status, body: (await response.json()) as any };
};

const enrolOfficer = (roles: unknown[] = [{ role: 'security-officer' }]) => ({
  type: 'EnrolPerson',
  data: { personId: 'officer', name: 'First Officer', unit: 'Security', clearance: 'top-secret', roles, publicKey: officer.publicKey, enrolledBy: 'officer' },
});

/** v1 signatures (no signer's time, over the act's own bytes), as older clients make them: still accepted. */
const signedBy = (act: UnsignedAct, pair: KeyPair) => ({
  act,
  signatures: [{ signer: 'officer', publicKey: pair.publicKey, signature: createSigner(pair.secretKey).sign(actSigningBytes(act)) }],
});

describe('the first enrolment, over HTTP, on an empty ledger', () => {
  it('the first security officer prepares and submits their own enrolment without a token; afterwards a token is needed', async () => {
    const prepared = await post('/acts/prepare', { command: enrolOfficer() });
    expect(prepared.status).toBe(200);
    expect(prepared.body.signers).toEqual(['officer']);
    const appended = await post('/acts', signedBy(prepared.body.act, officer));
    expect(appended).toMatchObject({ status: 201, body: { status: 'appended', events: [{ stream: 'person-officer', revision: '0' }] } });
    const again = await post('/acts/prepare', { command: { ...enrolOfficer(), data: { ...enrolOfficer().data, personId: 'second' } } });
    expect(again.status).toBe(401);
  });

  it('refuses anything but an enrolment without a token, and an unsigned or wrongly signed one, storing nothing', async () => {
    const before = await storeSnapshot(store);
    expect((await post('/acts/prepare', { command: { type: 'TransferCustody', data: { carrierId: 'C1', giver: 'a', receiver: 'b', location: 'x' } } })).status).toBe(401);
    expect((await app.request('/carriers/C1')).status).toBe(401);
    const { act } = (await post('/acts/prepare', { command: enrolOfficer() })).body;
    const unsigned = await post('/acts', { act, signatures: [] });
    expect(unsigned).toMatchObject({ status: 422, body: { rule: 'L-2', type: 'urn:custody-ledger:problem:missing-signatures' } });
    const wrongKey = await post('/acts', signedBy(act, generateKeyPair()));
    expect(wrongKey).toMatchObject({ status: 422, body: { rule: 'L-2' } });
    expect(await storeSnapshot(store)).toBe(before);
  });

  it('R-PERSON: the first person must be a security officer', async () => {
    const reply = await post('/acts/prepare', { command: enrolOfficer([{ role: 'courier' }]) });
    expect(reply).toMatchObject({ status: 422, body: { rule: 'R-PERSON' } });
  });

  it('two founders racing: exactly one is enrolled, the other is told to log in', async () => {
    const rival = generateKeyPair();
    const rivalCommand = { ...enrolOfficer(), data: { ...enrolOfficer().data, personId: 'rival', publicKey: rival.publicKey, enrolledBy: 'rival' } };
    const [mine, theirs] = await Promise.all([post('/acts/prepare', { command: enrolOfficer() }), post('/acts/prepare', { command: rivalCommand })]);
    const rivalSigned = {
      act: theirs.body.act,
      signatures: [{ signer: 'rival', publicKey: rival.publicKey, signature: createSigner(rival.secretKey).sign(actSigningBytes(theirs.body.act)) }],
    };
    const replies = await Promise.all([post('/acts', signedBy(mine.body.act, officer)), post('/acts', rivalSigned)]);
    expect(replies.map((r) => r.status).sort()).toEqual([201, 401]);
    expect((await store.readAll()).map((e) => e.stream)).toHaveLength(1);
  });
});
