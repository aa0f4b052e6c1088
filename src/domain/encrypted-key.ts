import { z } from 'zod';
import { canonicalJson, utf8 } from './canonical.js';
import { PersonId, PublicKey } from './primitives.js';

/**
 * A person's key, encrypted with their passphrase: what the web app keeps in the browser and what
 * its "export encrypted key file" writes (the CLI may write the same format). Only the 32-byte
 * Ed25519 seed is secret; who it belongs to stays readable, and is bound into the encryption as
 * associated data, so swapping the public key or the person in the file makes decryption fail.
 *
 * PBKDF2-SHA256 (at least 600,000 iterations, OWASP 2023) turns the passphrase into an AES-256-GCM
 * key; both are in WebCrypto, in every browser and in Node 20 (globalThis.crypto.subtle).
 */

export const ENCRYPTED_KEY_FORMAT = 'custody-ledger/encrypted-key/v1';
export const MIN_PBKDF2_ITERATIONS = 600_000;

const base64urlOf = (minBytes: number, maxBytes: number, what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, `${what} must be base64url without padding`)
    .min(Math.ceil((minBytes * 4) / 3), `${what} is at least ${minBytes} bytes`)
    .max(Math.ceil((maxBytes * 4) / 3), `${what} is at most ${maxBytes} bytes`);

export const EncryptedKeyFile = z
  .object({
    format: z.literal(ENCRYPTED_KEY_FORMAT),
    personId: PersonId.optional(),
    publicKey: PublicKey,
    kdf: z
      .object({
        name: z.literal('PBKDF2'),
        hash: z.literal('SHA-256'),
        iterations: z.number().int().min(MIN_PBKDF2_ITERATIONS).max(100_000_000),
        salt: base64urlOf(16, 64, 'salt'),
      })
      .strict(),
    cipher: z.object({ name: z.literal('AES-GCM'), iv: base64urlOf(12, 12, 'iv') }).strict(),
    /** The 32-byte seed and GCM's 16-byte tag. */
    ciphertext: base64urlOf(48, 48, 'ciphertext'),
  })
  .strict();
export type EncryptedKeyFile = z.infer<typeof EncryptedKeyFile>;

/** What the encryption binds besides the seed: the format, the person and the public key. */
export const encryptedKeyAssociatedData = (file: Pick<EncryptedKeyFile, 'format' | 'personId' | 'publicKey'>): Uint8Array =>
  utf8(canonicalJson({ format: file.format, personId: file.personId, publicKey: file.publicKey }));
