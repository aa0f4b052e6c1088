/**
 * Which EventStoreDB streams are ours. The port's streams are `carrier-<id>`, `person-<id>` and the
 * ledger's own `ledger-...`; readAll, headPosition and subscribe see exactly those. The adapter keeps
 * its bookkeeping (event-id claims, batch records) under `store-`, which is outside that set, so the
 * server-side subscription filter excludes it without a special case; `$` streams are EventStoreDB's.
 */
import { streamNameFilter, type Filter } from '@eventstore/db-client';
import { StoreIntegrityError } from '../port.js';

export const PORT_STREAM_PREFIXES = ['carrier-', 'person-', 'ledger-'] as const;

/** The adapter's own streams: never readable through the port, never appendable by callers. */
export const INTERNAL_PREFIX = 'store-';
const CLAIM_PREFIX = `${INTERNAL_PREFIX}eventid-`;
const BATCH_PREFIX = `${INTERNAL_PREFIX}batch-`;

/** True for a stream the port shows: one of our prefixes, never a system (`$`) stream. */
export function isPortStream(stream: string): boolean {
  return !stream.startsWith('$') && PORT_STREAM_PREFIXES.some((prefix) => stream.startsWith(prefix));
}

/** The same rule as a server-side filter for subscribeToAll (which excludes `$` streams by prefix already). */
export function portStreamFilter(): Filter {
  return streamNameFilter({ prefixes: [...PORT_STREAM_PREFIXES] });
}

/** Refuses a stream the port would never show again (readAll filters by prefix) or that the adapter reserves. */
export function assertAppendableStream(stream: string): void {
  if (!isPortStream(stream)) {
    throw new StoreIntegrityError(
      `stream ${JSON.stringify(stream)} is not one the EventStoreDB store serves: names start with ${PORT_STREAM_PREFIXES.join(', ')}`,
    );
  }
}

/** The stream that binds an event id to the one stream and content it may ever be stored with. */
export const claimStreamOf = (eventId: string): string => `${CLAIM_PREFIX}${eventId}`;

/** The stream that records one multi-stream batch (R-BATCH-1) and how it ended. */
export const batchStreamOf = (batchId: string): string => `${BATCH_PREFIX}${batchId}`;

/** The batch id of a batch stream, or undefined for any other stream. */
export function batchIdOf(stream: string): string | undefined {
  return stream.startsWith(BATCH_PREFIX) ? stream.slice(BATCH_PREFIX.length) : undefined;
}
