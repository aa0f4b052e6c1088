import { SHA256_BYTES, sha256Buffer, sha256Into } from '../../crypto/hash.js';

/**
 * RFC 6962 / RFC 9162 §2.1 hashing: a leaf is SHA-256(0x00 || data), an interior node
 * SHA-256(0x01 || left || right), the empty tree SHA-256(""). The one-byte prefixes keep a leaf from
 * ever being passed off as a node (second-preimage attacks on the tree).
 */

export const HASH_BYTES = SHA256_BYTES;

/** SHA-256 of nothing: the root of the empty tree. */
export const EMPTY_ROOT: Uint8Array = sha256Buffer(new Uint8Array(0));

/** One buffer reused for every leaf and node input: hashing a tree's 2n nodes should not allocate 2n inputs. */
const leafInput = Buffer.alloc(1 + HASH_BYTES);
const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES);
nodeInput[0] = 0x01;

/** 0x00 || data, in the shared buffer when data is a hash (as every leaf of ours is). */
function leafInputOf(data: Uint8Array): Buffer {
  const input = data.length === HASH_BYTES ? leafInput : Buffer.allocUnsafe(1 + data.length);
  input[0] = 0x00;
  input.set(data, 1);
  return input;
}

export function leafHash(data: Uint8Array): Uint8Array {
  return sha256Buffer(leafInputOf(data));
}

/** `leafHash(data)` written into `target` at `offset`. */
export function leafHashInto(data: Uint8Array, target: Buffer, offset: number): void {
  sha256Into(leafInputOf(data), target, offset);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_BYTES);
  return sha256Buffer(nodeInput);
}

/** The node over two adjacent hashes, `source[from .. from + 64)`, written into `target` at `offset`. */
export function pairHashInto(source: Buffer, from: number, target: Buffer, offset: number): void {
  source.copy(nodeInput, 1, from, from + 2 * HASH_BYTES);
  sha256Into(nodeInput, target, offset);
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
