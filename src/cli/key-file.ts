import { z } from 'zod';
import { PersonId, PublicKey } from '../domain/primitives.js';
import { generateKeyPair, publicKeyFromSecret, type KeyPair } from '../crypto/ed25519.js';
import { CliError, EXIT } from './errors.js';
import { modeOf, readJsonFile, writeFileSafely } from './files.js';
import { writeLines, type CliIo } from './io.js';

/**
 * A person's key file: `{ personId?, publicKey, secretKey }`, mode 0600. Whoever reads it can sign
 * as that person, so it is written private and never overwritten unless asked to.
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

export async function writeKeyFile(file: string, key: KeyFile, force: boolean): Promise<void> {
  await writeFileSafely(file, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600, exclusive: !force });
}

export async function readKeyFile(io: CliIo, file: string): Promise<LoadedKey> {
  const parsed = KeyFile.safeParse(await readJsonFile(file, 'key file'));
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

/** Who signs with this key: --as, else the person the key file names; they must agree. */
export function signerFor(key: LoadedKey, as: string | undefined): string {
  if (as !== undefined && key.personId !== undefined && as !== key.personId) {
    throw new CliError(EXIT.usage, `--as ${as} but ${key.file} is the key of ${key.personId}`);
  }
  const signer = as ?? key.personId;
  if (signer === undefined) throw new CliError(EXIT.usage, `${key.file} names no person: say whose key it is with --as <personId>`);
  return signer;
}
