/**
 * An in-memory stand-in for the part of @eventstore/db-client the adapter uses (EsdbClient), for
 * tests. It keeps EventStoreDB's semantics as the client's types and docs state them:
 * - appends check the expected revision (NO_STREAM or exact) and throw the client's
 *   WrongExpectedVersionError with the actual head ('no_stream' when there is none);
 * - an append whose event ids are exactly the events right after the expectation is an idempotent
 *   success that writes nothing and reports no position;
 * - reading a stream with no events throws StreamNotFoundError while iterating;
 * - $all holds every stream, `$` system streams included, in commit-position order; positions grow
 *   with gaps (byte offsets); forward reads include their start, backward reads stop before it;
 * - subscriptions start after their position, apply server-side stream-name prefix filters, then
 *   follow live appends.
 * It refuses ANY and STREAM_EXISTS outright, so a test fails if the adapter ever uses them. The
 * append reply carries the position of the write's FIRST event: the adapter must not rely on it.
 * Test hooks: `beforeAppend` (inject a concurrent write or a failure), `dropSubscriptions`,
 * `subscribeFailure`, and `numbersForBigints` (hand out `number` where the types say bigint, as the
 * real client has done).
 */
import {
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type AppendResult,
  type EventData,
  type Filter,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ResolvedEvent,
  type SubscribeToAllOptions,
} from '@eventstore/db-client';
import type { EsdbClient, EsdbSubscription } from './client.js';

type Stored = { streamId: string; id: string; revision: bigint; type: string; contentType: string; data: string; metadata: string; position: bigint; created: Date };

export type FakeClientOptions = {
  /** Runs before each append is applied; throw to simulate a failure, or append something to race it. */
  beforeAppend?: (stream: string, events: EventData[]) => void | Promise<void>;
  numbersForBigints?: boolean;
  /** Called for each new subscription: an error returned here fails it on its first read, as a refused connection does. */
  subscribeFailure?: () => Error | undefined;
};

export type FakeEsdbClient = EsdbClient & {
  options: FakeClientOptions;
  /** Every stored event in $all order (a copy), for assertions. */
  all(): Array<{ streamId: string; id: string; revision: bigint; type: string; position: bigint; data: unknown }>;
  /** Makes every live subscription fail with `error`, as a dropped connection does. */
  dropSubscriptions(error?: Error): void;
  liveSubscriptions(): number;
};

