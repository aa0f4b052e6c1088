import Database from 'better-sqlite3';
import { openSqliteFile } from '../store/sqlite-file.js';
import { PendingActRecord, type Inbox } from './port.js';
import { checkFreeSpace, DEFAULT_MIN_FREE_BYTES, probeWritable, sqliteFault } from '../store/unavailable.js';

/** Bump with a migration; a file written by a newer build is refused, never guessed at. */
const SCHEMA_VERSION = 1;

/**
 * The inbox in its own SQLite file beside the ledger's (`custody.db` → `custody.inbox.db`): the
 * ledger file stays the append-only record and nothing else, so a refused or pending act leaves it
 * byte for byte as it was. WAL with synchronous=FULL: a 202 reply means the signature is kept.
 */
export function createSqliteInbox(options: { path: string; minFreeBytes?: number }): Inbox {
  const { path } = options;
  const minFreeBytes = options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES;
  const db = openDatabase(path);
  const sql = {
    get: db.prepare('SELECT record FROM pending_acts WHERE act_id = ?').pluck(),
    upsert: db.prepare(
      `INSERT INTO pending_acts (act_id, status, created_at, expires_at, record) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (act_id) DO UPDATE SET status = excluded.status, expires_at = excluded.expires_at, record = excluded.record`,
    ),
    clearMissing: db.prepare('DELETE FROM pending_act_missing WHERE act_id = ?'),
    addMissing: db.prepare('INSERT INTO pending_act_missing (person_id, act_id) VALUES (?, ?)'),
    awaiting: db
      .prepare(
        `SELECT p.record FROM pending_act_missing m JOIN pending_acts p ON p.act_id = m.act_id
         WHERE m.person_id = ? AND p.status = 'pending' ORDER BY p.created_at, p.act_id`,
      )
      .pluck(),
  };
  const save = db.transaction((record: PendingActRecord) => {
    sql.upsert.run(record.actId, record.status, record.createdAt, record.expiresAt, JSON.stringify(record));
    sql.clearMissing.run(record.actId);
    if (record.status === 'pending') for (const person of record.missing) sql.addMissing.run(person, record.actId);
  });
  // The file is ours, but it sits on disk where anything may change it: parse what we read back.
  const parse = (text: unknown) => PendingActRecord.parse(JSON.parse(String(text)));

  return {
    get: async (actId) => {
      const text = sql.get.get(actId);
      return text === undefined ? undefined : parse(text);
    },
    save: async (record) => {
      try {
        checkFreeSpace(path, minFreeBytes);
        save.immediate(record);
      } catch (error) {
        throw sqliteFault(error, path);
      }
    },
    awaiting: async (personId) => sql.awaiting.all(personId).map(parse),
    async appendable() {
      checkFreeSpace(path, minFreeBytes);
      probeWritable(db, path, 5000);
    },
    close: async () => {
      if (db.open) db.close();
    },
  };
}

function openDatabase(path: string): Database.Database {
  return openSqliteFile(path, {
    what: 'inbox',
    schemaVersion: SCHEMA_VERSION,
    synchronous: 'FULL',
    migrate: (db) => {
      db.transaction(() => {
        db.exec(`
          CREATE TABLE IF NOT EXISTS pending_acts (
            act_id     TEXT PRIMARY KEY,
            status     TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            record     TEXT NOT NULL
          );
          CREATE TABLE IF NOT EXISTS pending_act_missing (
            person_id TEXT NOT NULL,
            act_id    TEXT NOT NULL REFERENCES pending_acts (act_id),
            PRIMARY KEY (person_id, act_id)
          );`);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }).immediate();
    },
  });
}
