/**
 * The SQLite event store: one file, one owning process. Appends are group-committed: every request
 * that arrives before the next turn of the event loop joins one transaction (one fsync), each inside
 * its own savepoint so that a refused request leaves the others intact.
 */
import Database from 'better-sqlite3';
import { openSqliteFile } from './sqlite-file.js';
import { checkedLimit, confirmRetry, prepareRequests, type PreparedRequest } from './append-rules.js';
import {
  ConcurrencyError,
  StoreIntegrityError,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type JsonObject,
  type RecordedEvent,
  type Subscription,
} from './port.js';
import { createPump } from './pump.js';
import { createSharedTextReader, shareWith } from './sqlite-shared-text.js';
import { checkFreeSpace, DEFAULT_MIN_FREE_BYTES, probeWritable, sqliteFault } from './unavailable.js';

/** Bump with a migration in `migrate`; a file written by a newer build is refused, never guessed at. */
const SCHEMA_VERSION = 2;
/** A bound on one transaction's size keeps the latency of the first caller in a burst bounded. */
const MAX_REQUESTS_PER_COMMIT = 1000;
type Pending = { requests: PreparedRequest[]; resolve: (results: AppendResult[]) => void; reject: (error: unknown) => void };
type Outcome = { ok: true; results: AppendResult[] } | { ok: false; error: unknown };
type EventRow = {
  position: bigint;
  stream: string;
  revision: bigint;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  shared_with: bigint | null;
  shared_head: bigint | null;
  shared_tail: bigint | null;
};
/** The last event of an append stored whole: the next ones of the same append are stored against it. */
type Base = { position: bigint; text: string };
/** An event written in this commit, kept only when an extension wants to see it. */
type Written = { request: PreparedRequest; event: PreparedRequest['events'][number]; revision: bigint; position: bigint };
type Unit = { base?: Base; written: Written[] };

function recordedFromWritten({ request, event, revision, position }: Written): RecordedEvent {
  return {
    eventId: event.eventId,
    stream: request.stream,
    revision,
    position,
    type: event.type,
    data: JSON.parse(event.data) as JsonObject,
    metadata: JSON.parse(event.metadata) as JsonObject,
  };
}

/**
 * Derived data kept in the ledger file and written in the append's own transaction (persisted read
 * models, Merkle tiles): a reader of the file never sees an event without what is derived from it.
 * `attach` runs once at open (create tables, prepare statements); `onCommit` runs inside the commit,
 * after every accepted request is written, with the newly stored events in position order. If it
 * throws, the whole commit is rolled back and every request in it fails.
 */
export type SqliteStoreExtension = {
  name: string;
  attach(db: Database.Database): void;
  onCommit(events: RecordedEvent[]): void;
};

export type SqliteStoreOptions = {
  path: string;
  extensions?: SqliteStoreExtension[];
  /** How long a write waits for another process's lock before it is refused. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Appends are refused (StoreUnavailable 'disk-full') while the disk has less free. Default 16 MiB; 0 turns it off. */
  minFreeBytes?: number;
};

