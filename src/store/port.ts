/**
 * The event store port. Every adapter (memory, SQLite, EventStoreDB) implements it and passes the
 * same contract suite (test/store/contract.ts).
 *
 * Numbering is EventStoreDB's, in every adapter: a stream's first event has revision 0n; the
 * expectation for a stream's next append is either 'no-stream' or the revision of its last event.
 * Global positions are opaque, strictly increasing bigints (SQLite: 1, 2, 3...; EventStoreDB: commit
 * positions, with gaps). Revisions and positions are bigint end to end.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type ExpectedRevision = 'no-stream' | bigint;

export type NewEvent = {
  /** UUID. Appending an event id that is already in the stream is a no-op (idempotent retry). */
  eventId: string;
  type: string;
  data: JsonObject;
  metadata?: JsonObject;
};

export type RecordedEvent = {
  eventId: string;
  stream: string;
  revision: bigint;
  position: bigint;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
};

export type AppendRequest = {
  stream: string;
  expected: ExpectedRevision;
  events: NewEvent[];
};

export type AppendResult = {
  /** Revision of the stream's last event after the append: the next append's expectation. */
  nextExpectedRevision: bigint;
  /** Global position of the last event written (or found, on an idempotent retry). */
  position: bigint;
};

export type Subscription = { close(): void };

export interface EventStore {
  /** Appends to one stream if its head is at `expected`, else throws ConcurrencyError. */
  append(request: AppendRequest): Promise<AppendResult>;
  /**
   * Appends to several streams atomically: every request's expectation holds and all are written,
   * or nothing is (R-BATCH-1). Results are in request order.
   */
  appendMany(requests: AppendRequest[]): Promise<AppendResult[]>;
  /** A stream's events in revision order, from `fromRevision` (inclusive). Unknown stream: []. */
  readStream(stream: string, options?: { fromRevision?: bigint }): Promise<RecordedEvent[]>;
  /** All events in global order, after `after` (exclusive; omit for the start), at most `limit`. */
  readAll(options?: { after?: bigint; limit?: number }): Promise<RecordedEvent[]>;
  /**
   * Calls `onEvent` for every event after `after` (exclusive) in global order, first the stored ones,
   * then each new one as it is appended, never twice and never out of order.
   */
  subscribe(options: { after?: bigint }, onEvent: (event: RecordedEvent) => void | Promise<void>): Subscription;
  /** The position of the last event in the store, or 0n when empty. */
  headPosition(): Promise<bigint>;
  /**
   * Resolves when an append could be taken now; else throws StoreUnavailable (src/store/unavailable.ts)
   * saying why (locked, read-only, disk full). Absent: the store has no cheaper test than appending.
   */
  appendable?(): Promise<void>;
  close(): Promise<void>;
}

/** The stream was not where the append expected it: somebody else appended first. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event, or 'no-stream'. */
    readonly actual: ExpectedRevision,
  ) {
    super(`concurrency: ${stream} expected at ${String(expected)} but is at ${String(actual)}`);
  }
}

/** An event id reused for a different event, or an append that breaks the store's own invariants. */
export class StoreIntegrityError extends Error {
  override readonly name = 'StoreIntegrityError';
}
