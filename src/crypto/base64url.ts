/**
 * Base64url without padding (RFC 4648 §5), the only text form of keys and signatures.
 *
 * Decoding is strict and canonical: one byte string has exactly one accepted text. Lenient
 * decoders ignore stray characters and the unused low bits of the last character, so several
 * texts decode to the same signature; a ledger that compares or stores signatures as text must
 * not let those variants through.
 */

const ALPHABET_PATTERN = /^[A-Za-z0-9_-]*$/;

/** Encodes bytes as base64url without padding. */
export function encodeBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * Decodes base64url without padding.
 *
 * @throws TypeError on characters outside the alphabet, padding, an impossible length, or unused
 *   trailing bits that are not zero (a non-canonical text).
 */
export function decodeBase64url(text: string): Uint8Array {
  const bytes = tryDecodeBase64url(text);
  if (bytes === undefined) {
    throw new TypeError(`not canonical base64url without padding: ${JSON.stringify(String(text).slice(0, 100))}`);
  }
  return bytes;
}

/** Like {@link decodeBase64url}, but returns `undefined` instead of throwing: for verifiers. */
export function tryDecodeBase64url(text: string): Uint8Array | undefined {
  if (typeof text !== 'string' || !ALPHABET_PATTERN.test(text)) return undefined;
  const leftover = text.length % 4;
  // One character carries 6 bits: a lone leftover character cannot finish a byte.
  if (leftover === 1) return undefined;
  if (leftover !== 0 && !unusedBitsAreZero(text, leftover)) return undefined;
  const buffer = Buffer.from(text, 'base64url');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Two leftover characters carry 12 bits for 1 byte (4 unused), three carry 18 for 2 (2 unused). */
function unusedBitsAreZero(text: string, leftover: number): boolean {
  const unusedMask = leftover === 2 ? 0b1111 : 0b11;
  return (sextetOf(text.charCodeAt(text.length - 1)) & unusedMask) === 0;
}

/** The 6-bit value of an alphabet character (the caller has checked the alphabet). */
function sextetOf(code: number): number {
  if (code >= 65 && code <= 90) return code - 65; // A-Z
  if (code >= 97 && code <= 122) return code - 71; // a-z
  if (code >= 48 && code <= 57) return code + 4; // 0-9
  return code === 45 ? 62 : 63; // '-' or '_'
}
