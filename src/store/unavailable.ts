import { statfsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { dirname } from 'node:path';

/**
 * Why a file-backed store cannot take a write now. Each is an operator's matter, not the caller's:
 * `locked` passes by itself (another process holds the write lock), the others need someone to act.
 */
export type UnavailableReason = 'locked' | 'read-only' | 'disk-full' | 'io-error';

/**
 * The store could not take a write, and nothing of it was written (the transaction was rolled back),
 * so the same signed act may simply be submitted again. The message names the file, for the log.
 */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
  constructor(
    readonly reason: UnavailableReason,
    readonly file: string,
    why: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${why}`, options);
  }
}

/** The room a file-backed store keeps free by default: appends stop before the disk fills, not in the middle of a commit. */
export const DEFAULT_MIN_FREE_BYTES = 16 * 1024 * 1024;

const REASONS: Record<string, UnavailableReason> = {
  SQLITE_BUSY: 'locked',
  SQLITE_LOCKED: 'locked',
  SQLITE_READONLY: 'read-only',
  SQLITE_PERM: 'read-only',
  SQLITE_CANTOPEN: 'read-only',
  SQLITE_FULL: 'disk-full',
  SQLITE_IOERR: 'io-error',
};

/** SQLite's `code` (SQLITE_BUSY, SQLITE_IOERR_WRITE...) as a reason, or undefined for errors that are no state of the file. */
function reasonOf(error: unknown): UnavailableReason | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  return REASONS[code] ?? REASONS[code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1')];
}

/**
 * An error SQLite raised about `file`, named after it: a state of the file (locked, read-only, full,
 * failing) becomes StoreUnavailable; anything else keeps its class, its message prefixed with the file.
 */
export function sqliteFault(error: unknown, file: string): unknown {
  if (error instanceof StoreUnavailable || !(error instanceof Error)) return error;
  const reason = reasonOf(error);
  if (reason !== undefined) return new StoreUnavailable(reason, file, error.message, { cause: error });
  if ((error as { code?: unknown }).code !== undefined && !error.message.startsWith(file)) error.message = `${file}: ${error.message}`;
  return error;
}

/** Throws StoreUnavailable('disk-full') when the file system holding `file` has less than `minFreeBytes` available. */
export function checkFreeSpace(file: string, minFreeBytes: number): void {
  if (minFreeBytes <= 0) return;
  const stats = statfsSync(dirname(file));
  const free = Number(stats.bavail) * Number(stats.bsize);
  if (free < minFreeBytes) {
    const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    throw new StoreUnavailable('disk-full', file, `the disk holding it has ${mib(free)} free, less than the ${mib(minFreeBytes)} kept in reserve`);
  }
}

/**
 * Throws StoreUnavailable unless `db` could commit a write now, writing nothing. A commit runs
 * synchronously, so none is open here. Taking the write lock is not enough: in WAL mode that lock
 * lives in the -shm file, and a database file SQLite silently opened read-only still grants it. So
 * the header is written (user_version, to the value it has) inside a transaction that is rolled back.
 * Without waiting for another process's lock: a readiness probe must not hold the event loop.
 */
export function probeWritable(db: Database.Database, file: string, busyTimeoutMs: number): void {
  db.pragma('busy_timeout = 0');
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    db.exec('BEGIN IMMEDIATE');
    db.pragma(`user_version = ${version}`);
    db.exec('ROLLBACK');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw sqliteFault(error, file);
  } finally {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  }
}
