/**
 * Writing one request to one stream, and the event-id claims that give EventStoreDB the store-wide
 * idempotency the port promises.
 *
 * EventStoreDB checks event ids only against the events right after the expected revision, so on
 * its own it would store a reused id a second time in another stream, or again in the same stream
 * once that stream has moved on. Before an event is written its id is therefore claimed: one event
 * in `store-eventid-<id>` naming the stream, type and data digest, appended with NO_STREAM. The
 * claim stream is the lock; a claim with other content is refused as the integrity error the other
 * adapters raise. A claim outlives a refused append: the id stays bound to that stream and content
 * (the ledger derives ids from the act, so a retry always carries the same content).
 */
import { randomUUID } from 'node:crypto';
import { NO_STREAM } from '@eventstore/db-client';
import { StoreIntegrityError, type AppendResult, type ConcurrencyError, type JsonObject, type RecordedEvent } from '../port.js';
import type { EsdbClient } from './client.js';
import { isWrongExpectedVersion, toConcurrencyError } from './errors.js';
import { toClientExpected, toRevision } from './mapping.js';
import { readStreamEvents } from './reading.js';
import type { PreparedEvent, PreparedRequest } from './requests.js';
import { internalEventData, toEventData } from './serde.js';
import { claimStreamOf } from './streams.js';

export type Claim = { stream: string; type: string; digest: string };
/** 'new': this call made the claim. 'existing': an earlier call did, with the same content. */
export type ClaimOutcome = 'new' | 'existing';
export type WriteOutcome = { ok: true; result: AppendResult } | { ok: false; conflict: ConcurrencyError };

export const claimOf = (stream: string, event: PreparedEvent): Claim => ({ stream, type: event.type, digest: event.digest });

/** Why an existing claim forbids this event, or undefined when it is the same event. */
export function claimConflict(existing: Claim, wanted: Claim, eventId: string): StoreIntegrityError | undefined {
  if (existing.stream !== wanted.stream) {
    return new StoreIntegrityError(`event id ${eventId} is already stored in stream ${existing.stream}, not ${wanted.stream}`);
  }
  if (existing.type !== wanted.type || existing.digest !== wanted.digest) {
    return new StoreIntegrityError(`event id ${eventId} is already stored in ${existing.stream} with a different type or data`);
  }
  return undefined;
}

export function parseClaim(recorded: RecordedEvent): Claim {
  const { stream, type, digest } = recorded.data;
  if (typeof stream !== 'string' || typeof type !== 'string' || typeof digest !== 'string') {
    throw new StoreIntegrityError(`claim ${recorded.stream} is malformed`);
  }
  return { stream, type, digest };
}

/** Claims every event id of the requests at once; the first refusal in request order is thrown. */
export async function claimEventIds(client: EsdbClient, requests: PreparedRequest[]): Promise<Map<string, ClaimOutcome>> {
  const events = requests.flatMap((request) => request.events.map((event) => ({ event, claim: claimOf(request.stream, event) })));
  const settled = await Promise.allSettled(events.map(({ event, claim }) => claimOne(client, event.eventId, claim)));
  const outcomes = new Map<string, ClaimOutcome>();
  settled.forEach((outcome, i) => {
    if (outcome.status === 'rejected') throw outcome.reason;
    outcomes.set(events[i]!.event.eventId, outcome.value);
  });
  return outcomes;
}

async function claimOne(client: EsdbClient, eventId: string, claim: Claim): Promise<ClaimOutcome> {
  try {
    // A fresh id per attempt: EventStoreDB's own idempotency must never turn an existing claim into a success.
    await client.appendToStream(claimStreamOf(eventId), [internalEventData(randomUUID(), 'EventIdClaimed', claim as JsonObject)], {
      expectedRevision: NO_STREAM,
    });
    return 'new';
  } catch (error) {
    if (!isWrongExpectedVersion(error)) throw error;
  }
  const [first] = await readStreamEvents(client, claimStreamOf(eventId), { maxCount: 1n });
  if (!first) throw new StoreIntegrityError(`claim for event id ${eventId} exists but cannot be read`);
  const conflict = claimConflict(parseClaim(first), claim, eventId);
  if (conflict) throw conflict;
  return 'existing';
}

