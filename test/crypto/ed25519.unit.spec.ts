import { createPublicKey, randomBytes, verify as verifyWithNode } from 'node:crypto';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url, tryDecodeBase64url } from '../../src/crypto/base64url.js';
import {
  createSigner,
  createVerifier,
  generateKeyPair,
  isAcceptablePublicKey,
  isCanonicalS,
  publicKeyFromSecret,
  sign,
  verifyPortable,
} from '../../src/crypto/ed25519.js';

const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));
const b64 = encodeBase64url;

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const P = 2n ** 255n - 19n;

const readLittleEndian = (bytes: Uint8Array): bigint =>
  bytes.reduceRight((n, byte) => (n << 8n) | BigInt(byte), 0n);
const littleEndian32 = (n: bigint): Uint8Array =>
  Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));

/** The same signature with S replaced by S + L: verifies identically in a lax verifier. */
const malleate = (signature: Uint8Array): Uint8Array => {
  const s = readLittleEndian(signature.subarray(32));
  const twin = new Uint8Array(64);
  twin.set(signature.subarray(0, 32), 0);
  twin.set(littleEndian32(s + L), 32);
  return twin;
};

const flipBit = (bytes: Uint8Array, index: number, bit = index % 8): Uint8Array => {
  const copy = Uint8Array.from(bytes);
  copy[index] = (copy[index] ?? 0) ^ (1 << bit);
  return copy;
};

/** Deterministic message bytes for tests (the domain may not use randomness; tests can, but need not). */
const message = (text: string): Uint8Array => new TextEncoder().encode(text);

/** RFC 8032 §7.1, TEST 1 to TEST 3. */
const RFC8032_VECTORS = [
  {
    name: 'TEST 1 (empty message)',
    secretKey: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2 (one byte)',
    secretKey: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3 (two bytes)',
    secretKey: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
].map((vector) => ({
  name: vector.name,
  secretKey: b64(fromHex(vector.secretKey)),
  publicKey: b64(fromHex(vector.publicKey)),
  message: fromHex(vector.message),
  signature: b64(fromHex(vector.signature)),
}));

describe('RFC 8032 §7.1 test vectors', () => {
  const verifier = createVerifier();

  it.each(RFC8032_VECTORS)('$name: key, signature and both verifiers', (vector) => {
    expect(publicKeyFromSecret(vector.secretKey)).toBe(vector.publicKey);
    expect(sign(vector.secretKey, vector.message)).toBe(vector.signature);
    expect(createSigner(vector.secretKey).sign(vector.message)).toBe(vector.signature);
    expect(verifier.verify(vector.publicKey, vector.message, vector.signature)).toBe(true);
    expect(verifyPortable(vector.publicKey, vector.message, vector.signature)).toBe(true);
  });
});

describe('signature malleability (S >= L)', () => {
  it.each(RFC8032_VECTORS)('$name: S + L passes raw tweetnacl but neither of our verifiers', (vector) => {
    const signature = decodeBase64url(vector.signature);
    const publicKey = decodeBase64url(vector.publicKey);
    const twin = malleate(signature);

    expect(twin.subarray(0, 32)).toEqual(signature.subarray(0, 32)); // R unchanged
    expect(twin).not.toEqual(signature);
    // The problem exists: tweetnacl accepts a second, different signature for the same message.
    expect(nacl.sign.detached.verify(vector.message, twin, publicKey)).toBe(true);

    expect(isCanonicalS(signature)).toBe(true);
    expect(isCanonicalS(twin)).toBe(false);
    expect(createVerifier().verify(vector.publicKey, vector.message, b64(twin))).toBe(false);
    expect(verifyPortable(vector.publicKey, vector.message, b64(twin))).toBe(false);
  });

  it('observed: node:crypto (OpenSSL 3) also rejects S + L on its own', () => {
    const [vector] = RFC8032_VECTORS;
    if (vector === undefined) throw new Error('no vector');
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: vector.publicKey }, format: 'jwk' });
    const twin = malleate(decodeBase64url(vector.signature));
    expect(verifyWithNode(null, vector.message, key, twin)).toBe(false);
  });

  it('isCanonicalS draws the line exactly at L', () => {
    const withS = (s: bigint): Uint8Array => {
      const signature = new Uint8Array(64);
      signature.set(littleEndian32(s), 32);
      return signature;
    };
    expect(isCanonicalS(withS(0n))).toBe(true);
    expect(isCanonicalS(withS(L - 1n))).toBe(true);
    expect(isCanonicalS(withS(L))).toBe(false);
    expect(isCanonicalS(withS(L + 1n))).toBe(false);
    expect(isCanonicalS(withS(2n ** 256n - 1n))).toBe(false);
    expect(isCanonicalS(new Uint8Array(63))).toBe(false);
    expect(isCanonicalS(new Uint8Array(65))).toBe(false);
  });
});