export function createFakeEsdbClient(options: FakeClientOptions = {}): FakeEsdbClient {
  const log: Stored[] = [];
  const streams = new Map<string, Stored[]>();
  const subscribers = new Set<{ wake(): void; fail(error: Error): void; end(): void }>();
  let nextPosition = 1_024n; // the log starts with the server's own records
  let disposed = false;

  const num = (value: bigint): bigint => (options.numbersForBigints ? (Number(value) as unknown as bigint) : value);

  function toRecorded(stored: Stored) {
    const position = { commit: num(stored.position), prepare: num(stored.position) };
    const event = {
      streamId: stored.streamId,
      id: stored.id,
      isJson: stored.contentType === 'application/json',
      revision: num(stored.revision),
      type: stored.type,
      created: stored.created,
      // The client parses JSON afresh for every read: nothing aliases the store or another read.
      data: stored.contentType === 'application/json' ? JSON.parse(stored.data) : new TextEncoder().encode(stored.data),
      metadata: stored.metadata === '' ? undefined : JSON.parse(stored.metadata),
      position,
    };
    return { event, commitPosition: num(stored.position) } as unknown as AllStreamResolvedEvent & ResolvedEvent;
  }

  function matches(filter: Filter | undefined, stored: Stored): boolean {
    if (!filter) return true;
    const subject = filter.filterOn === 'streamName' ? stored.streamId : stored.type;
    return 'prefixes' in filter ? filter.prefixes.some((prefix) => subject.startsWith(prefix)) : new RegExp(filter.regex).test(subject);
  }

  function assertOpen(): void {
    if (disposed) throw new Error('fake EventStoreDB client is disposed');
  }

  const client: FakeEsdbClient = {
    options,
    async appendToStream(stream: string, events: EventData[], { expectedRevision }: { expectedRevision: AppendExpectedRevision }): Promise<AppendResult> {
      assertOpen();
      if (expectedRevision !== NO_STREAM && typeof expectedRevision !== 'bigint') {
        throw new Error(`the fake refuses expectedRevision ${String(expectedRevision)}: the adapter must always state it exactly`);
      }
      await options.beforeAppend?.(stream, events);
      const existing = streams.get(stream) ?? [];
      const head = existing.length === 0 ? undefined : BigInt(existing.length - 1);
      const holds = expectedRevision === NO_STREAM ? head === undefined : head === expectedRevision;
      if (!holds) {
        const start = expectedRevision === NO_STREAM ? 0 : Number(expectedRevision) + 1;
        const following = existing.slice(start, start + events.length);
        if (following.length === events.length && following.every((stored, i) => stored.id === events[i]!.id)) {
          return { success: true, nextExpectedRevision: num(BigInt(start + events.length - 1)), position: undefined };
        }
        throw new WrongExpectedVersionError(undefined, { streamName: stream, expected: expectedRevision, current: head === undefined ? NO_STREAM : num(head) });
      }
      let first: bigint | undefined;
      for (const event of events) {
        const data = event.contentType === 'application/json' ? JSON.stringify(event.data) : new TextDecoder().decode(event.data);
        const metadata = event.metadata === undefined ? '' : JSON.stringify(event.metadata);
        const stored: Stored = { streamId: stream, id: event.id, revision: BigInt(existing.length), type: event.type, contentType: event.contentType, data, metadata, position: nextPosition, created: new Date() };
        first ??= stored.position;
        nextPosition += 64n + BigInt(data.length + metadata.length); // a record's size: positions have gaps
        existing.push(stored);
        log.push(stored);
      }
      streams.set(stream, existing);
      for (const subscriber of subscribers) subscriber.wake();
      return { success: true, nextExpectedRevision: num(BigInt(existing.length - 1)), position: { commit: num(first!), prepare: num(first!) } };
    },

    readStream(stream: string, { fromRevision = START, direction, maxCount }: ReadStreamOptions): AsyncIterable<ResolvedEvent> {
      return (async function* () {
        assertOpen();
        const events = streams.get(stream);
        if (!events) throw new StreamNotFoundError(undefined, stream);
        const backwards = direction === BACKWARDS;
        const from = fromRevision === START ? 0 : fromRevision === END ? events.length - 1 : Number(fromRevision);
        const chosen = backwards ? events.slice(0, from + 1).reverse() : events.slice(from);
        yield* chosen.slice(0, Number(maxCount ?? chosen.length)).map(toRecorded);
      })();
    },

    readAll({ fromPosition = START, direction, maxCount }: ReadAllOptions): AsyncIterable<AllStreamResolvedEvent> {
      return (async function* () {
        assertOpen();
        const backwards = direction === BACKWARDS;
        const at = fromPosition === START ? -1n : fromPosition === END ? nextPosition : BigInt(fromPosition.commit);
        const chosen = backwards ? log.filter((stored) => stored.position < at).reverse() : log.filter((stored) => stored.position >= at);
        yield* chosen.slice(0, Number(maxCount ?? chosen.length)).map(toRecorded);
      })();
    },

    subscribeToAll({ fromPosition = START, filter }: SubscribeToAllOptions): EsdbSubscription {
      assertOpen();
      let failure: Error | undefined = options.subscribeFailure?.();
      let cursor = fromPosition === START ? -1n : fromPosition === END ? (log.at(-1)?.position ?? -1n) : BigInt(fromPosition.commit);
      let signal: (() => void) | undefined;
      let ended = false;
      const subscriber = {
        wake: () => signal?.(),
        fail(error: Error) {
          failure = error;
          signal?.();
        },
        end() {
          ended = true;
          signal?.();
        },
      };
      subscribers.add(subscriber);
      async function* events(): AsyncGenerator<AllStreamResolvedEvent> {
        try {
          for (;;) {
            if (failure) throw failure;
            if (ended) return;
            const next = log.find((stored) => stored.position > cursor && matches(filter, stored));
            if (next) {
              cursor = next.position;
              yield toRecorded(next);
              continue;
            }
            await new Promise<void>((resolve) => (signal = resolve));
            signal = undefined;
          }
        } finally {
          subscribers.delete(subscriber);
        }
      }
      const iterator = events();
      return {
        [Symbol.asyncIterator]: () => iterator,
        unsubscribe: async () => subscriber.end(),
      };
    },

    async dispose() {
      disposed = true;
      for (const subscriber of subscribers) subscriber.end();
    },

    all: () => log.map((stored) => ({ ...stored, data: JSON.parse(stored.data) as unknown })),
    dropSubscriptions(error = new Error('fake connection dropped')) {
      for (const subscriber of [...subscribers]) subscriber.fail(error);
    },
    liveSubscriptions: () => subscribers.size,
  };
  return client;
}
