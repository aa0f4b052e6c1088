import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createSharedTextReader } from '../../store/sqlite-shared-text.js';

/**
 * Read-only access to a ledger's SQLite file, for verification: the verifier must not be able to
 * change what it checks, and several worker threads read at once. It reads the table the SQLite
 * event store writes (src/store/sqlite.ts, schema versions 1 and 2) and refuses any other version.
 * Rows keep their stored JSON text, put back together where the store shared it between the events
 * of one append (sqlite-shared-text.ts): each worker parses its own. A text stored against a row
 * that is gone reads as empty, which the checks report as an event that is not JSON.
 */
export type Row = { position: number; stream: string; revision: number; type: string; data: string; metadata: string };

const KNOWN_SCHEMAS = [1, 2];

export class LedgerFileError extends Error {
  override readonly name = 'LedgerFileError';
}

export type LedgerFile = {
  /** The first and last positions (0 and 0 when empty): read from the index, where a COUNT(*) would scan every row. */
  bounds(): { first: number; last: number };
  /** Rows with `after < position <= upTo`, in global order. */
  range(after: number, upTo: number): Iterable<Row>;
  stream(name: string): Row[];
  /** Every person stream's events, in global order: the keys and their validity periods. */
  personRows(): Row[];
  close(): void;
};

export function openLedgerFile(path: string): LedgerFile {
  if (!existsSync(path)) throw new LedgerFileError(`no ledger file at ${path}`);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new LedgerFileError(`cannot open ${path}: ${(error as Error).message}`);
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  if (!KNOWN_SCHEMAS.includes(version)) {
    db.close();
    throw new LedgerFileError(`${path} has event store schema version ${version}; this verifier reads versions ${KNOWN_SCHEMAS.join(' and ')}`);
  }
  const sharedColumns = version >= 2 ? 'shared_with, shared_head, shared_tail' : 'NULL, NULL, NULL';
  const select = (where: string) => db.prepare(`SELECT position, stream, revision, type, data, metadata, ${sharedColumns} FROM events WHERE ${where}`).raw(true);
  const range = select('position > ? AND position <= ? ORDER BY position');
  const stream = select('stream = ? ORDER BY revision');
  // Stream names sort as text: every person stream lies between 'person-' and 'person.' ('.' follows '-').
  const persons = select("stream >= 'person-' AND stream < 'person.' ORDER BY position");
  const bounds = db.prepare('SELECT COALESCE(MIN(position), 0) AS first, COALESCE(MAX(position), 0) AS last FROM events');
  const textAt = db.prepare('SELECT data FROM events WHERE position = ?').pluck();
  const shared = createSharedTextReader((position) => textAt.get(position) as string | undefined);
  /**
   * Rows fetched as arrays in one call, then made objects here: better-sqlite3 builds named rows
   * slowly, and one call for a chunk beats a step per row (about 0.7 µs an event of the ~100 each
   * costs to verify).
   */
  function* rowsOf(values: readonly RowValues[]): Generator<Row> {
    for (const [position, stream, revision, type, data, metadata, sharedWith, head, tail] of values) {
      yield { position, stream, revision, type, data: shared.read(data, sharedWith, head, tail) ?? '', metadata };
    }
  }
  return {
    bounds: () => bounds.get() as { first: number; last: number },
    range: (after: number, upTo: number) => rowsOf(range.all(after, upTo) as RowValues[]),
    stream: (name: string) => [...rowsOf(stream.all(name) as RowValues[])],
    personRows: () => [...rowsOf(persons.all() as RowValues[])],
    close: () => db.close(),
  };
}

type RowValues = [
  position: number,
  stream: string,
  revision: number,
  type: string,
  data: string,
  metadata: string,
  sharedWith: number | null,
  head: number | null,
  tail: number | null,
];
