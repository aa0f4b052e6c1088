/**
 * The fake client keeps the EventStoreDB semantics the adapter relies on (documented in
 * fake-client.ts). If it drifted, the contract run over it would prove nothing, so it is pinned here.
 */
import { randomUUID } from 'node:crypto';
import { ANY, BACKWARDS, END, NO_STREAM, START, StreamNotFoundError, WrongExpectedVersionError, streamNameFilter, type EventData } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { createFakeEsdbClient } from '../../src/store/eventstoredb/fake-client.js';

const event = (id: string = randomUUID()): EventData => ({ id, contentType: 'application/json', type: 'T', data: { id }, metadata: {} });
const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
};

describe('the fake EventStoreDB client', () => {
  it('checks expected revisions and reports the actual head, no_stream when there is none', async () => {
    const client = createFakeEsdbClient();
    await expect(client.appendToStream('s', [event()], { expectedRevision: 0n })).rejects.toMatchObject({ actualVersion: NO_STREAM });
    await client.appendToStream('s', [event(), event()], { expectedRevision: NO_STREAM });
    const error = await client.appendToStream('s', [event()], { expectedRevision: NO_STREAM }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: 's', expectedVersion: NO_STREAM, actualVersion: 1n });
  });

  it('answers a repeat of the events right after the expectation as an idempotent success without a position', async () => {
    const client = createFakeEsdbClient();
    const events = [event(), event()];
    await client.appendToStream('s', events, { expectedRevision: NO_STREAM });
    await client.appendToStream('s', [event()], { expectedRevision: 1n });
    expect(await client.appendToStream('s', events, { expectedRevision: NO_STREAM })).toEqual({ success: true, nextExpectedRevision: 1n, position: undefined });
    expect(client.all()).toHaveLength(3);
  });

  it('refuses ANY, which the adapter must never send', async () => {
    await expect(createFakeEsdbClient().appendToStream('s', [event()], { expectedRevision: ANY })).rejects.toThrow(/must always state it exactly/);
  });

  it('throws StreamNotFoundError while iterating a read of a missing stream, not when creating it', async () => {
    const read = createFakeEsdbClient().readStream('missing', { fromRevision: START });
    await expect(collect(read)).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('keeps every stream in $all with growing, gapped positions; forward reads include their start, backward reads stop before it', async () => {
    const client = createFakeEsdbClient();
    await client.appendToStream('$stats', [event()], { expectedRevision: NO_STREAM });
    await client.appendToStream('carrier-1', [event(), event()], { expectedRevision: NO_STREAM });
    const positions = client.all().map((stored) => stored.position);
    expect(positions[1]! - positions[0]!).toBeGreaterThan(1n);
    const at = { commit: positions[1]!, prepare: positions[1]! };
    expect((await collect(client.readAll({ fromPosition: at }))).map((resolved) => resolved.event!.position.commit)).toEqual(positions.slice(1));
    expect((await collect(client.readAll({ fromPosition: at, direction: BACKWARDS }))).map((resolved) => resolved.event!.streamId)).toEqual(['$stats']);
    expect(await collect(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }))).toHaveLength(1);
  });

  it('starts a subscription after its position and applies a stream-name prefix filter', async () => {
    const client = createFakeEsdbClient();
    await client.appendToStream('carrier-1', [event()], { expectedRevision: NO_STREAM });
    const [first] = client.all();
    await client.appendToStream('other-1', [event()], { expectedRevision: NO_STREAM });
    await client.appendToStream('carrier-1', [event()], { expectedRevision: 0n });
    const subscription = client.subscribeToAll({ fromPosition: { commit: first!.position, prepare: first!.position }, filter: streamNameFilter({ prefixes: ['carrier-'] }) });
    const iterator = subscription[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ event: { streamId: 'carrier-1', revision: 1n } });
    await subscription.unsubscribe();
    expect((await iterator.next()).done).toBe(true);
  });
});
