/**
 * An in-memory event store for tests, with the SQLite store's semantics (same contract suite):
 * events are kept as JSON text so that nothing the caller holds aliases what is stored.
 *
 * The request validation, retry check and subscription pump are deliberately the same code as in
 * sqlite.ts; keep the two in step (the contract suite checks that they behave the same).
 */
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

const SUBSCRIPTION_PAGE = 500;

type PreparedEvent = { eventId: string; type: string; data: string; metadata: string };
type PreparedRequest = { stream: string; expected: AppendRequest['expected']; events: PreparedEvent[] };
type StoredEvent = PreparedEvent & { stream: string; revision: bigint; position: bigint };

export function createMemoryStore(): EventStore {
  /** log[i] has position i + 1, as in SQLite. */
  const log: StoredEvent[] = [];
  const streams = new Map<string, StoredEvent[]>();
  const byId = new Map<string, StoredEvent>();
  const subscriptions = new Set<{ wake(): void; stop(): void }>();
  let closed = false;

  function applyRequest(request: PreparedRequest): AppendResult {
    const stored = request.events.map((event) => byId.get(event.eventId));
    if (stored.some((row) => row !== undefined)) return confirmRetry(request, stored);
    const events = streams.get(request.stream) ?? [];
    const actual = events.at(-1)?.revision ?? 'no-stream';
    if (actual !== request.expected) throw new ConcurrencyError(request.stream, request.expected, actual);
    for (const event of request.events) {
      const record = { ...event, stream: request.stream, revision: BigInt(events.length), position: BigInt(log.length + 1) };
      events.push(record);
      log.push(record);
      byId.set(record.eventId, record);
    }
    streams.set(request.stream, events);
    const last = events.at(-1)!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  /** All requests or none (R-BATCH-1): appends only ever add at the end, so undoing is truncating. */
  function applyAtomically(requests: PreparedRequest[]): AppendResult[] {
    const mark = log.length;
    try {
      return requests.map(applyRequest);
    } catch (error) {
      for (const record of log.splice(mark)) {
        const events = streams.get(record.stream)!;
        events.pop();
        if (events.length === 0) streams.delete(record.stream);
        byId.delete(record.eventId);
      }
      throw error;
    }
  }

  async function appendMany(requests: AppendRequest[]): Promise<AppendResult[]> {
    if (closed) throw new Error('memory event store is closed');
    const results = applyAtomically(prepareRequests(requests));
    for (const subscription of subscriptions) subscription.wake();
    return results;
  }

  function readPage(after: bigint, limit: number): RecordedEvent[] {
    const start = after <= 0n ? 0 : Number(after);
    return log.slice(start, limit < 0 ? undefined : start + limit).map(toRecordedEvent);
  }

  return {
    append: async (request) => (await appendMany([request]))[0]!,
    appendMany,
    readStream: async (stream, options) => {
      const from = options?.fromRevision ?? 0n;
      return (streams.get(stream) ?? []).filter((event) => event.revision >= from).map(toRecordedEvent);
    },
    readAll: async (options) => readPage(options?.after ?? 0n, checkedLimit(options?.limit)),
    headPosition: async () => BigInt(log.length),
    subscribe(options, onEvent): Subscription {
      const subscription = createPump(options.after ?? 0n, readPage, onEvent, () => subscriptions.delete(subscription));
      if (closed) subscription.stop();
      else subscriptions.add(subscription);
      return { close: () => subscription.stop() };
    },
    async close() {
      closed = true;
      for (const subscription of subscriptions) subscription.stop();
    },
  };
}

function toRecordedEvent(event: StoredEvent): RecordedEvent {
  return {
    eventId: event.eventId,
    stream: event.stream,
    revision: event.revision,
    position: event.position,
    type: event.type,
    data: JSON.parse(event.data) as JsonObject,
    metadata: JSON.parse(event.metadata) as JsonObject,
  };
}

function checkedLimit(limit: number | undefined): number {
  if (limit === undefined) return -1;
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`readAll limit must be a non-negative integer, got ${limit}`);
  return limit;
}

// ---- Same as sqlite.ts from here on. ----

/** Every event id already stored: a retry of an append that succeeded, if it is the same events. */
function confirmRetry(request: PreparedRequest, stored: Array<StoredEvent | undefined>): AppendResult {
  let previous: StoredEvent | undefined;
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

/**
 * Delivers events one at a time, awaiting each, from a cursor that only moves forward. Appends only
 * wake it; it always re-reads the store, so a wake during a slow handler is never lost and no event
 * is delivered twice. A handler that throws stops its subscription (skipping the event would break
 * the order, retrying could loop forever) and the error escapes as an unhandled rejection, so that a
 * broken projection is loud rather than silently stale.
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
      // The final, empty read and `running = false` happen in one synchronous step: no append can slip between.
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
