/**
 * Completing batches whose writer stopped between recording them and settling them (a crash, a
 * lost connection). Recovery reads $all from where it last stopped, keeps every batch recorded but
 * not settled, and runs the fan-out for those older than a grace period — the same deterministic,
 * idempotent fan-out the writer runs, so a batch that is in fact still being written by its writer
 * comes to the same end.
 */
import { ConcurrencyError, type RecordedEvent } from '../port.js';
import { BATCH_RECORDED, isDue, parseBatchRecord, type Batch } from './batch.js';
import { runBatch } from './batch-run.js';
import type { EsdbClient } from './client.js';
import { BatchPartiallyAppliedError } from './errors.js';
import { scanAll } from './reading.js';
import { fromResolved } from './serde.js';
import { batchIdOf } from './streams.js';

export type BatchRecoveryReport = {
  /** Settled now as completed, aborted, or partial (R-BATCH-1 broken, see the batch stream). */
  completed: string[];
  aborted: string[];
  partial: string[];
  /** Unsettled but recorded less than the grace period ago: left to their writer, retried next run. */
  deferred: string[];
  /** Could not be run now (server unreachable...): retried next run. */
  failed: Array<{ batchId: string; error: unknown }>;
};

/** Folds batch-stream events into the set of unsettled batches: a record adds one, any later event settles it. */
export function trackBatchEvent(pending: Map<string, Batch>, recorded: RecordedEvent): void {
  const batchId = batchIdOf(recorded.stream);
  if (batchId === undefined) return;
  if (recorded.revision === 0n && recorded.type === BATCH_RECORDED) pending.set(batchId, parseBatchRecord(recorded));
  else pending.delete(batchId);
}

export function createBatchRecovery(client: EsdbClient, options: { now: () => number; graceMs: number }) {
  const pending = new Map<string, Batch>();
  let scannedTo = 0n;
  let running: Promise<BatchRecoveryReport> | undefined;

  async function run(): Promise<BatchRecoveryReport> {
    await scanAll(client, scannedTo, (resolved, position) => {
      scannedTo = position;
      if (resolved.event && batchIdOf(resolved.event.streamId) !== undefined) trackBatchEvent(pending, fromResolved(resolved));
      return true;
    });
    const report: BatchRecoveryReport = { completed: [], aborted: [], partial: [], deferred: [], failed: [] };
    for (const [batchId, batch] of pending) {
      if (!isDue(batch, options.now(), options.graceMs)) {
        report.deferred.push(batchId);
        continue;
      }
      try {
        await runBatch(client, batch);
        report.completed.push(batchId);
      } catch (error) {
        if (error instanceof BatchPartiallyAppliedError) report.partial.push(batchId);
        else if (error instanceof ConcurrencyError) report.aborted.push(batchId);
        else {
          report.failed.push({ batchId, error });
          continue;
        }
      }
      pending.delete(batchId);
    }
    return report;
  }

  return {
    /** One run at a time: a call while a run is going joins it. */
    completePendingBatches(): Promise<BatchRecoveryReport> {
      running ??= run().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}
