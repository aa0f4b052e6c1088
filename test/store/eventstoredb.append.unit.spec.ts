/**
 * Single-stream appends on EventStoreDB: event-id claims, the retry rule, and positions read back
 * from the stream rather than taken from the server's reply. Over the fake client.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { claimConflict, retryOutcome } from '../../src/store/eventstoredb/appending.js';
import { createEventStoreDbStore } from '../../src/store/eventstoredb.js';
import { createFakeEsdbClient } from '../../src/store/eventstoredb/fake-client.js';
import { prepareRequests } from '../../src/store/eventstoredb/requests.js';
import { ConcurrencyError, StoreIntegrityError, type AppendRequest, type RecordedEvent } from '../../src/store/port.js';

const newEvent = (n = 0) => ({ eventId: randomUUID(), type: 'CarrierRegistered', data: { n } });
const newStream = () => `carrier-${randomUUID()}`;

function setup() {
  const client = createFakeEsdbClient();
  return { client, store: createEventStoreDbStore({ client, recoveryIntervalMs: 0 }) };
}

describe('event-id claims', () => {
  const claim = { stream: 'carrier-a', type: 'T', digest: 'd1' };

  it('accepts the same stream, type and data, and names what differs otherwise', () => {
    expect(claimConflict(claim, { ...claim }, 'id-1')).toBeUndefined();
    expect(claimConflict(claim, { ...claim, stream: 'carrier-b' }, 'id-1')?.message).toBe('event id id-1 is already stored in stream carrier-a, not carrier-b');
    expect(claimConflict(claim, { ...claim, digest: 'd2' }, 'id-1')?.message).toMatch(/different type or data/);
    expect(claimConflict(claim, { ...claim, type: 'U' }, 'id-1')).toBeInstanceOf(StoreIntegrityError);
  });

  it('claims every id before writing, in streams the port never shows', async () => {
    const { client, store } = setup();
    const stream = newStream();
    const events = [newEvent(), newEvent()];
    await store.append({ stream, expected: 'no-stream', events });
    const claims = client.all().filter((event) => event.streamId.startsWith('store-eventid-'));
    expect(claims.map((event) => event.streamId)).toEqual(events.map((event) => `store-eventid-${event.eventId}`));
    expect(claims[0]!.data).toMatchObject({ stream, type: 'CarrierRegistered' });
    expect((await store.readAll()).map((event) => event.stream)).toEqual([stream, stream]);
  });

  it('keeps an id bound to its stream and content after a refused append, and lets the same request through later', async () => {
    const { store } = setup();
    const stream = newStream();
    await store.append({ stream, expected: 'no-stream', events: [newEvent()] });
    const request: AppendRequest = { stream, expected: 'no-stream', events: [newEvent(7)] };
    await expect(store.append(request)).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(store.append({ ...request, stream: newStream() })).rejects.toThrow(/already stored in stream/);
    expect(await store.append({ ...request, expected: 0n })).toMatchObject({ nextExpectedRevision: 1n });
  });
});

describe('the retry rule', () => {
  const [request] = prepareRequests([{ stream: 'carrier-a', expected: 0n, events: [newEvent(1), newEvent(2)] }]);
  const found = (i: number, revision: bigint): RecordedEvent => ({
    eventId: request!.events[i]!.eventId,
    stream: 'carrier-a',
    revision,
    position: 100n + revision,
    type: 'CarrierRegistered',
    data: {},
    metadata: {},
  });

  it('treats nothing stored as a fresh append', () => {
    expect(retryOutcome(request!, [undefined, undefined])).toEqual({ stored: false });
  });

  it('answers a full, consecutive, in-order match with the original result', () => {
    expect(retryOutcome(request!, [found(0, 1n), found(1, 2n)])).toEqual({ stored: true, result: { nextExpectedRevision: 2n, position: 102n } });
  });

  it('refuses a partial match and a match in another order', () => {
    expect(() => retryOutcome(request!, [found(0, 1n), undefined])).toThrow(/mixes stored and new event ids/);
    expect(() => retryOutcome(request!, [found(0, 2n), found(1, 1n)])).toThrow(/in a different order/);
  });
});

describe('append results', () => {
  it("reports the position of the request's last event, not the one in the server's reply", async () => {
    const { client, store } = setup();
    const stream = newStream();
    const result = await store.append({ stream, expected: 'no-stream', events: [newEvent(), newEvent(), newEvent()] });
    const stored = client.all().filter((event) => event.streamId === stream);
    expect(result).toEqual({ nextExpectedRevision: 2n, position: stored[2]!.position });
    expect(stored[0]!.position).toBeLessThan(stored[2]!.position);
  });

  it('resolves a retry that races its original with the same result, storing the events once', async () => {
    const { store } = setup();
    const request: AppendRequest = { stream: newStream(), expected: 'no-stream', events: [newEvent()] };
    const [first, second] = await Promise.all([store.append(request), store.append(request)]);
    expect(second).toEqual(first);
    expect(await store.readStream(request.stream)).toHaveLength(1);
  });

  it('refuses bad input before touching the server', async () => {
    const { client, store } = setup();
    await expect(store.append({ stream: 'carrier-1', expected: 'no-stream', events: [{ eventId: 'not-a-uuid', type: 'T', data: {} }] })).rejects.toThrow(
      /eventId must be a lowercase UUID/,
    );
    await expect(store.append({ stream: 'other-1', expected: 'no-stream', events: [newEvent()] })).rejects.toThrow(/not one the EventStoreDB store serves/);
    expect(client.all()).toEqual([]);
  });

  it('does not dispose a client it was given, and refuses appends once closed', async () => {
    const { client, store } = setup();
    await store.close();
    await expect(store.append({ stream: newStream(), expected: 'no-stream', events: [newEvent()] })).rejects.toThrow(/closed/);
    const event = { id: randomUUID(), contentType: 'application/json' as const, type: 'T', data: {}, metadata: {} };
    await expect(client.appendToStream(newStream(), [event], { expectedRevision: 'no_stream' })).resolves.toMatchObject({ success: true });
  });
});
