import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CliError, EXIT, fileError, refused } from './errors.js';
import type { CliIo } from './io.js';

/** A path from the command line, resolved against the command's working directory. */
export const resolvePath = (io: CliIo, file: string): string => (isAbsolute(file) ? file : resolve(io.cwd, file));

export async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw fileError('read', file, error);
  }
}

/** The text of a file, or undefined when there is none. */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileError('read', file, error);
  }
}

/** A JSON file; a parse failure names the file. */
export async function readJsonFile(file: string, what: string): Promise<unknown> {
  const text = await readText(file);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(EXIT.usage, `${file} is not a ${what}: ${(error as Error).message}`);
  }
}

export type WriteOptions = {
  /** File permissions; 0600 for anything that holds a secret key or a token. */
  mode: number;
  /** Refuse when the file exists (key files: an overwritten key is an identity lost). */
  exclusive?: boolean;
};

/**
 * Writes a file whole or not at all (temporary file + rename), with the given mode whatever the
 * umask says. Missing parent directories are created private (0700).
 */
export async function writeFileSafely(file: string, content: string, options: WriteOptions): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    if (options.exclusive) {
      // 'wx' fails if the file exists, atomically: no window between a check and the write.
      await writeFile(file, content, { mode: options.mode, flag: 'wx' });
    } else {
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, content, { mode: options.mode, flag: 'wx' });
      await chmod(temporary, options.mode);
      await rename(temporary, file);
    }
    await chmod(file, options.mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw refused(undefined, `${file} exists; refusing to overwrite it (use --force to replace it)`);
    }
    throw fileError('write', file, error);
  }
}

/** The permission bits of a file, or undefined when it cannot be examined. */
export async function modeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mode & 0o777;
  } catch {
    return undefined;
  }
}
