import { createHash } from 'node:crypto';

/**
 * SHA-256 of bytes, or of a string's UTF-8 encoding.
 *
 * Strings are a convenience for text that is already canonical; hash canonical bytes
 * (`signingBytes`, `utf8(canonicalJson(...))`) for anything that is chained or signed.
 */
export function sha256(data: Uint8Array | string): Uint8Array {
  const digest = digestOf(data);
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

/** SHA-256 as 64 lowercase hex characters: the form stored in hash chains. */
export function sha256Hex(data: Uint8Array | string): string {
  return digestOf(data).toString('hex');
}

function digestOf(data: Uint8Array | string): Buffer {
  const hash = createHash('sha256');
  if (typeof data === 'string') hash.update(data, 'utf8');
  else hash.update(data);
  return hash.digest();
}
