import { closeSync, existsSync, openSync, statSync } from 'node:fs';

/**
 * The ledger's files hold who holds what, at what classification: only their owner may read them.
 * SQLite creates a database's -wal and -shm files with the database file's own mode, so creating
 * the database file 0600 before SQLite opens it keeps all three private whatever the umask.
 */
export function createPrivateFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

/**
 * One line for each of `files` that anyone but its owner may read or write, and for each of
 * `directories` that anyone but its owner may enter, saying how to fix it. Missing paths are skipped.
 */
export function widerThanOwnerWarnings(files: readonly string[], directories: readonly string[]): string[] {
  const warnings: string[] = [];
  const modeOf = (path: string) => (existsSync(path) ? statSync(path).mode & 0o777 : undefined);
  for (const file of files) {
    const mode = modeOf(file);
    if (mode !== undefined && (mode & 0o077) !== 0) warnings.push(`${file} can be read by others (mode ${octal(mode)}): run chmod 600 ${file}`);
  }
  for (const directory of directories) {
    const mode = modeOf(directory);
    if (mode !== undefined && (mode & 0o077) !== 0) {
      warnings.push(`${directory} can be entered by others (mode ${octal(mode)}): run chmod 700 ${directory}`);
    }
  }
  return warnings;
}

/** An error about `file` whose message names it (SQLite's own say "file is not a database", not which). */
export function namingFile(error: unknown, file: string): unknown {
  if (error instanceof Error && !error.message.includes(file)) error.message = `${file}: ${error.message}`;
  return error;
}
