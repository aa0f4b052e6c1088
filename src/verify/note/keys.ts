import { encodeBase64url, tryDecodeBase64url } from '../../crypto/base64url.js';
import { isAcceptablePublicKey } from '../../crypto/ed25519.js';
import { ALG_COSIGNATURE_V1, ALG_ED25519, isKeyName, keyHash, sameKeyHash, type Algorithm, type NoteSignature } from './note.js';

/**
 * A key the person verifying trusts, given to the verifier out of band (never read from a bundle).
 * Without a name, any signature line whose key hash matches the key under the line's own name counts:
 * the key hash binds the name, so the line cannot borrow a name the key was not hashed with.
 */
export type TrustedKey = { name?: string; publicKey: string; algorithm: Algorithm };

export type KeyRole = 'ledger' | 'witness';
const algorithmOf = (role: KeyRole): Algorithm => (role === 'ledger' ? ALG_ED25519 : ALG_COSIGNATURE_V1);

/** The signed-note verifier key text: `<name>+<hex key hash>+<base64(algorithm || public key)>`. */
export function verifierKeyText(name: string, publicKey: string, role: KeyRole): string {
  const algorithm = algorithmOf(role);
  const bytes = Buffer.concat([Uint8Array.of(algorithm), tryDecodeBase64url(publicKey) ?? new Uint8Array()]);
  return `${name}+${Buffer.from(keyHash(name, algorithm, publicKey)).toString('hex')}+${bytes.toString('base64')}`;
}

/**
 * Reads a trusted key in any of the forms people hand each other: a verifier key
 * (`name+hash+base64`), a JSON key file (`{ "ledgerId" | "name", "publicKey" }`, e.g. the server's
 * ledger-key.json: only its public half is read), or a bare base64url public key.
 * Returns the key, or a sentence saying what is wrong with the text.
 */
export function parseTrustedKey(input: string, role: KeyRole): TrustedKey | string {
  const text = input.trim();
  if (text.startsWith('{')) return fromJson(text, role);
  const vkey = /^([^\s+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/u.exec(text);
  if (vkey) return fromVerifierKey(vkey[1]!, vkey[2]!, vkey[3]!, role);
  return fromPublicKey(text, undefined, role);
}

function fromVerifierKey(name: string, hashHex: string, body: string, role: KeyRole): TrustedKey | string {
  const bytes = Buffer.from(body, 'base64');
  const expected = algorithmOf(role);
  if (bytes.length !== 33) return `the verifier key for ${name} does not hold a 32-byte Ed25519 key`;
  if (bytes[0] !== expected) {
    return `the verifier key for ${name} has algorithm 0x${bytes[0]!.toString(16).padStart(2, '0')}; a ${role} key has 0x0${expected}`;
  }
  const publicKey = encodeBase64url(bytes.subarray(1));
  const key = fromPublicKey(publicKey, name, role);
  if (typeof key === 'string') return key;
  if (Buffer.from(keyHash(name, expected, publicKey)).toString('hex') !== hashHex) return `the verifier key for ${name} has a wrong key hash`;
  return key;
}

function fromJson(text: string, role: KeyRole): TrustedKey | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'the key file is not valid JSON';
  }
  if (typeof parsed !== 'object' || parsed === null) return 'the key file is not a JSON object';
  const record = parsed as Record<string, unknown>;
  const name = record['name'] ?? record['ledgerId'];
  const publicKey = record['publicKey'];
  if (typeof publicKey !== 'string') return 'the key file has no "publicKey"';
  if (name !== undefined && typeof name !== 'string') return 'the key file\'s "name" (or "ledgerId") is not text';
  return fromPublicKey(publicKey, name, role);
}

function fromPublicKey(publicKey: string, name: string | undefined, role: KeyRole): TrustedKey | string {
  const bytes = tryDecodeBase64url(publicKey);
  if (!bytes || bytes.length !== 32 || !isAcceptablePublicKey(bytes)) {
    return `not an Ed25519 public key (32 bytes, base64url), a verifier key or a JSON key file: ${JSON.stringify(publicKey.slice(0, 60))}`;
  }
  if (name !== undefined && !isKeyName(name)) return `invalid key name ${JSON.stringify(name)}`;
  return { ...(name === undefined ? {} : { name }), publicKey, algorithm: algorithmOf(role) };
}

/** The trusted key a signature line claims to be made with, with the name it was made under. */
export function trustedKeyFor(
  signature: NoteSignature,
  keys: readonly TrustedKey[],
): (TrustedKey & { name: string }) | undefined {
  for (const key of keys) {
    if (key.name !== undefined && key.name !== signature.name) continue;
    if (sameKeyHash(keyHash(signature.name, key.algorithm, key.publicKey), signature.keyHash)) {
      return { ...key, name: signature.name };
    }
  }
  return undefined;
}
