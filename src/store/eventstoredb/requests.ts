/**
 * Append requests checked and frozen before anything is sent: the same refusals as the SQLite and
 * memory stores (the contract suite holds all three to them), plus what EventStoreDB needs — event
 * ids that are UUIDs (the client cannot send anything else) and streams the port can read back.
 * Data and metadata are serialised here, when append is called, so a caller that mutates its
 * objects afterwards cannot change what gets stored.
 */
import { createHash } from 'node:crypto';
import { prepareRequests as prepareCommonRequests, sortedJson } from '../append-rules.js';
import { StoreIntegrityError, type AppendRequest, type ExpectedRevision, type JsonValue } from '../port.js';
import { assertAppendableStream } from './streams.js';

export type PreparedEvent = {
  eventId: string;
  type: string;
  /** JSON text of the data, exactly as it will be stored. */
  data: string;
  metadata: string;
  /** SHA-256 of the data's canonical form: what an event id is bound to (with the type and stream). */
  digest: string;
};
export type PreparedRequest = { stream: string; expected: ExpectedRevision; events: PreparedEvent[] };

/** Lowercase, as EventStoreDB hands ids back: an id must read back exactly as it was given. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function prepareRequests(requests: AppendRequest[]): PreparedRequest[] {
  const seenStreams = new Set<string>();
  return prepareCommonRequests(requests).map(({ stream, expected, events }) => {
    assertAppendableStream(stream);
    // Two requests for one stream in a batch could not both hold their expectation.
    if (seenStreams.has(stream)) throw new StoreIntegrityError(`appendMany names stream ${stream} twice: give it one request`);
    seenStreams.add(stream);
    return {
      stream,
      expected,
      events: events.map((event) => {
        if (!UUID.test(event.eventId)) {
          throw new StoreIntegrityError(`append to ${stream}: eventId must be a lowercase UUID, got ${JSON.stringify(event.eventId)}`);
        }
        return { ...event, digest: digestOf(event.data) };
      }),
    };
  });
}

/** The digest an event id is bound to: key order is not meaning, so a rebuilt object is the same data. */
export function digestOf(dataText: string): string {
  return createHash('sha256').update(sortedJson(JSON.parse(dataText) as JsonValue), 'utf8').digest('hex');
}
