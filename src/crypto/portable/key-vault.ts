import nacl from 'tweetnacl';
import {
  ENCRYPTED_KEY_FORMAT,
  EncryptedKeyFile,
  MIN_PBKDF2_ITERATIONS,
  encryptedKeyAssociatedData,
} from '../../domain/encrypted-key.js';
import { fromBase64url, toBase64url } from './base64url.js';

/**
 * Encrypts and decrypts a person's Ed25519 seed with a passphrase (format: src/domain/encrypted-key.ts).
 * WebCrypto only, so the same module runs in the browser and in Node 20 (and the CLI can write files
 * the web app opens). Errors are typed so a screen can say which one happened.
 */

export type PlainKey = { personId?: string; publicKey: string; secretKey: string };

export class WrongPassphrase extends Error {
  constructor() {
    super('wrong passphrase: the key could not be decrypted');
    this.name = 'WrongPassphrase';
  }
}

export class CorruptKeyFile extends Error {
  constructor(detail: string) {
    super(`not a usable key file: ${detail}`);
    this.name = 'CorruptKeyFile';
  }
}

type Subtle = typeof globalThis.crypto.subtle;
type AesKey = Awaited<ReturnType<Subtle['deriveKey']>>;

const subtle = (): Subtle => {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto is not available (the page must be served from http://127.0.0.1 or https)');
  return s;
};

/** A copy on a plain ArrayBuffer: what WebCrypto's typings accept in every environment. */
const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

async function aesKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<AesKey> {
  const material = await subtle().importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: own(salt), iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** The public key of a 32-byte seed (base64url), or undefined if it is not one. */
export function publicKeyOfSeed(secretKey: string): string | undefined {
  const seed = fromBase64url(secretKey);
  if (seed === undefined || seed.length !== 32) return undefined;
  return toBase64url(nacl.sign.keyPair.fromSeed(seed).publicKey);
}

/** A fresh key pair from the platform's CSPRNG (tweetnacl uses crypto.getRandomValues). */
export function newPlainKey(personId?: string): PlainKey {
  const seed = nacl.randomBytes(32);
  return { ...(personId ? { personId } : {}), publicKey: toBase64url(nacl.sign.keyPair.fromSeed(seed).publicKey), secretKey: toBase64url(seed) };
}

export async function encryptKey(key: PlainKey, passphrase: string, iterations = MIN_PBKDF2_ITERATIONS): Promise<EncryptedKeyFile> {
  if (publicKeyOfSeed(key.secretKey) !== key.publicKey) throw new CorruptKeyFile('the public key does not belong to the secret key');
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const header = { format: ENCRYPTED_KEY_FORMAT, ...(key.personId ? { personId: key.personId } : {}), publicKey: key.publicKey } as const;
  const ciphertext = await subtle().encrypt(
    { name: 'AES-GCM', iv, additionalData: own(encryptedKeyAssociatedData(header)) },
    await aesKey(passphrase, salt, iterations),
    fromBase64url(key.secretKey)!,
  );
  return EncryptedKeyFile.parse({
    ...header,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: toBase64url(salt) },
    cipher: { name: 'AES-GCM', iv: toBase64url(iv) },
    ciphertext: toBase64url(new Uint8Array(ciphertext)),
  });
}

/**
 * The plain key inside an encrypted key file.
 *
 * @throws CorruptKeyFile when the file is not in the format; WrongPassphrase when it does not open
 *   (GCM cannot tell a wrong passphrase from edited bytes: both fail authentication).
 */
export async function decryptKey(file: unknown, passphrase: string): Promise<PlainKey> {
  const parsed = EncryptedKeyFile.safeParse(file);
  if (!parsed.success) throw new CorruptKeyFile(parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; '));
  const f = parsed.data;
  let seed: ArrayBuffer;
  try {
    seed = await subtle().decrypt(
      { name: 'AES-GCM', iv: fromBase64url(f.cipher.iv)!, additionalData: own(encryptedKeyAssociatedData(f)) },
      await aesKey(passphrase, fromBase64url(f.kdf.salt)!, f.kdf.iterations),
      fromBase64url(f.ciphertext)!,
    );
  } catch {
    throw new WrongPassphrase();
  }
  const secretKey = toBase64url(new Uint8Array(seed));
  if (publicKeyOfSeed(secretKey) !== f.publicKey) throw new CorruptKeyFile('the decrypted key does not match its public key');
  return { ...(f.personId ? { personId: f.personId } : {}), publicKey: f.publicKey, secretKey };
}