describe('tampering', () => {
  const keys = generateKeyPair();
  const signed = message('custody-ledger/act/v1\n{"carrierId":"C-1","type":"handover"}');
  const signature = sign(keys.secretKey, signed);
  const verifier = createVerifier();
  const bothVerdicts = (publicKey: string, bytes: Uint8Array, sig: string) => [
    verifier.verify(publicKey, bytes, sig),
    verifyPortable(publicKey, bytes, sig),
  ];

  it('accepts the untouched signature', () => {
    expect(bothVerdicts(keys.publicKey, signed, signature)).toEqual([true, true]);
  });

  it('rejects a flipped bit in the message, at every byte', () => {
    for (let i = 0; i < signed.length; i += 7) {
      expect(bothVerdicts(keys.publicKey, flipBit(signed, i), signature)).toEqual([false, false]);
    }
    expect(bothVerdicts(keys.publicKey, signed.subarray(1), signature)).toEqual([false, false]);
  });

  it('rejects a flipped bit in every byte of the signature', () => {
    const bytes = decodeBase64url(signature);
    for (let i = 0; i < 64; i++) {
      expect(bothVerdicts(keys.publicKey, signed, b64(flipBit(bytes, i)))).toEqual([false, false]);
    }
  });

  it('rejects a flipped bit in every byte of the public key', () => {
    const bytes = decodeBase64url(keys.publicKey);
    for (let i = 0; i < 32; i++) {
      expect(bothVerdicts(b64(flipBit(bytes, i)), signed, signature)).toEqual([false, false]);
    }
  });

  it('rejects another key and another signer', () => {
    const other = generateKeyPair();
    expect(bothVerdicts(other.publicKey, signed, signature)).toEqual([false, false]);
    expect(bothVerdicts(keys.publicKey, signed, sign(other.secretKey, signed))).toEqual([false, false]);
  });

  it('rejects a non-canonical base64url spelling of the valid signature', () => {
    // 64 bytes use 86 characters; the last one carries 4 unused bits, which lax decoders ignore.
    const last = signature.at(-1) ?? '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const variant = signature.slice(0, -1) + alphabet[alphabet.indexOf(last) + 1];
    expect(Buffer.from(variant, 'base64url')).toEqual(Buffer.from(signature, 'base64url'));
    expect(bothVerdicts(keys.publicKey, signed, variant)).toEqual([false, false]);
  });
});

