/**
 * The EventStoreDB event store: the port over @eventstore/db-client v6, for deployments that run
 * several stateless API nodes on one EventStoreDB cluster. Same contract as SQLite (the suite in
 * test/store/contract.ts runs against it), with these EventStoreDB-specific choices:
 *
 * - Every append states its expectation exactly (NO_STREAM or the revision); never ANY.
 * - Event ids are claimed store-wide before they are written (eventstoredb/appending.ts).
 * - appendMany records the batch as one event, then fans it out (eventstoredb/batch.ts): all or
 *   nothing, except for a conflicting write that lands inside the fan-out window, which is
 *   detected, recorded and reported as BatchPartiallyAppliedError.
 * - Positions are commit positions in the transaction log: strictly increasing, with gaps.
 * - readAll, headPosition and subscribe show `carrier-`, `person-` and `ledger-` streams only.
 */
import type { EventStore, Subscription } from './port.js';
import { appendOne } from './eventstoredb/appending.js';
import { appendBatch } from './eventstoredb/batch-run.js';
import { connectEventStoreDb, type EsdbClient } from './eventstoredb/client.js';
import { readAllEvents, readHeadPosition, readStreamEvents } from './eventstoredb/reading.js';
import { createBatchRecovery, type BatchRecoveryReport } from './eventstoredb/recovery.js';
import { prepareRequests } from './eventstoredb/requests.js';
import { createResilientSubscription, DEFAULT_RESUBSCRIBE, type ResubscribePolicy } from './eventstoredb/subscription.js';

export type { EsdbClient } from './eventstoredb/client.js';
export type { BatchRecoveryReport } from './eventstoredb/recovery.js';
export { BatchPartiallyAppliedError } from './eventstoredb/errors.js';
export { SubscriptionDroppedError } from './eventstoredb/subscription.js';

export type EventStoreDbStoreOptions = ({ connectionString: string } | { client: EsdbClient }) & {
  /** Milliseconds since the epoch; batch records are stamped with it and recovery's grace is measured by it. */
  now?: () => number;
  /** How long an unsettled batch is left to its writer before recovery completes it. Default 30 s. */
  batchGraceMs?: number;
  /** How often recovery runs in the background; 0 turns it off (it still runs before the first write). Default 60 s. */
  recoveryIntervalMs?: number;
  resubscribe?: Partial<ResubscribePolicy>;
  /** Errors with no caller to return to: a subscription that gave up or whose handler threw, a failed background recovery. */
  onError?: (error: unknown) => void;
};

export type EventStoreDbStore = EventStore & {
  /** Completes batches whose writer stopped mid-fan-out; runs before the first write and every recoveryIntervalMs. */
  completePendingBatches(): Promise<BatchRecoveryReport>;
};

export function createEventStoreDbStore(options: EventStoreDbStoreOptions): EventStoreDbStore {
  const ownsClient = 'connectionString' in options;
  const client = ownsClient ? connectEventStoreDb(options.connectionString) : options.client;
  const now = options.now ?? Date.now;
  // Like the SQLite pump: an error nobody awaits is made loud (an unhandled rejection), never swallowed.
  const onError = options.onError ?? ((error: unknown) => void Promise.reject(error));
  const policy = { ...DEFAULT_RESUBSCRIBE, ...options.resubscribe };
  const recovery = createBatchRecovery(client, { now, graceMs: options.batchGraceMs ?? 30_000 });
  const subscriptions = new Set<Subscription>();
  let recovered: Promise<unknown> | undefined;
  let closed = false;

  const intervalMs = options.recoveryIntervalMs ?? 60_000;
  const timer = intervalMs > 0 ? setInterval(() => void recovery.completePendingBatches().catch(onError), intervalMs) : undefined;
  timer?.unref();

  /** Before this process's first write, batches left unfinished by a crash are completed. */
  async function beforeWrite(): Promise<void> {
    if (closed) throw new Error('EventStoreDB event store is closed');
    recovered ??= recovery.completePendingBatches().catch((error: unknown) => {
      recovered = undefined; // the next write tries again
      throw error;
    });
    await recovered;
  }

  return {
    async append(request) {
      const [prepared] = prepareRequests([request]);
      await beforeWrite();
      return appendOne(client, prepared!);
    },
    async appendMany(requests) {
      const prepared = prepareRequests(requests);
      await beforeWrite();
      return appendBatch(client, prepared, now);
    },
    readStream: async (stream, readOptions) => readStreamEvents(client, stream, { fromRevision: readOptions?.fromRevision ?? 0n }),
    readAll: async (readOptions) => readAllEvents(client, readOptions?.after ?? 0n, checkedLimit(readOptions?.limit)),
    headPosition: async () => readHeadPosition(client),
    subscribe(subscribeOptions, onEvent): Subscription {
      if (closed) return { close: () => undefined };
      const subscription = createResilientSubscription(client, subscribeOptions.after ?? 0n, onEvent, {
        policy,
        onError,
        onStop: () => subscriptions.delete(subscription),
      });
      subscriptions.add(subscription);
      return subscription;
    },
    completePendingBatches: () => recovery.completePendingBatches(),
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      for (const subscription of [...subscriptions]) subscription.close();
      if (ownsClient) await client.dispose();
    },
  };
}

function checkedLimit(limit: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`readAll limit must be a non-negative integer, got ${limit}`);
  return limit;
}
