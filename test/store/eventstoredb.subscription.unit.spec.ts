/**
 * subscribe() on EventStoreDB: resuming after a drop from the last delivered position, never twice,
 * in order; bounded, backed-off resubscription; a throwing handler stops its subscription. Over the
 * fake client, with delays of a millisecond so nothing here depends on timing.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createEventStoreDbStore } from '../../src/store/eventstoredb.js';
import { createFakeEsdbClient } from '../../src/store/eventstoredb/fake-client.js';
import { DEFAULT_RESUBSCRIBE, resubscribeDelay, shouldDeliver, SubscriptionDroppedError } from '../../src/store/eventstoredb/subscription.js';
import type { RecordedEvent } from '../../src/store/port.js';

const newEvent = () => ({ eventId: randomUUID(), type: 'CarrierRegistered', data: { note: 'x' } });
const waitFor = (assertion: () => void) => vi.waitFor(assertion, { timeout: 10_000, interval: 2 });
const fast = { baseDelayMs: 1, maxDelayMs: 2 };

function setup(options: { maxRetries?: number } = {}) {
  const client = createFakeEsdbClient();
  const errors: unknown[] = [];
  const store = createEventStoreDbStore({
    client,
    recoveryIntervalMs: 0,
    resubscribe: { ...fast, ...options },
    onError: (error) => errors.push(error),
  });
  return { client, store, errors };
}

describe('resume logic', () => {
  it('doubles the delay from the base on each attempt, up to the cap', () => {
    expect([0, 1, 2, 3, 10, 100].map((attempt) => resubscribeDelay(attempt, DEFAULT_RESUBSCRIBE))).toEqual([100, 200, 400, 800, 5000, 5000]);
  });

  it('delivers only what is past the last delivered position', () => {
    expect(shouldDeliver(11n, 10n)).toBe(true);
    expect(shouldDeliver(10n, 10n)).toBe(false);
    expect(shouldDeliver(9n, 10n)).toBe(false);
  });
});

describe('subscribing over EventStoreDB', () => {
  it('resumes after a dropped connection without repeating or skipping an event', async () => {
    const { client, store, errors } = setup();
    const stream = `carrier-${randomUUID()}`;
    const seen: RecordedEvent[] = [];
    const subscription = store.subscribe({}, (event) => void seen.push(event));
    const first = [newEvent(), newEvent(), newEvent()];
    await store.append({ stream, expected: 'no-stream', events: first });
    await waitFor(() => expect(seen).toHaveLength(3));
    client.dropSubscriptions();
    const later = [newEvent(), newEvent()];
    await store.append({ stream, expected: 2n, events: later });
    await waitFor(() => expect(seen).toHaveLength(5));
    subscription.close();
    expect(seen.map((event) => event.eventId)).toEqual([...first, ...later].map((event) => event.eventId));
    expect(seen.map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(errors).toEqual([]);
  });

  it('shows only carrier-, person- and ledger- streams, never its own claims or batch records', async () => {
    const { store } = setup();
    const seen: string[] = [];
    const subscription = store.subscribe({}, (event) => void seen.push(event.stream));
    const [a, b] = [`carrier-${randomUUID()}`, `person-${randomUUID()}`];
    await store.appendMany([
      { stream: a, expected: 'no-stream', events: [newEvent()] },
      { stream: b, expected: 'no-stream', events: [newEvent()] },
    ]);
    await store.append({ stream: `ledger-${randomUUID()}`, expected: 'no-stream', events: [newEvent()] });
    await waitFor(() => expect(seen).toHaveLength(3));
    subscription.close();
    expect(seen.slice(0, 2)).toEqual([a, b]);
  });

  it('gives up after the allowed number of drops in a row, reporting where it stopped', async () => {
    const { client, store, errors } = setup({ maxRetries: 3 });
    let attempts = 0;
    client.options.subscribeFailure = () => {
      attempts += 1;
      return new Error('connection refused');
    };
    store.subscribe({ after: 0n }, () => undefined);
    await waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toBeInstanceOf(SubscriptionDroppedError);
    expect(errors[0]).toMatchObject({ attempts: 4, lastDelivered: 0n, cause: new Error('connection refused') });
    expect(attempts).toBe(4);
  });

  it('counts only consecutive drops: one that delivered something starts the count again', async () => {
    const { client, store, errors } = setup({ maxRetries: 1 });
    const stream = `carrier-${randomUUID()}`;
    const seen: RecordedEvent[] = [];
    store.subscribe({}, (event) => void seen.push(event));
    for (let i = 0; i < 3; i++) {
      await store.append({ stream, expected: i === 0 ? 'no-stream' : BigInt(i - 1), events: [newEvent()] });
      await waitFor(() => expect(seen).toHaveLength(i + 1));
      client.dropSubscriptions();
    }
    await store.append({ stream, expected: 2n, events: [newEvent()] });
    await waitFor(() => expect(seen).toHaveLength(4));
    expect(errors).toEqual([]);
  });

  it('stops a subscription whose handler throws and reports the error, delivering nothing after it', async () => {
    const { client, store, errors } = setup();
    const stream = `carrier-${randomUUID()}`;
    const seen: string[] = [];
    store.subscribe({}, (event) => {
      seen.push(event.eventId);
      if (seen.length === 2) throw new Error('projection broken');
    });
    await store.append({ stream, expected: 'no-stream', events: [newEvent(), newEvent(), newEvent()] });
    await waitFor(() => expect(errors).toEqual([new Error('projection broken')]));
    await store.append({ stream, expected: 2n, events: [newEvent()] });
    expect(seen).toHaveLength(2);
    await waitFor(() => expect(client.liveSubscriptions()).toBe(0));
  });

  it('stops quietly when closed after a failed attempt, and close() of the store closes every subscription', async () => {
    const { client, store, errors } = setup();
    client.options.subscribeFailure = () => new Error('connection refused');
    const waiting = store.subscribe({}, () => undefined);
    waiting.close();
    client.options.subscribeFailure = undefined;
    store.subscribe({}, () => undefined);
    await waitFor(() => expect(client.liveSubscriptions()).toBe(1));
    await store.close();
    await waitFor(() => expect(client.liveSubscriptions()).toBe(0));
    expect(errors).toEqual([]);
  });
});
