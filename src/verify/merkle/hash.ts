import * as nodeCrypto from 'node:crypto';

/**
 * RFC 6962 / RFC 9162 §2.1 hashing: a leaf is SHA-256(0x00 || data), an interior node
 * SHA-256(0x01 || left || right), the empty tree SHA-256(""). The one-byte prefixes keep a leaf from
 * ever being passed off as a node (second-preimage attacks on the tree).
 */

export const HASH_BYTES = 32;

/**
 * SHA-256 in one call: node:crypto's one-shot `hash` (Node 20.12+) is a third cheaper than
 * createHash for inputs this small, and a tree of a million leaves hashes two million of them.
 */
export const sha256Buffer: (data: Uint8Array | string) => Buffer =
  typeof nodeCrypto.hash === 'function'
    ? (data) => nodeCrypto.hash('sha256', data, 'buffer')
    : (data) => nodeCrypto.createHash('sha256').update(data).digest();

/** SHA-256 of nothing: the root of the empty tree. */
export const EMPTY_ROOT: Uint8Array = sha256Buffer(new Uint8Array(0));

/** One buffer reused for every node: hashing the tree's 2n nodes should not allocate 2n inputs. */
const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES);
nodeInput[0] = 0x01;

export function leafHash(data: Uint8Array): Uint8Array {
  const input = Buffer.allocUnsafe(1 + data.length);
  input[0] = 0x00;
  input.set(data, 1);
  return sha256Buffer(input);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_BYTES);
  return sha256Buffer(nodeInput);
}

export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The largest power of two strictly below n (n >= 2): where RFC 6962 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Hashes travel as standard base64 (with padding), as in C2SP checkpoints and proofs. */
export const hashToBase64 = (h: Uint8Array): string => Buffer.from(h.buffer, h.byteOffset, h.byteLength).toString('base64');

const BASE64_HASH = /^[A-Za-z0-9+/]{43}=$/;

/** A 32-byte hash from canonical standard base64, or undefined for anything else. */
export function hashFromBase64(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string' || !BASE64_HASH.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  // The last character carries 2 unused bits: only the zero variant is the canonical text.
  return bytes.length === HASH_BYTES && bytes.toString('base64') === text ? new Uint8Array(bytes) : undefined;
}

export const hashToHex = (h: Uint8Array): string => Buffer.from(h.buffer, h.byteOffset, h.byteLength).toString('hex');

export function hashFromHex(text: unknown): Uint8Array | undefined {
  return typeof text === 'string' && /^[0-9a-f]{64}$/.test(text) ? new Uint8Array(Buffer.from(text, 'hex')) : undefined;
}
