/**
 * subscribe() over subscribeToAll: filtered to our streams on the server, resumed after the last
 * delivered position when the subscription drops (with exponential backoff, a bounded number of
 * times in a row), delivering in $all order, one event at a time, never twice.
 */
import type { RecordedEvent, Subscription } from '../port.js';
import type { EsdbClient, EsdbSubscription } from './client.js';
import { fromPositionAfter } from './mapping.js';
import { fromResolved } from './serde.js';
import { isPortStream, portStreamFilter } from './streams.js';

export type ResubscribePolicy = {
  /** Consecutive drops without a delivered event before giving up. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
};

export const DEFAULT_RESUBSCRIBE: ResubscribePolicy = { maxRetries: 8, baseDelayMs: 100, maxDelayMs: 5_000 };

/** Delay before resubscription attempt `attempt` (0-based): doubling from the base, capped. */
export function resubscribeDelay(attempt: number, policy: ResubscribePolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
}

/**
 * Whether an event goes to the handler: only if it is past everything delivered so far. This is what
 * makes resuming safe whether the server replays the resume position itself or not.
 */
export const shouldDeliver = (position: bigint, lastDelivered: bigint): boolean => position > lastDelivered;

/** Raised to the error handler when the subscription gives up after `maxRetries` drops in a row. */
export class SubscriptionDroppedError extends Error {
  override readonly name = 'SubscriptionDroppedError';
  constructor(
    readonly lastDelivered: bigint,
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(`subscription to EventStoreDB dropped ${attempts} times in a row after position ${lastDelivered}; giving up`);
  }
}

type Failure = { kind: 'handler' | 'dropped'; error: unknown };

export function createResilientSubscription(
  client: EsdbClient,
  after: bigint,
  onEvent: (event: RecordedEvent) => void | Promise<void>,
  options: { policy: ResubscribePolicy; onError: (error: unknown) => void; onStop: () => void },
): Subscription {
  let lastDelivered = after;
  let closed = false;
  let current: EsdbSubscription | undefined;
  let wakeSleeper: (() => void) | undefined;

  /** One subscription, until it ends: whether it delivered anything, and why it ended unless closed. */
  async function follow(): Promise<{ progressed: boolean; failure?: Failure }> {
    let progressed = false;
    try {
      current = client.subscribeToAll({ fromPosition: fromPositionAfter(lastDelivered), filter: portStreamFilter() });
      for await (const resolved of current) {
        if (closed) return { progressed };
        if (!resolved.event || !isPortStream(resolved.event.streamId)) continue;
        let event: RecordedEvent;
        try {
          event = fromResolved(resolved);
          if (!shouldDeliver(event.position, lastDelivered)) continue;
          await onEvent(event);
        } catch (error) {
          return { progressed, failure: { kind: 'handler', error } };
        }
        lastDelivered = event.position;
        progressed = true;
      }
    } catch (error) {
      return { progressed, failure: { kind: 'dropped', error } };
    }
    // The server ended a subscription nobody closed: as good as a drop, resume after the last event.
    return { progressed, failure: { kind: 'dropped', error: new Error('the server ended the subscription') } };
  }

  async function loop(): Promise<void> {
    let failures = 0;
    while (!closed) {
      const { progressed, failure } = await follow();
      if (closed || failure === undefined) break;
      // A handler that throws (or an event that cannot be read) stops the subscription, as in the
      // other adapters: skipping the event would break the order, retrying it could loop forever.
      if (failure.kind === 'handler') return stop(failure.error);
      failures = progressed ? 1 : failures + 1;
      if (failures > options.policy.maxRetries) return stop(new SubscriptionDroppedError(lastDelivered, failures, failure.error));
      await sleep(resubscribeDelay(failures - 1, options.policy));
    }
    stop(undefined);
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeSleeper = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  function stop(error: unknown): void {
    close();
    if (error !== undefined) options.onError(error);
  }

  function close(): void {
    if (closed) return;
    closed = true;
    wakeSleeper?.();
    void current?.unsubscribe().catch(() => undefined);
    options.onStop();
  }

  void loop();
  return { close };
}
