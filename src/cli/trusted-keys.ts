import { existsSync, statSync } from 'node:fs';
import { parseTrustedKey, type KeyRole, type TrustedKey } from '../verify/note/keys.js';
import { usageError } from './errors.js';
import { readText, resolvePath } from './files.js';
import { writeLines, type CliIo } from './io.js';

/**
 * Public keys given on the command line (`--trust`, `--witness`): each value is a key file if one
 * exists at that path (a verifier key, or JSON with `publicKey` and `name` or `ledgerId`), else the
 * key itself.
 */
export async function keysOf(io: CliIo, values: readonly string[], role: KeyRole, flag: string): Promise<TrustedKey[]> {
  const keys: TrustedKey[] = [];
  for (const value of values) {
    const path = resolvePath(io, value);
    const isFile = existsSync(path) && statSync(path).isFile();
    const text = isFile ? await readText(path) : value;
    if (isFile && /"secretKey"/.test(text)) {
      writeLines(io.stderr, `note: ${path} holds a secret key; only its public key is read (give others the public key alone)`);
    }
    const key = parseTrustedKey(text, role);
    if (typeof key === 'string') throw usageError(`${flag} ${isFile ? path : JSON.stringify(value.slice(0, 60))}: ${key}`);
    keys.push(key);
  }
  return keys;
}
