import { afterAll, describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url } from '../../src/crypto/base64url.js';
import { createSigner, generateKeyPair } from '../../src/crypto/ed25519.js';
import { createVerifierPool, inlineBatchVerifier } from '../../src/crypto/verifier-pool.js';

const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** The same signature with S + L: tweetnacl alone would accept it. */
function malleate(signature: string): string {
  const bytes = decodeBase64url(signature);
  let s = 0n;
  for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(bytes[32 + i]!);
  let m = s + L;
  for (let i = 0; i < 32; i++) {
    bytes[32 + i] = Number(m & 0xffn);
    m >>= 8n;
  }
  return encodeBase64url(bytes);
}

describe('the worker-thread verifier pool', () => {
  const pool = createVerifierPool({ threads: 2 });
  const inline = inlineBatchVerifier();
  afterAll(() => pool.close());

  const alice = generateKeyPair();
  const bob = generateKeyPair();
  const message = new TextEncoder().encode('custody-ledger/act/v1\n{"example":1}');
  const good = { publicKey: alice.publicKey, signature: createSigner(alice.secretKey).sign(message), message };

  it('gives the same verdict as the inline verifier for good, wrong-key, malleated and malformed signatures', async () => {
    const checks = [
      good,
      { publicKey: bob.publicKey, signature: good.signature, message },
      { publicKey: alice.publicKey, signature: malleate(good.signature), message },
      { publicKey: 'not-a-key', signature: good.signature, message },
      { publicKey: alice.publicKey, signature: 'AAAA', message },
    ];
    expect(await pool.verifyAll(checks)).toEqual([true, false, false, false, false]);
    expect(await inline.verifyAll(checks)).toEqual([true, false, false, false, false]);
  });

  it('checks each signature of one batch over its own message (v2 signatures differ per signer)', async () => {
    const other = new TextEncoder().encode('custody-ledger/signature/v2\n{"actId":"00","signedAt":"2026-12-03T10:00:00.000Z"}');
    const bobs = { publicKey: bob.publicKey, signature: createSigner(bob.secretKey).sign(other), message: other };
    const checks = [good, bobs, { ...bobs, message }];
    expect(await pool.verifyAll(checks)).toEqual([true, true, false]);
    expect(await inline.verifyAll(checks)).toEqual([true, true, false]);
  });

  it('answers each of many concurrent acts with its own verdicts', async () => {
    const signer = createSigner(bob.secretKey);
    const acts = Array.from({ length: 200 }, (_, i) => {
      const bytes = new TextEncoder().encode(`act ${i}`);
      const signature = signer.sign(bytes);
      // Every third act carries a signature over other bytes.
      return { checks: [{ publicKey: bob.publicKey, signature: i % 3 === 0 ? good.signature : signature, message: bytes }] };
    });
    const verdicts = await Promise.all(acts.map((a) => pool.verifyAll(a.checks)));
    expect(verdicts).toEqual(acts.map((_, i) => [i % 3 !== 0]));
  });
});
