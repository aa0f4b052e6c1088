/**
 * Running a batch against the server: appendMany, and the fan-out that the writer, a retry and
 * recovery all share. The rules and the guarantee are described in batch.ts.
 */
import { randomUUID } from 'node:crypto';
import { NO_STREAM } from '@eventstore/db-client';
import { StoreIntegrityError, type AppendResult, type RecordedEvent } from '../port.js';
import { claimEventIds, locateInStream, retryOutcome, writeRequest } from './appending.js';
import {
  BATCH_RECORDED,
  BATCH_SETTLED,
  batchIdFor,
  batchRecordData,
  classifyStream,
  isPast,
  parseBatchRecord,
  settlementData,
  settlementFor,
  settlementOutcome,
  type Batch,
  type Settlement,
  type StreamState,
} from './batch.js';
import type { EsdbClient } from './client.js';
import { BatchPartiallyAppliedError, isWrongExpectedVersion } from './errors.js';
import { readHead, readStreamEvents } from './reading.js';
import type { PreparedRequest } from './requests.js';
import { internalEventData } from './serde.js';
import { batchStreamOf } from './streams.js';

/** appendMany(): claim every id, answer a retry, check every expectation, record the batch, fan it out. */
export async function appendBatch(client: EsdbClient, requests: PreparedRequest[], now: () => number): Promise<AppendResult[]> {
  const claims = await claimEventIds(client, requests);
  const batchId = batchIdFor(requests);
  if ([...claims.values()].includes('existing')) {
    const recorded = await readBatchStream(client, batchId);
    // Recorded before: the fan-out decides, and answers a completed batch with its original results.
    if (recorded.record) return runBatch(client, parseBatchRecord(recorded.record));
    const retries = await Promise.all(requests.map(async (request) => retryOutcome(request, await locateInStream(client, request))));
    if (retries.every((retry) => retry.stored)) return retries.map((retry) => (retry as { result: AppendResult }).result);
    // Some requests stored and some not, with no batch record: refused, as the other adapters refuse a mixed retry.
    if (retries.some((retry) => retry.stored)) throw new StoreIntegrityError('appendMany mixes requests that are already stored with requests that are not');
  }
  const batch: Batch = { batchId, recordedAt: new Date(now()).toISOString(), requests };
  // First check: a batch that is already stale is refused before anything is recorded.
  const conflict = (await inspectAll(client, requests)).find((state) => state.kind === 'conflict');
  if (conflict?.kind === 'conflict') throw conflict.conflict;
  try {
    await client.appendToStream(batchStreamOf(batchId), [internalEventData(batchId, BATCH_RECORDED, batchRecordData(batch))], {
      expectedRevision: NO_STREAM,
    });
  } catch (error) {
    // Already recorded by a concurrent twin of this very batch (same id, same content): fan out alongside it.
    if (!isWrongExpectedVersion(error)) throw error;
  }
  return runBatch(client, batch);
}

/**
 * Fans a recorded batch out and settles it. Second check: every stream is inspected again; a
 * conflict found before anything is written aborts cleanly. Then each pending stream is written in
 * request order; a conflict met there after an earlier stream was written is the one window where
 * R-BATCH-1 cannot hold, and it is recorded as such.
 */
export async function runBatch(client: EsdbClient, batch: Batch): Promise<AppendResult[]> {
  const states = await inspectAll(client, batch.requests);
  const early = settlementFor(batch, states);
  if (early) return settleAndThrow(client, batch, early);
  const results: AppendResult[] = [];
  for (const [i, request] of batch.requests.entries()) {
    const state = states[i]!;
    if (state.kind === 'done') {
      results.push(state.result);
      continue;
    }
    const outcome = await writeRequest(client, request);
    if (!outcome.ok) {
      states[i] = { kind: 'conflict', conflict: outcome.conflict };
      return settleAndThrow(client, batch, settlementFor(batch, states)!);
    }
    states[i] = { kind: 'done', result: outcome.result };
    results.push(outcome.result);
  }
  await settle(client, batch.batchId, { outcome: 'completed' });
  return results;
}

async function settleAndThrow(client: EsdbClient, batch: Batch, settlement: Settlement): Promise<never> {
  await settle(client, batch.batchId, settlement);
  if (settlement.outcome === 'partial') throw new BatchPartiallyAppliedError(batch.batchId, settlement.written, settlement.conflict);
  if (settlement.outcome === 'aborted') throw settlement.conflict;
  throw new Error(`batch ${batch.batchId} settled as completed but reported as failed`);
}

/** Every stream's state, read in parallel. */
async function inspectAll(client: EsdbClient, requests: PreparedRequest[]): Promise<StreamState[]> {
  return Promise.all(
    requests.map(async (request) => {
      const { head } = await readHead(client, request.stream);
      if (!isPast(head, request.expected)) return classifyStream(request, head, []);
      const from = request.expected === 'no-stream' ? 0n : request.expected + 1n;
      const following = await readStreamEvents(client, request.stream, { fromRevision: from, maxCount: BigInt(request.events.length) });
      return classifyStream(request, head, following);
    }),
  );
}

/**
 * Records how the batch ended. A settlement is bookkeeping: if it cannot be written now (the server
 * is unreachable), the batch stays unsettled and recovery, which reaches the same outcome, settles it.
 * If another runner settled it differently first (they raced across the fan-out window), ours is
 * appended after theirs so the record shows both.
 */
async function settle(client: EsdbClient, batchId: string, settlement: Settlement): Promise<void> {
  const stream = batchStreamOf(batchId);
  const event = () => internalEventData(randomUUID(), BATCH_SETTLED, settlementData(batchId, settlement));
  try {
    await client.appendToStream(stream, [event()], { expectedRevision: 0n });
  } catch (error) {
    if (!isWrongExpectedVersion(error)) return;
    const settlements = (await readBatchStream(client, batchId)).settlements;
    const last = settlements.at(-1);
    if (last === undefined || settlementOutcome(last) === settlement.outcome) return;
    await client.appendToStream(stream, [event()], { expectedRevision: last.revision }).catch(() => undefined);
  }
}

export async function readBatchStream(client: EsdbClient, batchId: string): Promise<{ record?: RecordedEvent; settlements: RecordedEvent[] }> {
  const [record, ...settlements] = await readStreamEvents(client, batchStreamOf(batchId));
  return record ? { record, settlements } : { settlements };
}
