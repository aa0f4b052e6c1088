import Database from 'better-sqlite3';
import { createPrivateFile, namingFile } from './file-modes.js';

export type SqliteFileOptions = {
  /** What the file holds, for messages: "event store", "inbox", "read log". */
  what: string;
  /** The schema version this build writes (kept in SQLite's user_version). */
  schemaVersion: number;
  busyTimeoutMs?: number;
  /**
   * FULL where a resolved write is a promise (the ledger, the inbox): WAL's NORMAL can lose the last
   * commits on power loss. NORMAL where losing the last batch is acceptable and said so.
   */
  synchronous: 'FULL' | 'NORMAL';
  /** Brings a file of an older version (0: a new file) up to `schemaVersion`; called only then. */
  migrate: (db: Database.Database, fromVersion: number) => void;
  /** The error for a file written by a newer build (default: Error). */
  newerSchema?: (message: string) => Error;
};

/**
 * Opens (or creates, 0600) one of the ledger's SQLite files the one way they are all opened: the
 * schema version checked before anything writes (a newer file is left exactly as it was found),
 * WAL so readers run beside a commit, the durability the file needs, then its migration. Every
 * error names the file.
 */
export function openSqliteFile(path: string, options: SqliteFileOptions): Database.Database {
  let db: Database.Database;
  try {
    createPrivateFile(path);
    db = new Database(path);
  } catch (error) {
    throw namingFile(error, path);
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > options.schemaVersion) {
      const message =
        `${path} has ${options.what} schema version ${version}, newer than the ${options.schemaVersion} this build knows: ` +
        'open it with the newer custody-ledger that wrote it';
      throw (options.newerSchema ?? ((text: string) => new Error(text)))(message);
    }
    const mode = db.pragma('journal_mode = WAL', { simple: true }) as string;
    if (mode !== 'wal') throw new Error(`${path} could not be switched to WAL (journal_mode is ${mode})`);
    db.pragma(`synchronous = ${options.synchronous}`);
    if (version < options.schemaVersion) options.migrate(db, version);
    return db;
  } catch (error) {
    db.close();
    throw namingFile(error, path);
  }
}
