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
  const good = { publicKey: alice.publicKey, signature: createSigner(alice.secretKey).sign(message) };

  it('gives the same verdict as the inline verifier for good, wrong-key, malleated and malformed signatures', async () => {
    const checks = [
      good,
      { publicKey: bob.publicKey, signature: good.signature },
      { publicKey: alice.publicKey, signature: malleate(good.signature) },
      { publicKey: 'not-a-key', signature: good.signature },
      { publicKey: alice.publicKey, signature: 'AAAA' },
    ];
    expect(await pool.verifyAll(message, checks)).toEqual([true, false, false, false, false]);
    expect(await inline.verifyAll(message, checks)).toEqual([true, false, false, false, false]);
  });

  it('answers each of many concurrent acts with its own verdicts', async () => {
    const signer = createSigner(bob.secretKey);
    const acts = Array.from({ length: 200 }, (_, i) => {
      const bytes = new TextEncoder().encode(`act ${i}`);
      const signature = signer.sign(bytes);
      // Every third act carries a signature over other bytes.
      return { bytes, checks: [{ publicKey: bob.publicKey, signature: i % 3 === 0 ? good.signature : signature }] };
    });
    const verdicts = await Promise.all(acts.map((a) => pool.verifyAll(a.bytes, a.checks)));
    expect(verdicts).toEqual(acts.map((_, i) => [i % 3 !== 0]));
  });
});
