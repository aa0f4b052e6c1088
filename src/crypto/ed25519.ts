import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as signWithNode,
  verify as verifyWithNode,
  type KeyObject,
} from 'node:crypto';
import nacl from 'tweetnacl';
import { encodeBase64url, tryDecodeBase64url } from './base64url.js';

/**
 * Ed25519 (RFC 8032) keys, signatures and strict verification.
 *
 * Keys and signatures travel as base64url without padding. A secret key is the 32-byte seed
 * (RFC 8032's "private key"), not tweetnacl's 64-byte seed-plus-public-key form.
 *
 * "Strict" means that before any library sees a signature we refuse what would let one signed act
 * have several valid signatures, or let a key sign for everyone:
 *   - a signature that is not 64 bytes, a key that is not 32 bytes, non-canonical base64url;
 *   - S >= L (signature malleability: tweetnacl's verify accepts S + L, tweetnacl-js issue #253);
 *   - a public key whose y-coordinate is not reduced (>= p) or that is one of the 8 points of small
 *     order: with such a key, signatures like (R = identity, S = 0) verify for many messages in
 *     both node:crypto and tweetnacl, so its owner could later disown "their" signatures.
 * Both verifiers apply the same checks before handing over to their library; the unit tests pin
 * that their verdicts agree.
 */

export type KeyPair = {
  /** 32-byte Ed25519 public key, base64url. */
  publicKey: string;
  /** 32-byte seed, base64url. Whoever holds it can sign as this person: never log it. */
  secretKey: string;
};

export type Signer = {
  publicKey: string;
  /** Base64url signature over the exact bytes (use `signingBytes` to build them). */
  sign(message: Uint8Array): string;
};

export type Verifier = {
  /** True only for a strict, valid signature. Never throws: malformed input is simply false. */
  verify(publicKey: string, message: Uint8Array, signature: string): boolean;
};

export type VerifierOptions = {
  /**
   * How many parsed public keys to keep. Keys arrive with untrusted requests, so the cache is
   * bounded; when full, the oldest entry is dropped. Default 10 000.
   */
  maxCachedKeys?: number;
};

const PUBLIC_KEY_BYTES = 32;
const SECRET_KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;
/** Unpadded base64url lengths of 32 and 64 bytes: refuse long strings before decoding them. */
const PUBLIC_KEY_TEXT_LENGTH = 43;
const SIGNATURE_TEXT_LENGTH = 86;

/** The order of the base point: L = 2^252 + 27742317777372353535851937790883648493. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
/** The field prime p = 2^255 - 19. */
const P = 2n ** 255n - 19n;

const L_LITTLE_ENDIAN = littleEndian(L);
const P_LITTLE_ENDIAN = littleEndian(P);

/**
 * The y-coordinates of the 8 points of small order (orders 1, 2, 4, 8): 1, p - 1, 0 and ±y8.
 * An encoding is y plus the sign bit of x, so checking y covers both signs.
 */
const SMALL_ORDER_Y = [
  1n,
  P - 1n,
  0n,
  2707385501144840649318225287225658788936804267575313519463743609750303402022n,
  55188659117513257062467267217118295137698188065244968500265048394206261417927n,
].map(littleEndian);

/** DER prefixes of PKCS#8 (private) and SPKI (public) Ed25519 keys; the raw 32 bytes follow. */
const PKCS8_SEED_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** DER prefix that turns 32 raw Ed25519 key bytes into an SPKI public key for node:crypto. */
export const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A fresh key pair from the operating system's CSPRNG. */
export function generateKeyPair(): KeyPair {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string' || typeof jwk.d !== 'string') throw new Error('node:crypto exported no Ed25519 JWK');
  return { publicKey: jwk.x, secretKey: jwk.d };
}

/**
 * The public key belonging to a secret key (seed).
 *
 * @throws TypeError if the secret key is not 32 bytes of base64url.
 */
export function publicKeyFromSecret(secretKey: string): string {
  return publicKeyOf(privateKeyObject(secretKey));
}

/**
 * A signer holding one parsed secret key: use it to sign many messages with the same key.
 *
 * @throws TypeError if the secret key is not 32 bytes of base64url.
 */
export function createSigner(secretKey: string): Signer {
  const privateKey = privateKeyObject(secretKey);
  return {
    publicKey: publicKeyOf(privateKey),
    sign: (message) => encodeBase64url(signWithNode(null, message, privateKey)),
  };
}

/**
 * Signs `message`, returning a base64url signature. Ed25519 is deterministic: the result equals
 * tweetnacl's `nacl.sign.detached` byte for byte.
 *
 * Parses the secret key on every call (a few microseconds; a secret key is deliberately not kept in
 * a module-wide cache). Signing many messages with one key: {@link createSigner}.
 *
 * @throws TypeError if the secret key is not 32 bytes of base64url.
 */
export function sign(secretKey: string, message: Uint8Array): string {
  return encodeBase64url(signWithNode(null, message, privateKeyObject(secretKey)));
}

/**
 * The fast verifier: the strict checks, then node:crypto (OpenSSL) with parsed public keys cached
 * per verifier. Create one per process or per service and reuse it.
 */
