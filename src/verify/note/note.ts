import { createHash } from 'node:crypto';
import { decodeBase64url, encodeBase64url } from '../../crypto/base64url.js';
import { createSigner, createVerifier, type Verifier } from '../../crypto/ed25519.js';

/**
 * C2SP signed notes (https://c2sp.org/signed-note): a UTF-8 text ending in a newline, a blank line,
 * then one line per signature: `— <key name> <base64(key hash || signature)>`. The key hash is the
 * first 4 bytes of SHA-256(name || "\n" || algorithm || public key), so a verifier finds its key's
 * line without trying every key. Two algorithms are used here:
 *   - 0x01 Ed25519 over the text: the ledger's own signature on its checkpoint;
 *   - 0x04 cosignature/v1 (https://c2sp.org/tlog-cosignature): a witness's Ed25519 signature over
 *     "cosignature/v1\ntime <seconds>\n" + text; the line carries the 8-byte big-endian time too.
 */

export const ALG_ED25519 = 0x01;
export const ALG_COSIGNATURE_V1 = 0x04;
export type Algorithm = typeof ALG_ED25519 | typeof ALG_COSIGNATURE_V1;

export type NoteSignature = { name: string; keyHash: Uint8Array; value: Uint8Array };
export type Note = { text: string; signatures: NoteSignature[] };

/** A key name: visible characters, no spaces or '+', as the signed-note spec requires. */
const KEY_NAME = /^[^\s+]+$/u;
const SIGNATURE_LINE = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/u;
const MAX_NOTE_BYTES = 1 << 20;
const MAX_SIGNATURES = 100;

export const isKeyName = (name: string): boolean => KEY_NAME.test(name);

export function keyHash(name: string, algorithm: Algorithm, publicKey: string): Uint8Array {
  const h = createHash('sha256');
  h.update(`${name}\n`, 'utf8');
  h.update(Uint8Array.of(algorithm));
  h.update(decodeBase64url(publicKey));
  return new Uint8Array(h.digest().subarray(0, 4));
}

/** Splits a signed note into its text and signature lines; a string naming the problem if it is not one. */
export function parseNote(message: string): Note | string {
  if (typeof message !== 'string') return 'a signed note is text';
  if (Buffer.byteLength(message, 'utf8') > MAX_NOTE_BYTES) return 'the signed note is larger than 1 MiB';
  const split = message.lastIndexOf('\n\n');
  if (split < 0) return 'the note has no blank line before its signatures';
  const text = message.slice(0, split + 1);
  const lines = message.slice(split + 2).split('\n');
  if (lines.pop() !== '') return 'the last signature line does not end with a newline';
  if (lines.length === 0) return 'the note has no signature lines';
  if (lines.length > MAX_SIGNATURES) return `the note has more than ${MAX_SIGNATURES} signature lines`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/u.test(text)) return 'the note text contains control characters';
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    const match = SIGNATURE_LINE.exec(line);
    const bytes = match ? Buffer.from(match[2]!, 'base64') : undefined;
    if (!match || !bytes || bytes.toString('base64') !== match[2] || bytes.length < 5) {
      return `not a signature line: ${JSON.stringify(line.slice(0, 120))}`;
    }
    signatures.push({ name: match[1]!, keyHash: new Uint8Array(bytes.subarray(0, 4)), value: new Uint8Array(bytes.subarray(4)) });
  }
  return { text, signatures };
}

export function formatSignatureLine(name: string, hash: Uint8Array, value: Uint8Array): string {
  return `\u2014 ${name} ${Buffer.concat([hash, value]).toString('base64')}\n`;
}

/** Joins a text and its signature lines (each ending in a newline) into a signed note. */
export const formatNote = (text: string, signatureLines: readonly string[]): string => `${text}\n${signatureLines.join('')}`;

/** The signature line the holder of `secretKey` makes over `text` (algorithm 0x01). */
export function signNoteText(text: string, name: string, secretKey: string): string {
  requireNoteText(text);
  if (!isKeyName(name)) throw new TypeError(`invalid key name ${JSON.stringify(name)}: no spaces or '+'`);
  const signer = createSigner(secretKey);
  const signature = decodeBase64url(signer.sign(Buffer.from(text, 'utf8')));
  return formatSignatureLine(name, keyHash(name, ALG_ED25519, signer.publicKey), signature);
}

/** The bytes a witness signs for a cosignature/v1 at `seconds` since the epoch. */
export const cosignedMessage = (text: string, seconds: number | bigint): Uint8Array =>
  Buffer.from(`cosignature/v1\ntime ${seconds}\n${text}`, 'utf8');

/** A witness's cosignature/v1 line over a checkpoint `text`, timestamped `seconds`. */
export function cosignNoteText(text: string, name: string, secretKey: string, seconds: number): string {
  requireNoteText(text);
  if (!isKeyName(name)) throw new TypeError(`invalid key name ${JSON.stringify(name)}: no spaces or '+'`);
  if (!Number.isSafeInteger(seconds) || seconds < 0) throw new RangeError('a cosignature time is whole seconds since the epoch');
  const signer = createSigner(secretKey);
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(BigInt(seconds));
  const signature = decodeBase64url(signer.sign(cosignedMessage(text, seconds)));
  return formatSignatureLine(name, keyHash(name, ALG_COSIGNATURE_V1, signer.publicKey), Buffer.concat([time, signature]));
}

/** Whether `signature` is a valid line by `publicKey` under `name`. Cosignatures also return their time. */
export function checkNoteSignature(
  text: string,
  signature: NoteSignature,
  key: { name: string; publicKey: string; algorithm: Algorithm },
  verifier: Verifier = createVerifier(),
): { valid: boolean; seconds?: number } {
  const bytes = Buffer.from(text, 'utf8');
  if (key.algorithm === ALG_ED25519) {
    return { valid: signature.value.length === 64 && verifier.verify(key.publicKey, bytes, encodeBase64url(signature.value)) };
  }
  if (signature.value.length !== 72) return { valid: false };
  const seconds = Buffer.from(signature.value.subarray(0, 8)).readBigUInt64BE();
  const message = cosignedMessage(text, seconds);
  return { valid: verifier.verify(key.publicKey, message, encodeBase64url(signature.value.subarray(8))), seconds: Number(seconds) };
}

export function sameKeyHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === 4 && b.length === 4 && a.every((byte, i) => byte === b[i]);
}

function requireNoteText(text: string): void {
  if (!text.endsWith('\n') || text.includes('\n\n') || text.length === 0) {
    throw new TypeError('a note text is non-empty lines each ending in a newline, with no blank line');
  }
}
