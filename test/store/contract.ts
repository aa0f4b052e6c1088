/**
 * The behaviour every EventStore adapter must have, tested only through the port. Each test gets a
 * store from `makeStore`; streams are uniquely named and global reads start from the head seen at
 * the start of the test, so the suite also runs against a shared server (EventStoreDB) that is not empty.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ConcurrencyError,
  StoreIntegrityError,
  type AppendRequest,
  type EventStore,
  type JsonObject,
  type NewEvent,
  type RecordedEvent,
} from '../../src/store/port.js';

type MadeStore = { store: EventStore; cleanup: () => Promise<void> };

const newStream = (kind = 'carrier') => `${kind}-${randomUUID()}`;
const newEvent = (data: JsonObject = { note: 'x' }, type = 'CarrierRegistered'): NewEvent => ({ eventId: randomUUID(), type, data });
const ids = (events: Array<{ eventId: string }>) => events.map((event) => event.eventId);
const waitFor = (assertion: () => void) => vi.waitFor(assertion, { timeout: 10_000, interval: 5 });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, it resolved');
}

export function storeContract(name: string, makeStore: () => Promise<MadeStore>): void {
  describe(`${name} event store contract`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    /** Events after `baseline` that belong to `streams`, in global order. */
    async function readMine(baseline: bigint, streams: string[]): Promise<RecordedEvent[]> {
      const mine = new Set(streams);
      return (await store.readAll({ after: baseline })).filter((event) => mine.has(event.stream));
    }

    describe('appending to one stream', () => {
      it("gives the first event of a new stream, appended with 'no-stream', revision 0n", async () => {
        const stream = newStream();
        const result = await store.append({ stream, expected: 'no-stream', events: [newEvent()] });
        expect(result.nextExpectedRevision).toBe(0n);
        const [stored] = await store.readStream(stream);
        expect(stored).toMatchObject({ stream, revision: 0n, position: result.position });
      });

      it('extends a stream when the expectation is the revision of its last event', async () => {
        const stream = newStream();
        const first = await store.append({ stream, expected: 'no-stream', events: [newEvent(), newEvent()] });
        expect(first.nextExpectedRevision).toBe(1n);
        const second = await store.append({ stream, expected: 1n, events: [newEvent()] });
        expect(second.nextExpectedRevision).toBe(2n);
        expect(second.position).toBeGreaterThan(first.position);
        expect((await store.readStream(stream)).map((event) => event.revision)).toEqual([0n, 1n, 2n]);
      });

      it('refuses a stale expectation with a ConcurrencyError naming the expected and actual revisions', async () => {
        const stream = newStream();
        await store.append({ stream, expected: 'no-stream', events: [newEvent(), newEvent(), newEvent()] });
        const error = await rejection(store.append({ stream, expected: 0n, events: [newEvent()] }));
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ stream, expected: 0n, actual: 2n });
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it("refuses an exact expectation on a missing stream with actual 'no-stream'", async () => {
        const stream = newStream();
        const error = await rejection(store.append({ stream, expected: 0n, events: [newEvent()] }));
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ stream, expected: 0n, actual: 'no-stream' });
        expect(await store.readStream(stream)).toEqual([]);
      });

      it("refuses 'no-stream' on an existing stream with actual the head revision", async () => {
        const stream = newStream();
        await store.append({ stream, expected: 'no-stream', events: [newEvent(), newEvent()] });
        const error = await rejection(store.append({ stream, expected: 'no-stream', events: [newEvent()] }));
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ stream, expected: 'no-stream', actual: 1n });
      });

      it('refuses a request with no events as an integrity error', async () => {
        const error = await rejection(store.append({ stream: newStream(), expected: 'no-stream', events: [] }));
        expect(error).toBeInstanceOf(StoreIntegrityError);
      });

      it('refuses a request that repeats an event id', async () => {
        const event = newEvent();
        const error = await rejection(store.append({ stream: newStream(), expected: 'no-stream', events: [event, event] }));
        expect(error).toBeInstanceOf(StoreIntegrityError);
      });

      it('refuses data that would not round-trip through JSON', async () => {
        const stream = newStream();
        for (const data of [{ when: new Date() }, { amount: 10n }, { missing: undefined }, { ratio: Number.NaN }]) {
          const event = { eventId: randomUUID(), type: 'Odd', data: data as unknown as JsonObject };
          expect(await rejection(store.append({ stream, expected: 'no-stream', events: [event] }))).toBeInstanceOf(StoreIntegrityError);
        }
        expect(await store.readStream(stream)).toEqual([]);
      });
    });

    describe('idempotency by event id', () => {
      it('returns the same result for a retried append and writes nothing', async () => {
        const stream = newStream();
        const request: AppendRequest = { stream, expected: 'no-stream', events: [newEvent({ n: 1 }), newEvent({ n: 2 })] };
        const first = await store.append(request);
        const retry = await store.append(request);
        expect(retry).toEqual(first);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('still returns the original result when the stream has moved on since', async () => {
        const stream = newStream();
        const request: AppendRequest = { stream, expected: 'no-stream', events: [newEvent()] };
        const first = await store.append(request);
        await store.append({ stream, expected: 0n, events: [newEvent()] });
        expect(await store.append(request)).toEqual(first);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('refuses an event id that is already stored in another stream', async () => {
        const event = newEvent();
        await store.append({ stream: newStream(), expected: 'no-stream', events: [event] });
        const other = newStream();
        const error = await rejection(store.append({ stream: other, expected: 'no-stream', events: [event] }));
        expect(error).toBeInstanceOf(StoreIntegrityError);
        expect(await store.readStream(other)).toEqual([]);
      });

      it('refuses an event id that is already stored with a different type or data', async () => {
        const stream = newStream();
        const event = newEvent({ n: 1 });
        await store.append({ stream, expected: 'no-stream', events: [event] });
        for (const changed of [{ ...event, data: { n: 2 } }, { ...event, type: 'SomethingElse' }]) {
          expect(await rejection(store.append({ stream, expected: 0n, events: [changed] }))).toBeInstanceOf(StoreIntegrityError);
        }
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('refuses a request that mixes stored and new event ids, and writes none of it', async () => {
        const stream = newStream();
        const stored = newEvent();
        await store.append({ stream, expected: 'no-stream', events: [stored] });
        const error = await rejection(store.append({ stream, expected: 0n, events: [stored, newEvent()] }));
        expect(error).toBeInstanceOf(StoreIntegrityError);
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });

    describe('appendMany', () => {
      it('writes every stream and returns the results in request order', async () => {
        const [a, b] = [newStream(), newStream()];
        await store.append({ stream: b, expected: 'no-stream', events: [newEvent()] });
        const results = await store.appendMany([
          { stream: a, expected: 'no-stream', events: [newEvent(), newEvent()] },
          { stream: b, expected: 0n, events: [newEvent()] },
        ]);
        expect(results.map((result) => result.nextExpectedRevision)).toEqual([1n, 1n]);
        expect(results[1]!.position).toBeGreaterThan(results[0]!.position);
        expect(await store.readStream(a)).toHaveLength(2);
        expect(await store.readStream(b)).toHaveLength(2);
      });

      it('writes none of the streams when one expectation fails, and throws ConcurrencyError', async () => {
        const [a, b, c] = [newStream(), newStream(), newStream()];
        await store.append({ stream: b, expected: 'no-stream', events: [newEvent()] });
        const error = await rejection(
          store.appendMany([
            { stream: a, expected: 'no-stream', events: [newEvent()] },
            { stream: b, expected: 'no-stream', events: [newEvent()] },
            { stream: c, expected: 'no-stream', events: [newEvent()] },
          ]),
        );
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ stream: b, expected: 'no-stream', actual: 0n });
        expect(await store.readStream(a)).toEqual([]);
        expect(await store.readStream(b)).toHaveLength(1);
        expect(await store.readStream(c)).toEqual([]);
      });

      it('writes none of the streams when one request is an integrity error', async () => {
        const [a, b] = [newStream(), newStream()];
        const elsewhere = newEvent();
        await store.append({ stream: newStream(), expected: 'no-stream', events: [elsewhere] });
        const error = await rejection(
          store.appendMany([
            { stream: a, expected: 'no-stream', events: [newEvent()] },
            { stream: b, expected: 'no-stream', events: [elsewhere] },
          ]),
        );
        expect(error).toBeInstanceOf(StoreIntegrityError);
        expect(await store.readStream(a)).toEqual([]);
      });
    });

    describe('reading', () => {
      it('reads a stream from a revision onwards', async () => {
        const stream = newStream();
        const events = [newEvent(), newEvent(), newEvent(), newEvent()];
        await store.append({ stream, expected: 'no-stream', events });
        expect(ids(await store.readStream(stream, { fromRevision: 2n }))).toEqual(ids(events.slice(2)));
        expect(ids(await store.readStream(stream, { fromRevision: 0n }))).toEqual(ids(events));
        expect(await store.readStream(stream, { fromRevision: 4n })).toEqual([]);
      });

      it('reads an unknown stream as an empty list', async () => {
        expect(await store.readStream(newStream())).toEqual([]);
      });

      it('reads everything in global order and pages through it with after and limit', async () => {
        const baseline = await store.headPosition();
        const [a, b] = [newStream(), newStream()];
        const appended: NewEvent[] = [];
        for (let i = 0; i < 5; i++) {
          const [ea, eb] = [newEvent({ i }), newEvent({ i })];
          appended.push(ea, eb);
          await store.append({ stream: a, expected: i === 0 ? 'no-stream' : BigInt(i - 1), events: [ea] });
          await store.append({ stream: b, expected: i === 0 ? 'no-stream' : BigInt(i - 1), events: [eb] });
        }
        const all = await readMine(baseline, [a, b]);
        expect(ids(all)).toEqual(ids(appended));
        const paged: RecordedEvent[] = [];
        for (let after = baseline; ; ) {
          const page = await store.readAll({ after, limit: 3 });
          expect(page.length).toBeLessThanOrEqual(3);
          if (page.length === 0) break;
          paged.push(...page);
          after = page.at(-1)!.position;
        }
        expect(ids(paged.filter((event) => event.stream === a || event.stream === b))).toEqual(ids(appended));
      });

      it('gives strictly increasing positions and reports the last one as the head', async () => {
        const baseline = await store.headPosition();
        const streams = [newStream(), newStream(), newStream()];
        for (const stream of streams) await store.append({ stream, expected: 'no-stream', events: [newEvent(), newEvent()] });
        const positions = (await readMine(baseline, streams)).map((event) => event.position);
        expect(positions).toHaveLength(6);
        positions.forEach((position, i) => expect(position).toBeGreaterThan(i === 0 ? baseline : positions[i - 1]!));
        expect(await store.headPosition()).toBe(positions.at(-1));
      });

      it('round-trips data and metadata exactly', async () => {
        const stream = newStream();
        const data: JsonObject = {
          carrier: { id: 'c-1', marks: ['SECRET', 'NOFORN'], copy: { of: 3, number: 2, nested: { deeper: [[], {}, [null]] } } },
          unicode: 'Grüße — 日本語 — עברית — 🔐 — e\u0301 — \u0000 — \ud800',
          bigAmount: '123456789012345678901234567890',
          numbers: [0, -1, 1.5, Number.MAX_SAFE_INTEGER, 1e-7],
          flags: [true, false, null],
          'key with "quotes"': 'value\nwith\tcontrol',
        };
        const metadata: JsonObject = { actor: 'person-7', signature: 'ed25519:AAAA', at: '2025-01-01T00:00:00.000Z' };
        await store.append({ stream, expected: 'no-stream', events: [{ eventId: randomUUID(), type: 'CarrierRegistered', data, metadata }] });
        const [stored] = await store.readStream(stream);
        expect(stored!.data).toEqual(data);
        expect(JSON.stringify(stored!.data)).toBe(JSON.stringify(data)); // key order too
        expect(stored!.metadata).toEqual(metadata);
      });

      it('stores metadata as an empty object when none is given', async () => {
        const stream = newStream();
        await store.append({ stream, expected: 'no-stream', events: [newEvent()] });
        expect((await store.readStream(stream))[0]!.metadata).toEqual({});
      });

      it('stores an event as it was when append was called, and reads are copies', async () => {
        const stream = newStream();
        const data: JsonObject = { list: [1] };
        const appending = store.append({ stream, expected: 'no-stream', events: [{ eventId: randomUUID(), type: 'T', data }] });
        (data.list as number[]).push(2);
        await appending;
        const [first] = await store.readStream(stream);
        (first!.data.list as number[]).push(3);
        expect((await store.readStream(stream))[0]!.data).toEqual({ list: [1] });
      });
    });

    describe('subscribing', () => {
      it('catches up on stored events, follows live appends in order, and stops after close', async () => {
        const baseline = await store.headPosition();
        const stream = newStream();
        const stored = [newEvent(), newEvent()];
        await store.append({ stream, expected: 'no-stream', events: stored });
        const seen: RecordedEvent[] = [];
        const probe: RecordedEvent[] = [];
        const subscription = store.subscribe({ after: baseline }, (event) => {
          if (event.stream === stream) seen.push(event);
        });
        const probing = store.subscribe({ after: baseline }, (event) => {
          if (event.stream === stream) probe.push(event);
        });
        await waitFor(() => expect(seen).toHaveLength(2));
        const live = newEvent();
        await store.append({ stream, expected: 1n, events: [live] });
        await waitFor(() => expect(seen).toHaveLength(3));
        subscription.close();
        await store.append({ stream, expected: 2n, events: [newEvent()] });
        await waitFor(() => expect(probe).toHaveLength(4)); // delivered to live subscribers by now
        await new Promise((resolve) => setTimeout(resolve, 50));
        probing.close();
        expect(ids(seen)).toEqual(ids([...stored, live]));
        expect(seen.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
      });

      it('starts after the given position', async () => {
        const stream = newStream();
        const first = await store.append({ stream, expected: 'no-stream', events: [newEvent()] });
        const later = newEvent();
        await store.append({ stream, expected: 0n, events: [later] });
        const seen: RecordedEvent[] = [];
        const subscription = store.subscribe({ after: first.position }, (event) => {
          if (event.stream === stream) seen.push(event);
        });
        await waitFor(() => expect(seen).toHaveLength(1));
        subscription.close();
        expect(seen[0]!.eventId).toBe(later.eventId);
      });

      it('awaits an async handler before delivering the next event, never twice, in global order', async () => {
        const baseline = await store.headPosition();
        const streams = Array.from({ length: 20 }, () => newStream());
        let inFlight = 0;
        let maxInFlight = 0;
        const seen: RecordedEvent[] = [];
        const mine = new Set(streams);
        const subscription = store.subscribe({ after: baseline }, async (event) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 1));
          if (mine.has(event.stream)) seen.push(event);
          inFlight -= 1;
        });
        await store.append({ stream: streams[0]!, expected: 'no-stream', events: [newEvent()] });
        await Promise.all(streams.slice(1).map((stream) => store.append({ stream, expected: 'no-stream', events: [newEvent(), newEvent()] })));
        await waitFor(() => expect(seen).toHaveLength(39));
        subscription.close();
        expect(maxInFlight).toBe(1);
        expect(ids(seen)).toEqual(ids(await readMine(baseline, streams)));
        expect(new Set(ids(seen)).size).toBe(39);
      });
    });

    describe('under concurrency', () => {
      it('stores all 50 events when 50 appenders write to their own streams at once', async () => {
        const baseline = await store.headPosition();
        const requests = Array.from({ length: 50 }, (): AppendRequest => ({ stream: newStream(), expected: 'no-stream', events: [newEvent()] }));
        const outcomes = await Promise.allSettled(requests.map((request) => store.append(request)));
        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(50);
        for (const request of requests) expect(ids(await store.readStream(request.stream))).toEqual(ids(request.events));
        const stored = await readMine(baseline, requests.map((request) => request.stream));
        expect(stored).toHaveLength(50);
        expect(new Set(stored.map((event) => event.position)).size).toBe(50);
      });

      it.each([['no-stream' as const], [0n]])(
        'lets exactly one of 50 appenders to one stream with the same expectation (%s) win',
        async (expected) => {
          const stream = newStream();
          if (expected !== 'no-stream') await store.append({ stream, expected: 'no-stream', events: [newEvent()] });
          const before = (await store.readStream(stream)).length;
          const events = Array.from({ length: 50 }, () => newEvent());
          const outcomes = await Promise.allSettled(events.map((event) => store.append({ stream, expected, events: [event] })));
          const winners = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [events[i]!] : []));
          const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
          expect(winners).toHaveLength(1);
          expect(losers).toHaveLength(49);
          for (const loser of losers) {
            expect(loser).toBeInstanceOf(ConcurrencyError);
            expect(loser).toMatchObject({ expected, actual: BigInt(before) });
          }
          const stored = await store.readStream(stream);
          expect(stored).toHaveLength(before + 1);
          expect(stored.at(-1)!.eventId).toBe(winners[0]!.eventId);
        },
      );

      it('keeps the other appends of a concurrent burst when one of them is refused', async () => {
        const [taken, batched] = [newStream(), newStream()];
        await store.append({ stream: taken, expected: 'no-stream', events: [newEvent()] });
        const requests = Array.from({ length: 10 }, (): AppendRequest => ({ stream: newStream(), expected: 'no-stream', events: [newEvent()] }));
        const outcomes = await Promise.allSettled([
          ...requests.slice(0, 5).map((request) => store.append(request)),
          store.append({ stream: taken, expected: 'no-stream', events: [newEvent()] }),
          store.appendMany([{ stream: batched, expected: 'no-stream', events: [newEvent()] }, { stream: taken, expected: 5n, events: [newEvent()] }]),
          ...requests.slice(5).map((request) => store.append(request)),
        ]);
        expect(outcomes.map((outcome) => outcome.status)).toEqual([...Array(5).fill('fulfilled'), 'rejected', 'rejected', ...Array(5).fill('fulfilled')]);
        for (const request of requests) expect(await store.readStream(request.stream)).toHaveLength(1);
        expect(await store.readStream(taken)).toHaveLength(1);
        expect(await store.readStream(batched)).toEqual([]);
      });
    });

    it('refuses appends once closed, and closing twice is harmless', async () => {
      await store.close();
      await store.close();
      await expect(store.append({ stream: newStream(), expected: 'no-stream', events: [newEvent()] })).rejects.toThrow();
    });
  });
}