export function createSqliteStore(options: SqliteStoreOptions): EventStore {
  const { path } = options;
  const busyTimeoutMs = Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000));
  const minFreeBytes = options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES;
  const db = openSqliteFile(path, {
    what: 'event store',
    schemaVersion: SCHEMA_VERSION,
    busyTimeoutMs,
    synchronous: 'FULL',
    migrate,
    newerSchema: (message) => new StoreIntegrityError(message),
  });
  const sql = prepareStatements(db);
  const extensions = options.extensions ?? [];
  for (const extension of extensions) extension.attach(db);
  const queue: Pending[] = [];
  const subscriptions = new Set<{ wake(): void; stop(): void }>();
  let flushTimer: NodeJS.Immediate | undefined;
  let closed = false;

  const shared = createSharedTextReader((position) => sql.dataAt.get(BigInt(position)) as string | undefined);
  function textOf(data: string, sharedWith: bigint | null, head: bigint | null, tail: bigint | null): string {
    const text = shared.read(data, sharedWith, head, tail);
    if (text === undefined) throw new StoreIntegrityError(`an event is stored against position ${sharedWith}, which holds no event`);
    return text;
  }

  function applyRequest(request: PreparedRequest, unit: Unit): AppendResult {
    const stored = request.events.map((event) => {
      const row = sql.eventById.get(event.eventId) as EventRow | undefined;
      return row && { ...row, data: textOf(row.data, row.shared_with, row.shared_head, row.shared_tail) };
    });
    if (stored.some((row) => row !== undefined)) return confirmRetry(request, stored);
    const head = sql.streamHead.get(request.stream) as bigint | undefined;
    const actual = head ?? 'no-stream';
    if (actual !== request.expected) throw new ConcurrencyError(request.stream, request.expected, actual);
    let revision = head === undefined ? 0n : head + 1n;
    let position = 0n;
    for (const event of request.events) {
      const parts = unit.base && shareWith(unit.base.text, event.data);
      const info = parts
        ? sql.insertShared.run(request.stream, revision, event.eventId, event.type, parts.middle, event.metadata, unit.base!.position, parts.head, parts.tail)
        : sql.insert.run(request.stream, revision, event.eventId, event.type, event.data, event.metadata);
      position = BigInt(info.lastInsertRowid);
      if (!parts) unit.base = { position, text: event.data };
      if (extensions.length > 0) unit.written.push({ request, event, revision, position });
      revision += 1n;
    }
    return { nextExpectedRevision: revision - 1n, position };
  }

  // A request is one unit (appendMany included): its savepoint is released or rolled back as a whole.
  const applyUnit = db.transaction((requests: PreparedRequest[], written: Written[]) => {
    const unit: Unit = { written: [] };
    const results = requests.map((request) => applyRequest(request, unit));
    written.push(...unit.written);
    return results;
  });
  const commitBatch = db.transaction((batch: Pending[]) => {
    const written: Written[] = [];
    const outcomes = batch.map((pending): Outcome => {
      try {
        return { ok: true, results: applyUnit(pending.requests, written) };
      } catch (error) {
        // SQLite rolls the whole transaction back on some errors (disk full, I/O): carrying on would
        // run the remaining requests in autocommit mode, so the whole batch must fail instead.
        if (!db.inTransaction) throw error;
        return { ok: false, error };
      }
    });
    if (written.length > 0) {
      const events = written.map(recordedFromWritten);
      for (const extension of extensions) extension.onCommit(events);
    }
    return outcomes;
  });

  function flush(): void {
    flushTimer = undefined;
    const batch = queue.splice(0, MAX_REQUESTS_PER_COMMIT);
    if (queue.length > 0) scheduleFlush();
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      // Before the disk is full, not in the middle of a commit: the act's fate stays known.
      checkFreeSpace(path, minFreeBytes);
      outcomes = commitBatch.immediate(batch);
    } catch (error) {
      shared.forget();
      const fault = sqliteFault(error, path);
      for (const pending of batch) pending.reject(fault);
      return;
    }
    if (outcomes.some((outcome) => !outcome.ok)) shared.forget();
    batch.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) pending.resolve(outcome.results);
      else pending.reject(sqliteFault(outcome.error, path));
    });
    for (const subscription of subscriptions) subscription.wake();
  }

  function scheduleFlush(): void {
    flushTimer ??= setImmediate(flush);
  }

  function enqueue(requests: AppendRequest[]): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      if (closed) throw new Error(`event store ${path} is closed`);
      // Serialised now, not at flush time: a caller that mutates its object after calling append
      // must not change what gets stored.
      queue.push({ requests: prepareRequests(requests), resolve, reject });
      scheduleFlush();
    });
  }

  const toRecordedEvent = ([position, stream, revision, eventId, type, data, metadata, sharedWith]: EventValues): RecordedEvent => {
    let text = data;
    if (sharedWith !== null) {
      const [head, tail] = sql.sharedParts.get(position) as [bigint, bigint];
      text = textOf(data, sharedWith, head, tail);
    }
    return { eventId, stream, revision, position, type, data: JSON.parse(text) as JsonObject, metadata: JSON.parse(metadata) as JsonObject };
  };

  function readPage(after: bigint, limit: number): RecordedEvent[] {
    return (sql.allAfter.all(after, limit) as EventValues[]).map(toRecordedEvent);
  }

  return {
    append: async (request) => (await enqueue([request]))[0]!,
    appendMany: (requests) => enqueue(requests),
    readStream: async (stream, readOptions) =>
      (sql.streamFrom.all(stream, readOptions?.fromRevision ?? 0n) as EventValues[]).map(toRecordedEvent),
    readAll: async (readOptions) => readPage(readOptions?.after ?? 0n, checkedLimit(readOptions?.limit)),
    headPosition: async () => sql.headPosition.get() as bigint,
    async appendable() {
      checkFreeSpace(path, minFreeBytes);
      probeWritable(db, path, busyTimeoutMs);
    },
    subscribe(subscribeOptions, onEvent): Subscription {
      const subscription = createPump(subscribeOptions.after ?? 0n, readPage, onEvent, () => subscriptions.delete(subscription));
      if (closed) subscription.stop();
      else subscriptions.add(subscription);
      return { close: () => subscription.stop() };
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const subscription of subscriptions) subscription.stop();
      if (flushTimer) clearImmediate(flushTimer);
      while (queue.length > 0) flush();
      db.close();
    },
  };
}