describe('malformed input is false, never an exception', () => {
  const signed = message('hello');
  // A key whose signature has a character that differs between base64 and base64url: about one key
  // in sixteen has none, which made the base64 case below a valid signature now and then.
  const keys = (() => {
    for (;;) {
      const pair = generateKeyPair();
      if (/[-_]/.test(sign(pair.secretKey, signed))) return pair;
    }
  })();
  const signature = decodeBase64url(sign(keys.secretKey, signed));
  const publicKey = decodeBase64url(keys.publicKey);
  const verifier = createVerifier();

  const cases: Array<[what: string, publicKey: unknown, message: unknown, signature: unknown]> = [
    ['a 63-byte signature', keys.publicKey, signed, b64(signature.subarray(0, 63))],
    ['a 65-byte signature', keys.publicKey, signed, b64(Uint8Array.from([...signature, 0]))],
    ['an empty signature', keys.publicKey, signed, ''],
    ['a padded signature', keys.publicKey, signed, `${b64(signature)}==`],
    ['a base64 (not url) signature', keys.publicKey, signed, Buffer.from(signature).toString('base64').slice(0, 86)],
    ['a signature with a space', keys.publicKey, signed, ` ${b64(signature).slice(1)}`],
    ['a 31-byte key', b64(publicKey.subarray(0, 31)), signed, b64(signature)],
    ['a 33-byte key', b64(Uint8Array.from([...publicKey, 0])), signed, b64(signature)],
    ['an empty key', '', signed, b64(signature)],
    ['a key with invalid characters', `${keys.publicKey.slice(0, 42)}*`, signed, b64(signature)],
    ['a hex key', Buffer.from(publicKey).toString('hex'), signed, b64(signature)],
    ['a number as key', 42, signed, b64(signature)],
    ['undefined signature', keys.publicKey, signed, undefined],
    ['a string as message', keys.publicKey, 'hello', b64(signature)],
    ['null as message', keys.publicKey, null, b64(signature)],
  ];

  it.each(cases)('%s', (_what, key, bytes, sig) => {
    const call = (verify: (a: string, b: Uint8Array, c: string) => boolean) =>
      verify(key as string, bytes as Uint8Array, sig as string);
    expect(() => call(verifier.verify)).not.toThrow();
    expect(() => call(verifyPortable)).not.toThrow();
    expect(call(verifier.verify)).toBe(false);
    expect(call(verifyPortable)).toBe(false);
  });

  it('refuses a malformed secret key with a TypeError', () => {
    expect(() => sign('short', signed)).toThrow(TypeError);
    expect(() => publicKeyFromSecret(b64(new Uint8Array(64)))).toThrow(TypeError);
    expect(() => createSigner(`${keys.secretKey}=`)).toThrow(TypeError);
  });
});

describe('weak public keys (small order, unreduced y)', () => {
  /** y-coordinates of the small-order points, and two unreduced spellings (p = 0, p + 1 = 1). */
  const weakY = [
    0n,
    1n,
    P - 1n,
    2707385501144840649318225287225658788936804267575313519463743609750303402022n,
    55188659117513257062467267217118295137698188065244968500265048394206261417927n,
    P,
    P + 1n,
  ];
  const withSign = (y: bigint, negative: boolean): Uint8Array => {
    const bytes = littleEndian32(y);
    if (negative) bytes[31] = (bytes[31] ?? 0) | 0x80;
    return bytes;
  };
  const weakKeys = weakY.flatMap((y) => [withSign(y, false), withSign(y, true)]);
  /** R = the identity point, S = 0: verifies whenever [k]A is the identity. */
  const trivialSignature = new Uint8Array(64);
  trivialSignature[0] = 1;

  it.each(weakKeys.map((key) => [Buffer.from(key).toString('hex'), key] as const))(
    '%s: tweetnacl accepts a forged signature, our verifiers refuse the key',
    (_hex, key) => {
      // The same (R, S) verifies for 1/8 to all of the messages, depending on the key's order;
      // the messages are fixed, so finding one among 64 is certain, not a matter of luck.
      const forged = Array.from({ length: 64 }, (_, i) => message(`forged act #${i}`)).find((m) =>
        nacl.sign.detached.verify(m, trivialSignature, key),
      );
      if (forged === undefined) throw new Error('expected tweetnacl to accept a forgery for a weak key');

      expect(isAcceptablePublicKey(key)).toBe(false);
      expect(createVerifier().verify(b64(key), forged, b64(trivialSignature))).toBe(false);
      expect(verifyPortable(b64(key), forged, b64(trivialSignature))).toBe(false);
    },
  );

  it('observed: node:crypto accepts the forgery under the identity key when asked directly', () => {
    const identity = littleEndian32(1n);
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64(identity) }, format: 'jwk' });
    expect(verifyWithNode(null, message('anything at all'), key, trivialSignature)).toBe(true);
  });

  it('accepts every generated key', () => {
    for (let i = 0; i < 50; i++) expect(isAcceptablePublicKey(decodeBase64url(generateKeyPair().publicKey))).toBe(true);
  });
});

