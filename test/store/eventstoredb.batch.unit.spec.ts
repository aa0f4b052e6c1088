/**
 * R-BATCH-1 on EventStoreDB: the batch record, the fan-out, its window and its recovery, driven
 * over the fake client, with the fake's `beforeAppend` hook standing in for a concurrent writer or
 * a crash at a chosen step.
 */
import { randomUUID } from 'node:crypto';
import { NO_STREAM, type EventData } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import {
  batchIdFor,
  batchRecordData,
  classifyStream,
  isDue,
  parseBatchRecord,
  settlementFor,
  type Batch,
} from '../../src/store/eventstoredb/batch.js';
import { createEventStoreDbStore } from '../../src/store/eventstoredb.js';
import { BatchPartiallyAppliedError } from '../../src/store/eventstoredb/errors.js';
import { createFakeEsdbClient, type FakeEsdbClient } from '../../src/store/eventstoredb/fake-client.js';
import { trackBatchEvent } from '../../src/store/eventstoredb/recovery.js';
import { prepareRequests } from '../../src/store/eventstoredb/requests.js';
import { ConcurrencyError, StoreIntegrityError, type AppendRequest, type RecordedEvent } from '../../src/store/port.js';

const newEvent = (n = 0) => ({ eventId: randomUUID(), type: 'CarrierTransferred', data: { n } });
const streams = () => [`carrier-${randomUUID()}`, `carrier-${randomUUID()}`, `carrier-${randomUUID()}`] as const;
const recorded = (overrides: Partial<RecordedEvent>): RecordedEvent => ({
  eventId: randomUUID(),
  stream: 'carrier-x',
  revision: 0n,
  position: 1n,
  type: 'T',
  data: {},
  metadata: {},
  ...overrides,
});
const isBatchAppend = (stream: string, events: EventData[], type: string) => stream.startsWith('store-batch-') && events[0]?.type === type;

