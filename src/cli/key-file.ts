import { z } from 'zod';
import { PersonId, PublicKey } from '../domain/primitives.js';
import { generateKeyPair, publicKeyFromSecret, type KeyPair } from '../crypto/ed25519.js';
import { CliError, EXIT } from './errors.js';
import { modeOf, readJsonFile, writeFileSafely } from './files.js';
import { writeLines, type CliIo } from './io.js';
import { ENCRYPTED_KEY_FORMAT, type EncryptedKeyFile } from '../domain/encrypted-key.js';
import { CorruptKeyFile, WrongPassphrase, decryptKey } from '../crypto/portable/key-vault.js';
import { passphraseFor, type PassphraseSource } from './passphrase.js';

/**
 * A person's key file, mode 0600, never overwritten unless asked to. By default it is encrypted with
 * a passphrase in the web app's format (src/domain/encrypted-key.ts), so a stolen file alone signs
 * nothing; a plain file `{ personId?, publicKey, secretKey }` (--no-passphrase, or made before keys
 * were encrypted) still works. Every command that signs unlocks its key through readKeyFile.
 */

export const KeyFile = z
  .object({ personId: PersonId.optional(), publicKey: PublicKey, secretKey: z.string().min(1) })
  .strict();
export type KeyFile = z.infer<typeof KeyFile>;

export type LoadedKey = KeyFile & { file: string };

export function newKeyFile(personId?: string): KeyFile {
  const pair: KeyPair = generateKeyPair();
  return { ...(personId === undefined ? {} : { personId }), publicKey: pair.publicKey, secretKey: pair.secretKey };
}

export async function writeKeyFile(file: string, key: KeyFile | EncryptedKeyFile, force: boolean): Promise<void> {
  await writeFileSafely(file, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600, exclusive: !force });
}

/** The key in a key file, asking for its passphrase (from `source`, see passphrase.ts) when encrypted. */
export async function readKeyFile(io: CliIo, file: string, source: PassphraseSource = {}): Promise<LoadedKey> {
  const content = await readJsonFile(file, 'key file');
  const parsed = KeyFile.safeParse(isEncrypted(content) ? await unlock(io, file, content, source) : content);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
    throw new CliError(EXIT.usage, `${file} is not a key file ({ personId?, publicKey, secretKey })`, { issues });
  }
  const key = parsed.data;
  let derived: string;
  try {
    derived = publicKeyFromSecret(key.secretKey);
  } catch {
    throw new CliError(EXIT.usage, `${file}: secretKey is not a 32-byte Ed25519 seed in base64url`);
  }
  if (derived !== key.publicKey) {
    throw new CliError(EXIT.usage, `${file}: publicKey does not belong to secretKey; the file is damaged or was edited`);
  }
  const mode = await modeOf(file);
  if (mode !== undefined && (mode & 0o077) !== 0) {
    writeLines(io.stderr, `warning: ${file} can be read by others (mode ${mode.toString(8)}); run: chmod 600 ${file}`);
  }
  return { ...key, file };
}

const isEncrypted = (content: unknown): boolean =>
  typeof content === 'object' && content !== null && (content as { format?: unknown }).format === ENCRYPTED_KEY_FORMAT;

async function unlock(io: CliIo, file: string, content: unknown, source: PassphraseSource): Promise<KeyFile> {
  const passphrase = await passphraseFor(io, source, `Passphrase for ${file}: `);
  try {
    return await decryptKey(content, passphrase);
  } catch (error) {
    if (error instanceof WrongPassphrase) throw new CliError(EXIT.auth, `wrong passphrase for ${file} (or the file was edited); nothing was signed`);
    if (error instanceof CorruptKeyFile) throw new CliError(EXIT.usage, `${file}: ${error.message}`);
    throw error;
  }
}

/** Who signs with this key: --as, else the person the key file names; they must agree. */
export function signerFor(key: LoadedKey, as: string | undefined): string {
  if (as !== undefined && key.personId !== undefined && as !== key.personId) {
    throw new CliError(EXIT.usage, `--as ${as} but ${key.file} is the key of ${key.personId}`);
  }
  const signer = as ?? key.personId;
  if (signer === undefined) throw new CliError(EXIT.usage, `${key.file} names no person: say whose key it is with --as <personId>`);
  return signer;
}