describe('node:crypto and tweetnacl agree', () => {
  it('derive the same public key from a seed', () => {
    for (let i = 0; i < 20; i++) {
      const keys = generateKeyPair();
      const seed = decodeBase64url(keys.secretKey);
      expect(seed.length).toBe(32);
      expect(b64(nacl.sign.keyPair.fromSeed(seed).publicKey)).toBe(keys.publicKey);
      expect(publicKeyFromSecret(keys.secretKey)).toBe(keys.publicKey);
      expect(createSigner(keys.secretKey).publicKey).toBe(keys.publicKey);
    }
  });

  it('produce byte-identical signatures over 50 random messages, each accepted by both verifiers', () => {
    const verifier = createVerifier();
    for (let i = 0; i < 50; i++) {
      const keys = generateKeyPair();
      const naclSecretKey = nacl.sign.keyPair.fromSeed(decodeBase64url(keys.secretKey)).secretKey;
      const bytes = new Uint8Array(randomBytes(i * 17));

      const nodeSignature = sign(keys.secretKey, bytes);
      const naclSignature = b64(nacl.sign.detached(bytes, naclSecretKey));
      expect(nodeSignature).toBe(naclSignature);

      expect(verifier.verify(keys.publicKey, bytes, naclSignature)).toBe(true);
      expect(verifyPortable(keys.publicKey, bytes, nodeSignature)).toBe(true);
    }
  });
});

describe('the KeyObject cache', () => {
  const population = Array.from({ length: 100 }, (_, i) => {
    const keys = generateKeyPair();
    const bytes = message(`act ${i}`);
    return { publicKey: keys.publicKey, bytes, signature: sign(keys.secretKey, bytes) };
  });

  it.each([
    ['default size', undefined],
    ['a tiny cache that keeps evicting', 7],
    ['a cache of one', 1],
  ])('gives the same verdicts with %s', (_what, maxCachedKeys) => {
    const verifier = createVerifier(maxCachedKeys === undefined ? {} : { maxCachedKeys });
    for (let pass = 0; pass < 3; pass++) {
      population.forEach((entry, i) => {
        const neighbour = population[(i + 1) % population.length];
        if (neighbour === undefined) throw new Error('no neighbour');
        expect(verifier.verify(entry.publicKey, entry.bytes, entry.signature)).toBe(true);
        expect(verifier.verify(neighbour.publicKey, entry.bytes, entry.signature)).toBe(false);
        expect(verifier.verify(entry.publicKey, neighbour.bytes, entry.signature)).toBe(false);
      });
    }
  });

  it('does not let a refused key poison later verdicts', () => {
    const verifier = createVerifier({ maxCachedKeys: 4 });
    const [entry] = population;
    if (entry === undefined) throw new Error('no entry');
    expect(verifier.verify(b64(littleEndian32(1n)), entry.bytes, entry.signature)).toBe(false);
    expect(verifier.verify(entry.publicKey, entry.bytes, entry.signature)).toBe(true);
  });
});

describe('base64url', () => {
  it('round-trips every length from 0 to 70 bytes without padding', () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = new Uint8Array(randomBytes(length));
      const text = encodeBase64url(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(decodeBase64url(text)).toEqual(bytes);
    }
  });

  it('encodes only the viewed part of a subarray', () => {
    expect(encodeBase64url(Uint8Array.from([0, 0xfb, 0xff, 0])).length).toBe(6);
    expect(encodeBase64url(Uint8Array.from([0, 0xfb, 0xff, 0]).subarray(1, 3))).toBe('-_8');
  });

  it.each([
    ['padding', 'AA=='],
    ['standard base64 characters', 'ab+/'],
    ['whitespace', 'AA AA'],
    ['an impossible length (4n + 1)', 'AAAAA'],
    ['non-zero unused bits after 1 byte', 'AB'],
    ['non-zero unused bits after 2 bytes', 'AAB'],
  ])('refuses %s', (_what, text) => {
    expect(() => decodeBase64url(text)).toThrow(TypeError);
    expect(tryDecodeBase64url(text)).toBeUndefined();
  });

  it('accepts the canonical spellings next to the refused ones', () => {
    expect(decodeBase64url('AA')).toEqual(new Uint8Array([0]));
    expect(decodeBase64url('AAA')).toEqual(new Uint8Array([0, 0]));
    expect(decodeBase64url('AQ')).toEqual(new Uint8Array([1]));
    expect(decodeBase64url('')).toEqual(new Uint8Array());
  });
});