function setup(now = () => Date.parse('2025-03-01T10:00:00Z')) {
  const client = createFakeEsdbClient();
  const store = createEventStoreDbStore({ client, recoveryIntervalMs: 0, now });
  return { client, store };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

/** Seeds a stream through a separate store on the same server, as another API node would. */
async function foreignAppend(client: FakeEsdbClient, stream: string, expected: AppendRequest['expected']) {
  await client.appendToStream(stream, [{ id: randomUUID(), contentType: 'application/json', type: 'Foreign', data: {}, metadata: {} }], {
    expectedRevision: expected === 'no-stream' ? NO_STREAM : expected,
  });
}

const typesIn = (client: FakeEsdbClient) => client.all().filter((event) => !event.streamId.startsWith('store-eventid-'));

describe('batch planning', () => {
  const requests = prepareRequests([
    { stream: 'carrier-a', expected: 'no-stream', events: [newEvent(1)] },
    { stream: 'carrier-b', expected: 4n, events: [newEvent(2), newEvent(3)] },
  ]);

  it('derives the batch id from streams, expectations and event ids, so a retry finds its record', () => {
    expect(batchIdFor(requests)).toBe(batchIdFor(structuredClone(requests)));
    expect(batchIdFor(requests)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(batchIdFor([{ ...requests[0]!, expected: 0n }, requests[1]!])).not.toBe(batchIdFor(requests));
  });

  it('round-trips a batch record, bigint expectations included, and refuses a malformed one', () => {
    const batch: Batch = { batchId: batchIdFor(requests), recordedAt: '2025-03-01T10:00:00.000Z', requests };
    expect(parseBatchRecord(recorded({ stream: 'store-batch-x', data: batchRecordData(batch) }))).toEqual(batch);
    expect(() => parseBatchRecord(recorded({ stream: 'store-batch-x', data: { batchId: 'x' } }))).toThrow(StoreIntegrityError);
  });

  it("classifies a stream as pending at its expectation, done when the batch's events follow it, else conflict", () => {
    const [, b] = requests;
    const ours = b!.events.map((event, i) => recorded({ eventId: event.eventId, stream: 'carrier-b', revision: 5n + BigInt(i), position: 90n + BigInt(i) }));
    expect(classifyStream(b!, 4n, [])).toEqual({ kind: 'pending' });
    expect(classifyStream(b!, 6n, ours)).toEqual({ kind: 'done', result: { nextExpectedRevision: 6n, position: 91n } });
    expect(classifyStream(b!, 6n, [ours[0]!, recorded({ revision: 6n })])).toMatchObject({ kind: 'conflict', conflict: { expected: 4n, actual: 6n } });
    expect(classifyStream(b!, 'no-stream', [])).toMatchObject({ kind: 'conflict', conflict: { actual: 'no-stream' } });
    expect(classifyStream(b!, 2n, [])).toMatchObject({ kind: 'conflict', conflict: { actual: 2n } });
  });

  it('settles as aborted when nothing was written yet, as partial naming the written streams otherwise', () => {
    const batch: Batch = { batchId: 'b', recordedAt: '', requests };
    const conflict = new ConcurrencyError('carrier-b', 4n, 5n);
    expect(settlementFor(batch, [{ kind: 'pending' }, { kind: 'pending' }])).toBeUndefined();
    expect(settlementFor(batch, [{ kind: 'pending' }, { kind: 'conflict', conflict }])).toEqual({ outcome: 'aborted', conflict });
    const done = { kind: 'done' as const, result: { nextExpectedRevision: 0n, position: 1n } };
    expect(settlementFor(batch, [done, { kind: 'conflict', conflict }])).toEqual({ outcome: 'partial', written: ['carrier-a'], conflict });
  });

  it('leaves a batch to its writer for the grace period, then makes it due', () => {
    const batch: Batch = { batchId: 'b', recordedAt: '2025-03-01T10:00:00.000Z', requests };
    expect(isDue(batch, Date.parse('2025-03-01T10:00:29Z'), 30_000)).toBe(false);
    expect(isDue(batch, Date.parse('2025-03-01T10:00:30Z'), 30_000)).toBe(true);
    expect(isDue({ ...batch, recordedAt: 'garbled' }, 0, 30_000)).toBe(true);
  });

  it('tracks batches as recorded until any later event in their stream settles them', () => {
    const batch: Batch = { batchId: 'b1', recordedAt: '2025-03-01T10:00:00.000Z', requests };
    const pending = new Map<string, Batch>();
    trackBatchEvent(pending, recorded({ stream: 'store-batch-b1', type: 'BatchRecorded', data: batchRecordData(batch) }));
    trackBatchEvent(pending, recorded({ stream: 'carrier-b1' }));
    expect([...pending.keys()]).toEqual(['b1']);
    trackBatchEvent(pending, recorded({ stream: 'store-batch-b1', revision: 1n, type: 'BatchSettled', data: { outcome: 'completed' } }));
    expect(pending.size).toBe(0);
  });
});

describe('R-BATCH-1 on EventStoreDB', () => {
  it('R-BATCH-1 records the batch as one event, fans it out in request order, then settles it completed', async () => {
    const { client, store } = setup();
    const [a, b] = streams();
    const results = await store.appendMany([
      { stream: a, expected: 'no-stream', events: [newEvent(1)] },
      { stream: b, expected: 'no-stream', events: [newEvent(2)] },
    ]);
    expect(typesIn(client).map((event) => [event.streamId.startsWith('store-batch-') ? 'batch' : event.streamId, event.type])).toEqual([
      ['batch', 'BatchRecorded'],
      [a, 'CarrierTransferred'],
      [b, 'CarrierTransferred'],
      ['batch', 'BatchSettled'],
    ]);
    expect(typesIn(client).at(-1)!.data).toMatchObject({ outcome: 'completed' });
    expect(results.map((result) => result.nextExpectedRevision)).toEqual([0n, 0n]);
  });

  it('R-BATCH-1 refuses a stale batch before recording it, writing nothing', async () => {
    const { client, store } = setup();
    const [a, b] = streams();
    await foreignAppend(client, b, 'no-stream');
    const error = await rejection(store.appendMany([{ stream: a, expected: 'no-stream', events: [newEvent()] }, { stream: b, expected: 'no-stream', events: [newEvent()] }]));
    expect(error).toMatchObject({ stream: b, expected: 'no-stream', actual: 0n });
    expect(typesIn(client).map((event) => event.type)).toEqual(['Foreign']);
  });

  it('R-BATCH-1 aborts cleanly when a stream moves while the batch is being recorded', async () => {
    const { client, store } = setup();
    const [a, b] = streams();
    client.options.beforeAppend = async (stream, events) => {
      if (isBatchAppend(stream, events, 'BatchRecorded')) await foreignAppend(client, b, 'no-stream');
    };
    const error = await rejection(store.appendMany([{ stream: a, expected: 'no-stream', events: [newEvent()] }, { stream: b, expected: 'no-stream', events: [newEvent()] }]));
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream(a)).toEqual([]);
    expect(typesIn(client).at(-1)!.data).toMatchObject({ outcome: 'aborted', conflict: { stream: b, expected: 'no-stream', actual: '0' } });
  });

  it('R-BATCH-1 detects, records and reports a write that lands inside the fan-out window', async () => {
    const { client, store } = setup();
    const [a, b] = streams();
    client.options.beforeAppend = async (stream, events) => {
      if (stream === b && events[0]?.type === 'CarrierTransferred') await foreignAppend(client, b, 'no-stream');
    };
    const error = await rejection(store.appendMany([{ stream: a, expected: 'no-stream', events: [newEvent()] }, { stream: b, expected: 'no-stream', events: [newEvent()] }]));
    expect(error).toBeInstanceOf(BatchPartiallyAppliedError);
    expect(error).toMatchObject({ written: [a], conflict: { stream: b, actual: 0n } });
    expect(typesIn(client).at(-1)!.data).toMatchObject({ outcome: 'partial', written: [a] });
  });

  it('R-BATCH-1 completes a fan-out that crashed after the record when the same batch is retried', async () => {
    const { client, store } = setup();
    const [a, b, c] = streams();
    const requests: AppendRequest[] = [a, b, c].map((stream) => ({ stream, expected: 'no-stream', events: [newEvent()] }));
    client.options.beforeAppend = (stream) => {
      if (stream === b) throw new Error('connection lost');
    };
    await expect(store.appendMany(requests)).rejects.toThrow('connection lost');
    expect((await store.readStream(a)).length + (await store.readStream(b)).length).toBe(1);
    client.options.beforeAppend = undefined;
    const results = await store.appendMany(requests);
    for (const [i, request] of requests.entries()) {
      expect((await store.readStream(request.stream)).map((event) => event.eventId)).toEqual([request.events[0]!.eventId]);
      expect(results[i]!.nextExpectedRevision).toBe(0n);
    }
    expect(await store.appendMany(requests)).toEqual(results);
  });

  it('R-BATCH-1 lets recovery on another node complete a crashed fan-out once the grace period has passed', async () => {
    let now = Date.parse('2025-03-01T10:00:00Z');
    const client = createFakeEsdbClient();
    const writer = createEventStoreDbStore({ client, recoveryIntervalMs: 0, now: () => now });
    const [a, b] = streams();
    client.options.beforeAppend = (stream) => {
      if (stream === b) throw new Error('process killed');
    };
    await expect(writer.appendMany([{ stream: a, expected: 'no-stream', events: [newEvent()] }, { stream: b, expected: 'no-stream', events: [newEvent()] }])).rejects.toThrow();
    client.options.beforeAppend = undefined;
    const otherNode = createEventStoreDbStore({ client, recoveryIntervalMs: 0, now: () => now, batchGraceMs: 30_000 });
    expect(await otherNode.completePendingBatches()).toMatchObject({ deferred: [expect.any(String)], completed: [] });
    now += 30_000;
    expect(await otherNode.completePendingBatches()).toMatchObject({ deferred: [], completed: [expect.any(String)] });
    expect(await otherNode.readStream(b)).toHaveLength(1);
    expect(await otherNode.completePendingBatches()).toMatchObject({ completed: [], deferred: [] });
  });

  it('R-BATCH-1 recovery aborts a crashed batch whose stream was taken meanwhile, writing none of it', async () => {
    let now = Date.parse('2025-03-01T10:00:00Z');
    const { client, store } = setup(() => now);
    const [a, b] = streams();
    client.options.beforeAppend = (stream) => {
      if (stream === a) throw new Error('process killed');
    };
    await expect(store.appendMany([{ stream: a, expected: 'no-stream', events: [newEvent()] }, { stream: b, expected: 'no-stream', events: [newEvent()] }])).rejects.toThrow();
    client.options.beforeAppend = undefined;
    await foreignAppend(client, b, 'no-stream');
    now += 60_000;
    expect(await store.completePendingBatches()).toMatchObject({ aborted: [expect.any(String)] });
    expect(await store.readStream(a)).toEqual([]);
  });

  it('R-BATCH-1 answers a concurrent twin of the same batch with the same results, storing each event once', async () => {
    const { store } = setup();
    const [a, b] = streams();
    const requests: AppendRequest[] = [a, b].map((stream) => ({ stream, expected: 'no-stream', events: [newEvent()] }));
    const [first, second] = await Promise.all([store.appendMany(requests), store.appendMany(requests)]);
    expect(second).toEqual(first);
    for (const stream of [a, b]) expect(await store.readStream(stream)).toHaveLength(1);
  });

  it('R-BATCH-1 returns the results when only the settlement could not be written, and recovery settles it later', async () => {
    let now = Date.parse('2025-03-01T10:00:00Z');
    const { client, store } = setup(() => now);
    const [a, b] = streams();
    client.options.beforeAppend = (stream, events) => {
      if (isBatchAppend(stream, events, 'BatchSettled')) throw new Error('connection lost');
    };
    const results = await store.appendMany([{ stream: a, expected: 'no-stream', events: [newEvent()] }, { stream: b, expected: 'no-stream', events: [newEvent()] }]);
    expect(results).toHaveLength(2);
    client.options.beforeAppend = undefined;
    now += 60_000;
    expect(await store.completePendingBatches()).toMatchObject({ completed: [expect.any(String)] });
  });
});
