/**
 * An in-memory event store for tests, with the SQLite store's semantics (same contract suite):
 * events are kept as JSON text so that nothing the caller holds aliases what is stored.
 */
import { checkedLimit, confirmRetry, prepareRequests, type PreparedEvent, type PreparedRequest } from './append-rules.js';
import {
  ConcurrencyError,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type JsonObject,
  type RecordedEvent,
  type Subscription,
} from './port.js';
import { createPump } from './pump.js';

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