/**
 * Version 1: the events table. Version 2: an event may be stored against an earlier one of its
 * append (see sqlite-shared-text.ts): `shared_with` is that event's position, `data` the middle
 * that differs, `shared_head` and `shared_tail` how much of the earlier text comes before and after
 * it. Rows of version 1 have none of these and read as before; nothing is rewritten.
 */
function migrate(db: Database.Database, from: number): void {
  db.transaction(() => {
    if (from < 1) {
      // UNIQUE(stream, revision) is also the head-lookup index: MAX(revision) for a stream is one seek.
      db.exec(`
        CREATE TABLE IF NOT EXISTS events (
          position INTEGER PRIMARY KEY AUTOINCREMENT,
          stream   TEXT    NOT NULL,
          revision INTEGER NOT NULL,
          event_id TEXT    NOT NULL UNIQUE,
          type     TEXT    NOT NULL,
          data     TEXT    NOT NULL,
          metadata TEXT    NOT NULL,
          UNIQUE (stream, revision)
        )`);
    }
    if (from < 2) {
      db.exec('ALTER TABLE events ADD COLUMN shared_with INTEGER');
      db.exec('ALTER TABLE events ADD COLUMN shared_head INTEGER');
      db.exec('ALTER TABLE events ADD COLUMN shared_tail INTEGER');
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

function prepareStatements(db: Database.Database) {
  const prepare = (text: string) => db.prepare(text).safeIntegers(true);
  return {
    eventById: prepare('SELECT * FROM events WHERE event_id = ?'),
    streamHead: prepare('SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1').pluck(),
    insert: prepare('INSERT INTO events (stream, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)'),
    insertShared: prepare(
      'INSERT INTO events (stream, revision, event_id, type, data, metadata, shared_with, shared_head, shared_tail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    dataAt: prepare('SELECT data FROM events WHERE position = ?').pluck(),
    sharedParts: prepare('SELECT shared_head, shared_tail FROM events WHERE position = ?').raw(true),
    // Read as arrays: better-sqlite3 builds named rows slowly, and a rebuild reads every row.
    streamFrom: prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision`).raw(true),
    allAfter: prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw(true),
    headPosition: prepare('SELECT COALESCE(MAX(position), 0) FROM events').pluck(),
  };
}

// shared_head and shared_tail are read only for the rare row stored against another (sharedParts).
const EVENT_COLUMNS = 'position, stream, revision, event_id, type, data, metadata, shared_with';
type EventValues = [position: bigint, stream: string, revision: bigint, eventId: string, type: string, data: string, metadata: string, sharedWith: bigint | null];
