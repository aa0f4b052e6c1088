import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { namingFile } from '../store/file-modes.js';
import { openSqliteFile } from '../store/sqlite-file.js';

/** Bump with a migration; a file written by a newer build is refused, never guessed at. */
const SCHEMA_VERSION = 1;

/** `custody.db` → `custody.reads.db`, beside the ledger and its inbox. */
export const readLogPathFor = (dbPath: string): string =>
  join(dirname(dbPath), `${basename(dbPath).replace(/\.(db|sqlite3?)$/, '')}.reads.db`);

/** Whether the reader was shown the answer, or told "not found" (which a hidden carrier also gets), or refused (403). */
export const ReadOutcome = z.enum(['shown', 'not-found-or-hidden', 'refused']);
export type ReadOutcome = z.infer<typeof ReadOutcome>;

export const ReadRecord = z.object({
  seq: z.number().int(),
  time: z.string(),
  personId: z.string(),
  kind: z.string(),
  /** The carrier ids the read named (none for a list, a person's holdings or a location). */
  carriers: z.array(z.string()),
  /** What else it named: a person, a location, or its query. */
  subject: z.string().nullable(),
  outcome: ReadOutcome,
  requestId: z.string(),
});
export type ReadRecord = z.infer<typeof ReadRecord>;
export type NewReadRecord = Omit<ReadRecord, 'seq'>;

export type ReadQuery = { carrier?: string; person?: string; from?: string; to?: string; limit: number; afterSeq?: number };

/**
 * Who read which carrier: an operational record (not signed acts), kept in its own SQLite file so
 * the ledger file stays the append-only record of acts. Appends are queued in memory and written
 * in one transaction every `flushMs` or `batchRows` rows, so a read is not slowed by a disk write;
 * a crash loses at most the queue. Rows are never updated or deleted: triggers refuse both.
 */
export type ReadLog = {
  record(row: NewReadRecord): void;
  /** Writes the queue now (a query flushes first, so it sees every read answered before it). */
  flush(): void;
  query(query: ReadQuery): ReadRecord[];
  close(): Promise<void>;
};

export function openReadLog(options: { path: string; flushMs?: number; batchRows?: number; log?: (error: unknown) => void }): ReadLog {
  const { path } = options;
  const flushMs = options.flushMs ?? 100;
  const batchRows = options.batchRows ?? 500;
  const log = options.log ?? ((error: unknown) => console.error(error));
  const db = openDatabase(path);
  const insert = db.prepare(
    'INSERT INTO reads (time, person_id, kind, carriers, subject, outcome, request_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const writeAll = db.transaction((rows: NewReadRecord[]) => {
    // Carriers are stored as ",a,b," so one LIKE finds a carrier among several.
    for (const r of rows) insert.run(r.time, r.personId, r.kind, r.carriers.length ? `,${r.carriers.join(',')},` : '', r.subject, r.outcome, r.requestId);
  });
  let queue: NewReadRecord[] = [];
  let timer: NodeJS.Timeout | undefined;

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0 || !db.open) return;
    const rows = queue;
    queue = [];
    try {
      writeAll.immediate(rows);
    } catch (error) {
      // A read log that cannot be written must not take reads down with it; the operator is told.
      log(namingFile(error, path));
    }
  }

  return {
    record(row) {
      queue.push(row);
      if (queue.length >= batchRows) flush();
      else if (!timer) {
        timer = setTimeout(flush, flushMs);
        timer.unref();
      }
    },
    flush,
    query(q) {
      flush();
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (q.carrier !== undefined) (where.push(`carriers LIKE ? ESCAPE '\\'`), params.push(`%,${escapeLike(q.carrier)},%`));
      if (q.person !== undefined) (where.push('person_id = ?'), params.push(q.person));
      if (q.from !== undefined) (where.push('time >= ?'), params.push(q.from));
      if (q.to !== undefined) (where.push('time < ?'), params.push(q.to));
      if (q.afterSeq !== undefined) (where.push('seq > ?'), params.push(q.afterSeq));
      const sql = `SELECT * FROM reads ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT ?`;
      return (db.prepare(sql).all(...params, q.limit) as Row[]).map(fromRow);
    },
    async close() {
      flush();
      if (db.open) db.close();
    },
  };
}

type Row = { seq: number; time: string; person_id: string; kind: string; carriers: string; subject: string | null; outcome: string; request_id: string };

// The file is ours, but it sits on disk where anything may change it: parse what we read back.
const fromRow = (r: Row): ReadRecord =>
  ReadRecord.parse({
    seq: r.seq,
    time: r.time,
    personId: r.person_id,
    kind: r.kind,
    carriers: r.carriers.split(',').filter((id) => id !== ''),
    subject: r.subject,
    outcome: r.outcome,
    requestId: r.request_id,
  });

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function openDatabase(path: string): Database.Database {
  return openSqliteFile(path, {
    what: 'read log',
    schemaVersion: SCHEMA_VERSION,
    // Batches are written off the read path; NORMAL keeps them cheap (WAL stays consistent on a crash).
    synchronous: 'NORMAL',
    migrate: (db) => {
      db.transaction(() => {
        db.exec(`
          CREATE TABLE IF NOT EXISTS reads (
            seq        INTEGER PRIMARY KEY AUTOINCREMENT,
            time       TEXT NOT NULL,
            person_id  TEXT NOT NULL,
            kind       TEXT NOT NULL,
            carriers   TEXT NOT NULL,
            subject    TEXT,
            outcome    TEXT NOT NULL,
            request_id TEXT NOT NULL
          );
          CREATE INDEX IF NOT EXISTS reads_by_person ON reads (person_id, seq);
          CREATE INDEX IF NOT EXISTS reads_by_time ON reads (time);
          CREATE TRIGGER IF NOT EXISTS reads_no_update BEFORE UPDATE ON reads
            BEGIN SELECT RAISE(ABORT, 'the read log is append-only'); END;
          CREATE TRIGGER IF NOT EXISTS reads_no_delete BEFORE DELETE ON reads
            BEGIN SELECT RAISE(ABORT, 'the read log is append-only'); END;`);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }).immediate();
    },
  });
}
