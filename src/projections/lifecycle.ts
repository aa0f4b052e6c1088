import type { Carrier } from '../domain/carrier/state.js';
import type { EventStore, RecordedEvent } from '../store/port.js';
import { createInterner, decodeRecorded } from './facts.js';
import { applyFact, type Models } from './models.js';

/** The projections did not reach a position in time: the client may retry, or read without its own write. */
export class ProjectionLag extends Error {
  override readonly name = 'ProjectionLag';
  constructor(
    readonly position: bigint,
    readonly waitedFor: bigint,
    timeoutMs: number,
  ) {
    super(`the projections are at position ${position}, still short of ${waitedFor} after ${timeoutMs} ms`);
  }
}

type Waiter = { target: bigint; resolve: () => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

/**
 * Handed every event the rebuild reads, in order, so another model can fold from the same pass;
 * with a carrier event, also the carrier's state the read models folded from it (the domain's own
 * `evolveCarrier`), which the write model takes rather than fold the event again.
 */
export type AlsoRebuild = (recorded: RecordedEvent, carrier: Carrier | undefined) => void;

/** How far a rebuild has read: positions, which count events in SQLite and are commit positions in EventStoreDB. */
export type RebuildProgress = { position: bigint; head: bigint };

export type FeedOptions = {
  pageSize: number;
  alsoRebuild?: AlsoRebuild;
  onProgress?: (progress: RebuildProgress) => void;
};

/**
 * Feeds the models from the store: first every stored event, page by page (the rebuild), then each
 * new one as it is appended (the subscription), from the position it has reached, so nothing is
 * applied twice or skipped. A fact that cannot be applied stops the feed: queries then fail loudly
 * rather than answer from a model that silently stopped moving.
 */
export async function startFeed(store: EventStore, models: Models, { pageSize, alsoRebuild, onProgress }: FeedOptions) {
  let position = 0n;
  let seq = 0;
  let failure: Error | null = null;
  let closed = false;
  const waiters = new Set<Waiter>();
  const shared = createInterner();

  /** The carrier's state after the event, when it is a carrier event the models folded. */
  const apply = (recorded: RecordedEvent): Carrier | undefined => {
    if (recorded.position <= position) return undefined;
    const carrier = applyFact(models, decodeRecorded(recorded, ++seq, shared));
    position = recorded.position;
    return carrier;
  };

  const head = onProgress ? await store.headPosition() : 0n;
  let page = await store.readAll({ limit: pageSize });
  while (page.length > 0) {
    for (const recorded of page) {
      // Applied first, whether or not anyone else folds: `alsoRebuild?.(…, apply(…))` would skip it.
      const carrier = apply(recorded);
      alsoRebuild?.(recorded, carrier);
    }
    onProgress?.({ position, head });
    page = await store.readAll({ after: position, limit: pageSize });
  }

  const settle = () => {
    for (const waiter of waiters) {
      if (failure) waiter.reject(failure);
      else if (position >= waiter.target) waiter.resolve();
      else continue;
      clearTimeout(waiter.timer);
      waiters.delete(waiter);
    }
  };

  const subscription = store.subscribe({ after: position }, (recorded) => {
    if (failure) return;
    try {
      apply(recorded);
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      subscription.close();
    }
    if (waiters.size > 0) settle();
  });

  return {
    get position() {
      return position;
    },
    /** The error that stopped the feed, if one did. */
    get failure() {
      return failure;
    },
    waitFor(target: bigint, timeoutMs: number): Promise<void> {
      if (failure) return Promise.reject(failure);
      if (position >= target) return Promise.resolve();
      if (closed) return Promise.reject(new Error('the projections were closed: they follow the log no more'));
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          target,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            reject(new ProjectionLag(position, target, timeoutMs));
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    close(): void {
      closed = true;
      subscription.close();
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error('the projections were closed'));
      }
      waiters.clear();
    },
  };
}
