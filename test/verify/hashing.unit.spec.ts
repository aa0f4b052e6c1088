import { beforeAll, describe, expect, it } from 'vitest';
import { actSigningBytes, signedMessageOf, type StoredEnvelope } from '../../src/domain/act.js';
import { canonicalJson } from '../../src/domain/canonical.js';
import { actIdOf, eventHashOf } from '../../src/ledger/envelope.js';
import { asStoredEnvelope } from '../../src/verify/ledger/envelope-guard.js';
import { sha256Hex } from '../../src/crypto/hash.js';
import { actBytes, eventHash, signatureMessage } from '../../src/verify/ledger/hashing.js';
import { buildOffice } from './fixture.js';

let envelopes: StoredEnvelope[];

beforeAll(async () => {
  const office = await buildOffice();
  // As the verifier sees them: parsed from the stored JSON text.
  envelopes = (await office.store.readAll()).map((e) => JSON.parse(JSON.stringify(e.data)) as StoredEnvelope);
});

describe('the whole-ledger verifier\'s own hashing agrees with the ledger core\'s', () => {
  it('gives the same signed bytes, act ids and event hashes for every act of a real ledger', () => {
    expect(envelopes.length).toBeGreaterThan(20);
    for (const { act, index, signatures } of envelopes) {
      expect(Buffer.from(actBytes(act))).toEqual(Buffer.from(actSigningBytes(act)));
      expect(sha256Hex(actBytes(act))).toBe(actIdOf(act));
      // Order must not matter: the hash is over the signatures sorted by signer.
      expect(eventHash(actIdOf(act), index, [...signatures].reverse())).toBe(eventHashOf(actIdOf(act), index, signatures));
    }
  });

  it('gives the same bytes for every signature to verify over (v2: the act id and the signer\'s time)', () => {
    let timed = 0;
    for (const { act, signatures } of envelopes) {
      const bytes = actSigningBytes(act);
      for (const signature of signatures) {
        if (signature.signedAt !== undefined) timed++;
        expect(Buffer.from(signatureMessage(signature.signedAt, actIdOf(act), bytes))).toEqual(Buffer.from(signedMessageOf(signature, actIdOf(act), bytes)));
      }
    }
    expect(timed).toBeGreaterThan(20);
  });

  it('finds every act stored in canonical key order, so its stored text is what was signed', () => {
    for (const { act, signatures } of envelopes) {
      expect(JSON.stringify(act)).toBe(canonicalJson(act));
      expect(JSON.stringify(signatures)).toBe(canonicalJson(signatures));
    }
  });
});

describe('the envelope shape the whole-ledger verifier needs', () => {
  it('accepts every stored envelope of a real ledger', () => {
    for (const envelope of envelopes) expect(asStoredEnvelope(envelope)).toBe(envelope);
  });

  it('refuses a member the event hash does not cover, and fields of the wrong type', () => {
    const [sample] = envelopes as [StoredEnvelope];
    const broken: unknown[] = [
      { ...sample, note: 'added later' },
      { ...sample, index: -1 },
      { ...sample, act: { ...sample.act, time: 'yesterday' } },
      { ...sample, act: { ...sample.act, signers: [] } },
      { ...sample, act: { ...sample.act, events: [{ ...sample.act.events[0], prevHash: 'short' }] } },
      { ...sample, signatures: [{ signer: 'x' }] },
      { ...sample, signatures: sample.signatures.map((sig) => ({ ...sig, signedAt: 'yesterday' })) },
      null,
    ];
    for (const value of broken) expect(asStoredEnvelope(value)).toBeUndefined();
  });
});
