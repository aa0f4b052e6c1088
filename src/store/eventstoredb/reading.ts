/**
 * Reads over the client. $all has no server-side filter for plain reads in client v6, so readAll and
 * headPosition page through the log and keep our streams (isPortStream); subscriptions do filter on
 * the server (subscription.ts).
 */
import { BACKWARDS, END, FORWARDS, type AllStreamResolvedEvent, type Position } from '@eventstore/db-client';
import type { ExpectedRevision, RecordedEvent } from '../port.js';
import type { EsdbClient } from './client.js';
import { isStreamNotFound } from './errors.js';
import { comparePositions, fromPositionAfter, toBigInt } from './mapping.js';
import { fromResolved } from './serde.js';
import { isPortStream } from './streams.js';

/** Raw events per round trip when paging through $all. */
export const ALL_PAGE = 1000;

/** A stream's events from `fromRevision`, in order; a stream with no events reads as []. */
export async function readStreamEvents(
  client: EsdbClient,
  stream: string,
  options: { fromRevision?: bigint; maxCount?: bigint; backwards?: boolean } = {},
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  try {
    const read = client.readStream(stream, {
      fromRevision: options.fromRevision ?? (options.backwards ? END : 0n),
      direction: options.backwards ? BACKWARDS : FORWARDS,
      ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
    });
    for await (const resolved of read) events.push(fromResolved(resolved));
  } catch (error) {
    if (isStreamNotFound(error)) return [];
    throw error;
  }
  return events;
}

/** The stream's last event and revision, or 'no-stream'. */
export async function readHead(client: EsdbClient, stream: string): Promise<{ head: ExpectedRevision; last?: RecordedEvent }> {
  const [last] = await readStreamEvents(client, stream, { backwards: true, maxCount: 1n });
  return last ? { head: last.revision, last } : { head: 'no-stream' };
}

/**
 * Every raw $all event after `after` (exclusive), page by page, until `visit` returns false or the
 * log ends. Pages restart at the last raw position seen (reads include their start) and skip what
 * was already visited, so no event is visited twice even if a page boundary splits a commit.
 */
export async function scanAll(
  client: EsdbClient,
  after: bigint,
  visit: (resolved: AllStreamResolvedEvent, commitPosition: bigint) => boolean,
): Promise<void> {
  let cursor: Position | undefined = after > 0n ? { commit: after, prepare: after } : undefined;
  for (;;) {
    let seen = 0;
    let progressed = false;
    const from = cursor ?? fromPositionAfter(0n);
    for await (const resolved of client.readAll({ fromPosition: from, direction: FORWARDS, maxCount: ALL_PAGE })) {
      seen += 1;
      const position = rawPosition(resolved);
      if (cursor && comparePositions(position, cursor) <= 0) continue;
      cursor = position;
      progressed = true;
      if (!visit(resolved, position.commit)) return;
    }
    if (seen < ALL_PAGE || !progressed) return;
  }
}

/** Our events after `after`, at most `limit` of them (all when limit is undefined). */
export async function readAllEvents(client: EsdbClient, after: bigint, limit?: number): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  if (limit === 0) return events;
  await scanAll(client, after, (resolved) => {
    if (resolved.event && isPortStream(resolved.event.streamId)) events.push(fromResolved(resolved));
    return limit === undefined || events.length < limit;
  });
  return events;
}

/** The commit position of our last event, or 0n when there is none. */
export async function readHeadPosition(client: EsdbClient): Promise<bigint> {
  let cursor: Position | undefined;
  for (;;) {
    let seen = 0;
    let progressed = false;
    for await (const resolved of client.readAll({ fromPosition: cursor ?? END, direction: BACKWARDS, maxCount: ALL_PAGE })) {
      seen += 1;
      const position = rawPosition(resolved);
      // Whether a backward read includes its start is not documented: skip it either way.
      if (cursor && comparePositions(position, cursor) >= 0) continue;
      cursor = position;
      progressed = true;
      if (resolved.event && isPortStream(resolved.event.streamId)) return fromResolved(resolved).position;
    }
    if (seen < ALL_PAGE || !progressed) return 0n;
  }
}

function rawPosition(resolved: AllStreamResolvedEvent): Position {
  const position = resolved.event?.position ?? resolved.link?.position;
  if (position) return { commit: toBigInt(position.commit, 'position.commit'), prepare: toBigInt(position.prepare, 'position.prepare') };
  const commit = toBigInt(resolved.commitPosition, 'commitPosition');
  return { commit, prepare: commit };
}
