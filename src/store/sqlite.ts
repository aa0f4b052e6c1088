/**
 * The SQLite event store: one file, one owning process. Appends are group-committed: every request
 * that arrives before the next turn of the event loop joins one transaction (one fsync), each inside
 * its own savepoint so that a refused request leaves the others intact.
 */
import Database from 'better-sqlite3';
import {
  ConcurrencyError,
  StoreIntegrityError,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type JsonObject,
  type JsonValue,
  type RecordedEvent,
  type Subscription,
} from './port.js';

/** Bump with a migration in `migrate`; a file written by a newer build is refused, never guessed at. */
const SCHEMA_VERSION = 1;
/** A bound on one transaction's size keeps the latency of the first caller in a burst bounded. */
const MAX_REQUESTS_PER_COMMIT = 1000;
/** Subscribers catch up page by page so that a long history is never loaded at once. */
const SUBSCRIPTION_PAGE = 500;

type PreparedEvent = { eventId: string; type: string; data: string; metadata: string };
type PreparedRequest = { stream: string; expected: AppendRequest['expected']; events: PreparedEvent[] };
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
    return (sql.allAfter.all(after, limit) as EventRow[]).map(toRecordedEvent);
  }

  return {
    append: async (request) => (await enqueue([request]))[0]!,
    appendMany: (requests) => enqueue(requests),
    readStream: async (stream, readOptions) =>
      (sql.streamFrom.all(stream, readOptions?.fromRevision ?? 0n) as EventRow[]).map(toRecordedEvent),
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
    streamFrom: prepare('SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision'),
    allAfter: prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
    headPosition: prepare('SELECT COALESCE(MAX(position), 0) FROM events').pluck(),
  };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    stream: row.stream,
    revision: row.revision,
    position: row.position,
    type: row.type,
    data: JSON.parse(row.data) as JsonObject,
    metadata: JSON.parse(row.metadata) as JsonObject,
  };
}

/** Every event id already stored: a retry of an append that succeeded, if it is the same events. */
function confirmRetry(request: PreparedRequest, stored: Array<EventRow | undefined>): AppendResult {
  let previous: EventRow | undefined;
  request.events.forEach((event, i) => {
    const row = stored[i];
    if (row === undefined) {
      throw new StoreIntegrityError(`append to ${request.stream} mixes stored and new event ids: a retry must repeat the original request`);
    }
    if (row.stream !== request.stream) {
      throw new StoreIntegrityError(`event id ${event.eventId} is already stored in stream ${row.stream}, not ${request.stream}`);
    }
    if (row.type !== event.type || !sameJson(row.data, event.data)) {
      throw new StoreIntegrityError(`event id ${event.eventId} is already stored in ${row.stream} with a different type or data`);
    }
    if (previous && row.revision !== previous.revision + 1n) {
      throw new StoreIntegrityError(`append to ${request.stream} repeats stored event ids in a different order`);
    }
    previous = row;
  });
  return { nextExpectedRevision: previous!.revision, position: previous!.position };
}

function prepareRequests(requests: AppendRequest[]): PreparedRequest[] {
  if (!Array.isArray(requests) || requests.length === 0) throw new StoreIntegrityError('appendMany needs at least one request');
  const seen = new Set<string>();
  return requests.map(({ stream, expected, events }) => {
    if (typeof stream !== 'string' || stream === '') throw new StoreIntegrityError('stream must be a non-empty string');
    if (expected !== 'no-stream' && !(typeof expected === 'bigint' && expected >= 0n)) {
      throw new StoreIntegrityError(`append to ${stream}: expected must be 'no-stream' or a revision >= 0n`);
    }
    if (!Array.isArray(events) || events.length === 0) throw new StoreIntegrityError(`append to ${stream} has no events`);
    return {
      stream,
      expected,
      events: events.map(({ eventId, type, data, metadata }) => {
        if (typeof eventId !== 'string' || eventId === '') throw new StoreIntegrityError(`append to ${stream}: eventId must be a non-empty string`);
        if (seen.has(eventId)) throw new StoreIntegrityError(`event id ${eventId} appears twice in one append`);
        seen.add(eventId);
        if (typeof type !== 'string' || type === '') throw new StoreIntegrityError(`event ${eventId}: type must be a non-empty string`);
        return { eventId, type, data: jsonObjectText(data, `event ${eventId} data`), metadata: jsonObjectText(metadata ?? {}, `event ${eventId} metadata`) };
      }),
    };
  });
}

/** Refuses what JSON would silently change (undefined, NaN, Date, bigint, Map...): data must round-trip exactly. */
function jsonObjectText(value: unknown, where: string): string {
  if (!isPlainObject(value)) throw new StoreIntegrityError(`${where} must be a JSON object`);
  assertJson(value, where, new Set());
  return JSON.stringify(value);
}

function assertJson(value: unknown, path: string, ancestors: Set<object>): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number' && Number.isFinite(value)) return;
  if (typeof value === 'object' && !ancestors.has(value) && (Array.isArray(value) || isPlainObject(value))) {
    ancestors.add(value);
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) assertJson(value[i], `${path}[${i}]`, ancestors);
    else for (const [key, child] of Object.entries(value)) assertJson(child, `${path}.${key}`, ancestors);
    ancestors.delete(value);
    return;
  }
  throw new StoreIntegrityError(`${path} is not JSON and would not round-trip (big integers and dates go in as strings)`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Key order is not meaning: a retry that rebuilt its object in another order is the same event. */
function sameJson(a: string, b: string): boolean {
  return a === b || canonicalJson(JSON.parse(a) as JsonValue) === canonicalJson(JSON.parse(b) as JsonValue);
}

function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key]!)}`).join(',')}}`;
}

function checkedLimit(limit: number | undefined): number {
  if (limit === undefined) return -1; // SQLite: no limit
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`readAll limit must be a non-negative integer, got ${limit}`);
  return limit;
}

/**
 * Delivers events one at a time, awaiting each, from a cursor that only moves forward. Commits only
 * wake it; it always re-reads from the store, so a wake during a slow handler is never lost and no
 * event is delivered twice. A handler that throws stops its subscription (skipping the event would
 * break the order, retrying could loop forever) and the error escapes as an unhandled rejection,
 * so that a broken projection is loud rather than silently stale.
 */
function createPump(
  after: bigint,
  readPage: (after: bigint, limit: number) => RecordedEvent[],
  onEvent: (event: RecordedEvent) => void | Promise<void>,
  onStop: () => void,
) {
  let cursor = after;
  let running = false;
  let stopped = false;
  const stop = () => {
    stopped = true;
    onStop();
  };
  const run = async () => {
    if (running || stopped) return;
    running = true;
    try {
      // The final, empty read and `running = false` happen in one synchronous step: no commit can slip between.
      for (let page = readPage(cursor, SUBSCRIPTION_PAGE); page.length > 0; page = stopped ? [] : readPage(cursor, SUBSCRIPTION_PAGE)) {
        for (const event of page) {
          if (stopped) return;
          await onEvent(event);
          cursor = event.position;
        }
      }
    } catch (error) {
      stop();
      throw error;
    } finally {
      running = false;
    }
  };
  queueMicrotask(() => void run());
  // Waking on a microtask keeps handlers out of the appender's (or the commit's) call stack.
  return { wake: () => queueMicrotask(() => void run()), stop };
}
