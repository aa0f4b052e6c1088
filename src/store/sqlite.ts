/**
 * The SQLite event store: one file, one owning process. Appends are group-committed: every request
 * that arrives before the next turn of the event loop joins one transaction (one fsync), each inside
 * its own savepoint so that a refused request leaves the others intact.
 */
import Database from 'better-sqlite3';
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

/** Bump with a migration in `migrate`; a file written by a newer build is refused, never guessed at. */
const SCHEMA_VERSION = 1;
/** A bound on one transaction's size keeps the latency of the first caller in a burst bounded. */
const MAX_REQUESTS_PER_COMMIT = 1000;
type Pending = { requests: PreparedRequest[]; resolve: (results: AppendResult[]) => void; reject: (error: unknown) => void };
type Outcome = { ok: true; results: AppendResult[] } | { ok: false; error: unknown };
type EventRow = { position: bigint; stream: string; revision: bigint; event_id: string; type: string; data: string; metadata: string };

export function createSqliteStore(options: { path: string }): EventStore {
  const db = openDatabase(options.path);
  const sql = prepareStatements(db);
  const queue: Pending[] = [];
  const subscriptions = new Set<{ wake(): void; stop(): void }>();
  let flushTimer: NodeJS.Immediate | undefined;
  let closed = false;

  function applyRequest(request: PreparedRequest): AppendResult {
    const stored = request.events.map((event) => sql.eventById.get(event.eventId) as EventRow | undefined);
    if (stored.some((row) => row !== undefined)) return confirmRetry(request, stored);
    const head = sql.streamHead.get(request.stream) as bigint | undefined;
    const actual = head ?? 'no-stream';
    if (actual !== request.expected) throw new ConcurrencyError(request.stream, request.expected, actual);
    let revision = head === undefined ? 0n : head + 1n;
    let position = 0n;
    for (const event of request.events) {
      const info = sql.insert.run(request.stream, revision, event.eventId, event.type, event.data, event.metadata);
      position = BigInt(info.lastInsertRowid);
      revision += 1n;
    }
    return { nextExpectedRevision: revision - 1n, position };
  }

  // A request is one unit (appendMany included): its savepoint is released or rolled back as a whole.
  const applyUnit = db.transaction((requests: PreparedRequest[]) => requests.map(applyRequest));
  const commitBatch = db.transaction((batch: Pending[]) =>
    batch.map((pending): Outcome => {
      try {
        return { ok: true, results: applyUnit(pending.requests) };
      } catch (error) {
        // SQLite rolls the whole transaction back on some errors (disk full, I/O): carrying on would
        // run the remaining requests in autocommit mode, so the whole batch must fail instead.
        if (!db.inTransaction) throw error;
        return { ok: false, error };
      }
    }),
  );

  function flush(): void {
    flushTimer = undefined;
    const batch = queue.splice(0, MAX_REQUESTS_PER_COMMIT);
    if (queue.length > 0) scheduleFlush();
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = commitBatch.immediate(batch);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) pending.resolve(outcome.results);
      else pending.reject(outcome.error);
    });
    for (const subscription of subscriptions) subscription.wake();
  }

  function scheduleFlush(): void {
    flushTimer ??= setImmediate(flush);
  }

  function enqueue(requests: AppendRequest[]): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      if (closed) throw new Error(`event store ${options.path} is closed`);
      // Serialised now, not at flush time: a caller that mutates its object after calling append
      // must not change what gets stored.
      queue.push({ requests: prepareRequests(requests), resolve, reject });
      scheduleFlush();
    });
  }

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

function openDatabase(path: string): Database.Database {
  const db = new Database(path);
  try {
    db.pragma('busy_timeout = 5000');
    // Checked before anything writes to the file: a newer schema is left exactly as it was found.
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new StoreIntegrityError(
        `${path} has event store schema version ${version}, newer than the ${SCHEMA_VERSION} this build knows: ` +
          'open it with the newer custody-ledger that wrote it',
      );
    }
    // WAL lets readers (subscribers, projections) run while a commit is written.
    const mode = db.pragma('journal_mode = WAL', { simple: true }) as string;
    if (mode !== 'wal') throw new StoreIntegrityError(`${path} could not be switched to WAL (journal_mode is ${mode})`);
    // FULL: WAL's default (NORMAL) can lose the last commits on power loss, and a resolved append is a promise.
    db.pragma('synchronous = FULL');
    if (version < SCHEMA_VERSION) migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: Database.Database): void {
  db.transaction(() => {
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
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

function prepareStatements(db: Database.Database) {
  const prepare = (text: string) => db.prepare(text).safeIntegers(true);
  return {
    eventById: prepare('SELECT * FROM events WHERE event_id = ?'),
    streamHead: prepare('SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1').pluck(),
    insert: prepare('INSERT INTO events (stream, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)'),
    // Read as arrays: better-sqlite3 builds named rows slowly, and a rebuild reads every row.
    streamFrom: prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision`).raw(true),
    allAfter: prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw(true),
    headPosition: prepare('SELECT COALESCE(MAX(position), 0) FROM events').pluck(),
  };
}

const EVENT_COLUMNS = 'position, stream, revision, event_id, type, data, metadata';
type EventValues = [position: bigint, stream: string, revision: bigint, eventId: string, type: string, data: string, metadata: string];

function toRecordedEvent([position, stream, revision, eventId, type, data, metadata]: EventValues): RecordedEvent {
  return { eventId, stream, revision, position, type, data: JSON.parse(data) as JsonObject, metadata: JSON.parse(metadata) as JsonObject };
}
