/**
 * Multi-stream batches (R-BATCH-1) on a server without multi-stream transactions: the pure part.
 *
 * A batch is first recorded whole, as ONE event in its own stream `store-batch-<id>` (one append, so
 * atomic: the single source of truth), then fanned out to each stream in request order at the
 * request's exact expectation with the caller's event ids, then settled by a second event in the
 * batch stream: completed, aborted (a stream had moved before anything was written: nothing is) or
 * partial (a stream moved inside the fan-out window after earlier streams were written). Fan-out is
 * deterministic and idempotent, so whoever runs it — the writer, a retry, recovery on another node —
 * reaches the same outcome, and a crashed fan-out is completed by running it again.
 */
import { createHash } from 'node:crypto';
import { ConcurrencyError, StoreIntegrityError, type AppendResult, type ExpectedRevision, type JsonObject, type RecordedEvent } from '../port.js';
import { oursInOrder } from './appending.js';
import type { PreparedRequest } from './requests.js';

export const BATCH_RECORDED = 'BatchRecorded';
export const BATCH_SETTLED = 'BatchSettled';

export type Batch = { batchId: string; recordedAt: string; requests: PreparedRequest[] };

/** Where one stream of a batch stands: not yet written, already holding the batch's events, or taken by someone else. */
export type StreamState = { kind: 'pending' } | { kind: 'done'; result: AppendResult } | { kind: 'conflict'; conflict: ConcurrencyError };

export type Settlement =
  | { outcome: 'completed' }
  | { outcome: 'aborted'; conflict: ConcurrencyError }
  | { outcome: 'partial'; written: string[]; conflict: ConcurrencyError };

/** The batch's id: a UUID derived from its streams, expectations and event ids, so a retry finds its record. */
export function batchIdFor(requests: PreparedRequest[]): string {
  const shape = requests.map(({ stream, expected, events }) => [stream, String(expected), events.map((event) => event.eventId)]);
  const hex = createHash('sha256').update(JSON.stringify(shape), 'utf8').digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function batchRecordData(batch: Batch): JsonObject {
  return {
    batchId: batch.batchId,
    recordedAt: batch.recordedAt,
    requests: batch.requests.map(({ stream, expected, events }) => ({
      stream,
      expected: expected === 'no-stream' ? 'no-stream' : expected.toString(),
      events: events.map(({ eventId, type, data, metadata, digest }) => ({ eventId, type, data, metadata, digest })),
    })),
  };
}

/** A recorded batch back from its event; anything malformed is an integrity error, never guessed at. */
export function parseBatchRecord(recorded: RecordedEvent): Batch {
  const bad = (what: string) => new StoreIntegrityError(`batch record ${recorded.stream} is malformed: ${what}`);
  const { batchId, recordedAt, requests } = recorded.data as { batchId?: unknown; recordedAt?: unknown; requests?: unknown };
  if (typeof batchId !== 'string' || typeof recordedAt !== 'string' || !Array.isArray(requests)) throw bad('batchId, recordedAt, requests');
  return {
    batchId,
    recordedAt,
    requests: requests.map((request: { stream?: unknown; expected?: unknown; events?: unknown }, i) => {
      const { stream, expected, events } = request;
      if (typeof stream !== 'string' || !Array.isArray(events)) throw bad(`requests[${i}]`);
      if (expected !== 'no-stream' && !(typeof expected === 'string' && /^\d+$/.test(expected))) throw bad(`requests[${i}].expected`);
      return {
        stream,
        expected: expected === 'no-stream' ? 'no-stream' : BigInt(expected),
        events: events.map((event: Record<string, unknown>, j) => {
          const { eventId, type, data, metadata, digest } = event;
          if ([eventId, type, data, metadata, digest].some((field) => typeof field !== 'string')) throw bad(`requests[${i}].events[${j}]`);
          return { eventId, type, data, metadata, digest } as PreparedRequest['events'][number];
        }),
      };
    }),
  };
}

/**
 * One stream's state from its head and the events after the batch's expectation (read only when
 * the head is past it): the batch's own events there mean done; anything else means conflict.
 */
export function classifyStream(request: PreparedRequest, head: ExpectedRevision, following: RecordedEvent[]): StreamState {
  if (head === request.expected) return { kind: 'pending' };
  const ours = isPast(head, request.expected) ? oursInOrder(request, following) : undefined;
  return ours ? { kind: 'done', result: ours } : { kind: 'conflict', conflict: new ConcurrencyError(request.stream, request.expected, head) };
}

/** Whether the stream's head is beyond the expectation, so events may follow it. */
export function isPast(head: ExpectedRevision, expected: ExpectedRevision): boolean {
  return head !== 'no-stream' && (expected === 'no-stream' || head > expected);
}

/** The outcome once a conflict is found: aborted if none of the batch's streams hold its events yet, partial otherwise. */
export function settlementFor(batch: Batch, states: StreamState[]): Settlement | undefined {
  const conflictAt = states.findIndex((state) => state.kind === 'conflict');
  if (conflictAt < 0) return undefined;
  const conflict = (states[conflictAt] as { conflict: ConcurrencyError }).conflict;
  const written = batch.requests.filter((_, i) => states[i]?.kind === 'done').map((request) => request.stream);
  return written.length === 0 ? { outcome: 'aborted', conflict } : { outcome: 'partial', written, conflict };
}

export function settlementData(batchId: string, settlement: Settlement): JsonObject {
  if (settlement.outcome === 'completed') return { batchId, outcome: 'completed' };
  const { stream, expected, actual } = settlement.conflict;
  const conflict = { stream, expected: String(expected), actual: String(actual) };
  return settlement.outcome === 'aborted' ? { batchId, outcome: 'aborted', conflict } : { batchId, outcome: 'partial', written: settlement.written, conflict };
}

export function settlementOutcome(recorded: RecordedEvent): string {
  const { outcome } = recorded.data;
  if (outcome !== 'completed' && outcome !== 'aborted' && outcome !== 'partial') throw new StoreIntegrityError(`settlement in ${recorded.stream} is malformed`);
  return outcome;
}

/** Recovery waits this long after a batch was recorded before completing it: its writer is probably still fanning out. */
export function isDue(batch: Batch, nowMs: number, graceMs: number): boolean {
  const recordedAt = Date.parse(batch.recordedAt);
  return Number.isNaN(recordedAt) || nowMs - recordedAt >= graceMs;
}