/**
 * Where a request's events already are in its stream, as the port's retry rule sees it: all stored,
 * consecutively and in order, is a retry answered with the original result; none stored is a fresh
 * append; anything in between is refused.
 */
export function retryOutcome(request: PreparedRequest, stored: Array<RecordedEvent | undefined>): { stored: false } | { stored: true; result: AppendResult } {
  if (stored.every((event) => event === undefined)) return { stored: false };
  let previous: RecordedEvent | undefined;
  request.events.forEach((event, i) => {
    const found = stored[i];
    if (found === undefined) {
      throw new StoreIntegrityError(`append to ${request.stream} mixes stored and new event ids: a retry must repeat the original request`);
    }
    if (found.type !== event.type) throw new StoreIntegrityError(`event id ${event.eventId} is already stored in ${found.stream} with a different type or data`);
    if (previous && found.revision !== previous.revision + 1n) {
      throw new StoreIntegrityError(`append to ${request.stream} repeats stored event ids in a different order`);
    }
    previous = found;
  });
  return { stored: true, result: { nextExpectedRevision: previous!.revision, position: previous!.position } };
}

/** The request's events as found anywhere in its stream (a full read: only on the retry path). */
export async function locateInStream(client: EsdbClient, request: PreparedRequest): Promise<Array<RecordedEvent | undefined>> {
  const byId = new Map((await readStreamEvents(client, request.stream)).map((event) => [event.eventId, event]));
  return request.events.map((event) => byId.get(event.eventId));
}

/** The request's events if they sit right after its expectation (written by us or by a twin), else undefined. */
export async function findAfterExpected(client: EsdbClient, request: PreparedRequest): Promise<AppendResult | undefined> {
  const from = request.expected === 'no-stream' ? 0n : request.expected + 1n;
  const following = await readStreamEvents(client, request.stream, { fromRevision: from, maxCount: BigInt(request.events.length) });
  return oursInOrder(request, following);
}

export function oursInOrder(request: PreparedRequest, following: RecordedEvent[]): AppendResult | undefined {
  if (following.length !== request.events.length) return undefined;
  if (following.some((event, i) => event.eventId !== request.events[i]!.eventId)) return undefined;
  const last = following.at(-1)!;
  return { nextExpectedRevision: last.revision, position: last.position };
}

/**
 * Appends one request at its exact expectation. The position is read back from the stream: the
 * server's append reply carries the position of the write, which is not necessarily that of its
 * last event, and none at all for an idempotent repeat.
 */
export async function writeRequest(client: EsdbClient, request: PreparedRequest): Promise<WriteOutcome> {
  let next: bigint;
  try {
    const reply = await client.appendToStream(request.stream, request.events.map(toEventData), {
      expectedRevision: toClientExpected(request.expected),
    });
    next = toRevision(reply.nextExpectedRevision, `${request.stream} next expected revision`);
  } catch (error) {
    if (!isWrongExpectedVersion(error)) throw error;
    const twin = await findAfterExpected(client, request);
    return twin ? { ok: true, result: twin } : { ok: false, conflict: toConcurrencyError(request.stream, request.expected, error) };
  }
  const written = await findAfterExpected(client, request);
  if (!written || written.nextExpectedRevision !== next) {
    throw new StoreIntegrityError(`append to ${request.stream} succeeded but revisions after ${String(request.expected)} are not its events`);
  }
  return { ok: true, result: written };
}

/** append(): claim the ids, answer a retry from the stream, else write at the expectation. */
export async function appendOne(client: EsdbClient, request: PreparedRequest): Promise<AppendResult> {
  const claims = await claimEventIds(client, [request]);
  if ([...claims.values()].includes('existing')) {
    const retry = retryOutcome(request, await locateInStream(client, request));
    if (retry.stored) return retry.result;
  }
  const outcome = await writeRequest(client, request);
  if (!outcome.ok) throw outcome.conflict;
  return outcome.result;
}