export function createVerifier(options: VerifierOptions = {}): Verifier {
  const maxCachedKeys = Math.max(1, Math.floor(options.maxCachedKeys ?? 10_000));
  const keyObjects = new Map<string, KeyObject>();

  const keyObjectFor = (publicKey: string): KeyObject | undefined => {
    const cached = keyObjects.get(publicKey);
    if (cached !== undefined) return cached;
    const bytes = strictPublicKeyBytes(publicKey);
    if (bytes === undefined) return undefined;
    const keyObject = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, bytes]), format: 'der', type: 'spki' });
    if (keyObjects.size >= maxCachedKeys) {
      const oldest = keyObjects.keys().next();
      if (oldest.done !== true) keyObjects.delete(oldest.value);
    }
    keyObjects.set(publicKey, keyObject);
    return keyObject;
  };

  return {
    verify(publicKey, message, signature) {
      // node:crypto would also take a string (as UTF-8); tweetnacl would not. Bytes only, so both
      // verifiers agree and nobody signs text that skipped `signingBytes`.
      if (!(message instanceof Uint8Array)) return false;
      const signatureBytes = strictSignatureBytes(signature);
      if (signatureBytes === undefined) return false;
      try {
        const keyObject = keyObjectFor(publicKey);
        return keyObject !== undefined && verifyWithNode(null, message, keyObject, signatureBytes);
      } catch {
        return false; // e.g. a message that is not bytes: a verifier answers, it does not throw
      }
    },
  };
}

/**
 * The portable verifier: the same strict checks, then tweetnacl (pure JavaScript, runs in
 * browsers). Same verdicts as {@link createVerifier}, but about a hundred times slower on Node
 * (see bench/crypto.bench.ts): for browsers and audit tools, not for the server's hot path.
 */
export function verifyPortable(publicKey: string, message: Uint8Array, signature: string): boolean {
  if (!(message instanceof Uint8Array)) return false;
  const signatureBytes = strictSignatureBytes(signature);
  const publicKeyBytes = strictPublicKeyBytes(publicKey);
  if (signatureBytes === undefined || publicKeyBytes === undefined) return false;
  try {
    return nacl.sign.detached.verify(message, signatureBytes, publicKeyBytes);
  } catch {
    return false;
  }
}

/**
 * Whether a 64-byte signature's S (bytes 32..63, little-endian) is below L. Every S >= L has a
 * twin S - L that verifies identically, so only the reduced one is accepted.
 */
export function isCanonicalS(signature: Uint8Array): boolean {
  return signature.length === SIGNATURE_BYTES && isBelow(signature.subarray(32), L_LITTLE_ENDIAN);
}

/**
 * Whether 32 bytes are an acceptable public key: y-coordinate reduced (< p) and not one of the
 * points of small order, which no honest key generation produces. Use it when enrolling keys.
 */
export function isAcceptablePublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== PUBLIC_KEY_BYTES) return false;
  const y = Uint8Array.from(publicKey);
  y[31] = (y[31] ?? 0) & 0x7f; // the top bit is the sign of x, not part of y
  return isBelow(y, P_LITTLE_ENDIAN) && !SMALL_ORDER_Y.some((smallOrderY) => bytesEqual(y, smallOrderY));
}

/** The signature's 64 bytes if it is well-formed and canonical (S < L), else undefined. */
export function strictSignatureBytes(signature: string): Uint8Array | undefined {
  if (typeof signature !== 'string' || signature.length !== SIGNATURE_TEXT_LENGTH) return undefined;
  const bytes = tryDecodeBase64url(signature);
  return bytes !== undefined && isCanonicalS(bytes) ? bytes : undefined;
}

/** The key's 32 bytes if it is well-formed and acceptable (reduced, not of small order), else undefined. */
export function strictPublicKeyBytes(publicKey: string): Uint8Array | undefined {
  if (typeof publicKey !== 'string' || publicKey.length !== PUBLIC_KEY_TEXT_LENGTH) return undefined;
  const bytes = tryDecodeBase64url(publicKey);
  return bytes !== undefined && isAcceptablePublicKey(bytes) ? bytes : undefined;
}

function privateKeyObject(secretKey: string): KeyObject {
  const seed = typeof secretKey === 'string' ? tryDecodeBase64url(secretKey) : undefined;
  if (seed === undefined || seed.length !== SECRET_KEY_BYTES) {
    throw new TypeError(`an Ed25519 secret key is ${SECRET_KEY_BYTES} bytes of base64url`);
  }
  return createPrivateKey({ key: Buffer.concat([PKCS8_SEED_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function publicKeyOf(privateKey: KeyObject): string {
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' });
  if (typeof x !== 'string') throw new Error('node:crypto exported no Ed25519 public key');
  return x;
}

/** Compares two 32-byte little-endian numbers: a < b. Variable time is fine: inputs are public. */
function isBelow(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const ai = a[i] ?? 0;
    const bi = b[i] ?? 0;
    if (ai !== bi) return ai < bi;
  }
  return false;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function littleEndian(n: bigint): Uint8Array {
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return bytes;
}
