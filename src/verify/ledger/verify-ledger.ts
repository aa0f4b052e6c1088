import { availableParallelism } from 'node:os';
import type { JsonObject, RecordedEvent } from '../../store/port.js';
import { CHECKPOINT_STREAM, foldCheckpointStream } from '../checkpoint/stream.js';
import { verifySignedCheckpoint, type CheckpointTrust } from '../checkpoint/verify-checkpoint.js';
import { issue, type Issue, type VerificationReport } from '../issues.js';
import { hashesEqual } from '../merkle/hash.js';
import type { ChunkResult } from './check-chunk.js';
import { runChunks } from './pool.js';
import { openLedgerFile, type Row } from './source.js';
import { createStitcher, type CheckpointToMatch } from './stitch.js';

export type LedgerProgress = { events: number; total: number };

export type VerifyLedgerOptions = CheckpointTrust & {
  /** Worker threads; default: every core. */
  workers?: number;
  /** Events per chunk of work (about); default 2000. */
  chunkSize?: number;
  onProgress?: (progress: LedgerProgress) => void;
};

/**
 * Verifies a whole ledger file, in parallel on worker threads: every event's shape, hash, chain link
 * and signatures (keys valid at the act's time, revocations applied), the tree rebuilt from the
 * recomputed hashes against every checkpoint recorded in `ledger-checkpoints` (root and stream heads),
 * and the latest checkpoint against the keys the caller trusts (with the witness quorum).
 * Nothing in the file is trusted. The rules are not replayed here (verify a ledger bundle for that).
 */
export async function verifyLedgerFile(path: string, options: VerifyLedgerOptions): Promise<VerificationReport> {
  const file = openLedgerFile(path);
  let bounds: { first: number; last: number };
  let personRows: Row[];
  let checkpointRows: Row[];
  try {
    bounds = file.bounds();
    personRows = file.personRows();
    checkpointRows = file.stream(CHECKPOINT_STREAM);
  } finally {
    file.close();
  }
  const { issues, notices, toMatch, witnesses, ledgerId } = checkRecordedCheckpoints(checkpointRows, options);
  const stitcher = createStitcher(toMatch);
  const chunkIssues: Issue[] = [];
  let signatures = 0;
  let preparedTimeEvents = 0;
  const workers = Math.max(1, options.workers ?? availableParallelism());
  const chunks = chunksOf(bounds, options.chunkSize ?? 2_000, workers);
  // Positions are dense in a file the store wrote; rows deleted from it only make this too high (the report counts what is there).
  const total = (bounds.last === 0 ? 0 : bounds.last - bounds.first + 1) - checkpointRows.length;
  const arrived = new Map<number, ChunkResult>();
  let next = 0;
  await runChunks({ path, personRows, ledgerId }, chunks, workers, ({ chunk, result }) => {
    arrived.set(chunk, result);
    for (let ready = arrived.get(next); ready; ready = arrived.get(next)) {
      arrived.delete(next++);
      stitcher.add(ready);
      chunkIssues.push(...ready.issues);
      signatures += ready.signatures;
      preparedTimeEvents += ready.preparedTimeEvents;
      options.onProgress?.({ events: stitcher.size(), total });
    }
  });
  stitcher.finish();
  const latest = toMatch[toMatch.length - 1]?.checkpoint;
  const uncovered = stitcher.size() - (latest?.size ?? 0);
  if (uncovered > 0) notices.push(issue('unverified-tail', `the last ${uncovered} events come after the latest checkpoint: they are checked, but no checkpoint vouches for them yet`));
  if (preparedTimeEvents > 0) {
    notices.push(issue('prepared-time', `${preparedTimeEvents} events carry signatures without their signer's time (v1, an older ledger): their acts take effect at their prepared time`));
  }
  const all = [...issues, ...chunkIssues.sort((a, b) => (a.position ?? 0) - (b.position ?? 0)), ...stitcher.issues];
  return {
    ok: all.length === 0,
    issues: all,
    notices,
    summary: { events: stitcher.size(), streams: stitcher.streams(), signatures, checkpointSize: latest?.size ?? null, witnesses },
  };
}

/** The recorded checkpoints: the stream's own chain, signatures by trusted keys, forks, and which to match the rebuilt tree against. */
function checkRecordedCheckpoints(rows: readonly Row[], trust: CheckpointTrust) {
  const issues: Issue[] = [];
  const notices: Issue[] = [];
  const stream = foldCheckpointStream(rows.map(toRecorded));
  for (const problem of stream.problems) {
    issues.push(issue('broken-link', problem.message, { position: problem.position, stream: CHECKPOINT_STREAM, revision: problem.revision }));
  }
  const toMatch: CheckpointToMatch[] = [];
  let witnesses: string[] = [];
  let ledgerId: string | null = null;
  stream.checkpoints.forEach((recorded, i) => {
    const isLatest = i === stream.checkpoints.length - 1;
    const label = `checkpoint at ${CHECKPOINT_STREAM}@${recorded.revision}`;
    const note = recorded.note + recorded.cosignatures.map((line) => `${line}\n`).join('');
    const checked = verifySignedCheckpoint(note, isLatest ? trust : { trustedLedgerKeys: trust.trustedLedgerKeys, quorum: 0 }, { what: label });
    const where = { position: recorded.position, stream: CHECKPOINT_STREAM, revision: recorded.revision };
    issues.push(...checked.issues.map((found) => ({ ...found, ...where })));
    if (!checked.checkpoint) return;
    const same = toMatch.find((m) => m.checkpoint.size === checked.checkpoint!.size);
    if (same && !hashesEqual(same.checkpoint.root, checked.checkpoint.root)) {
      issues.push(issue('fork', `fork: ${label} and ${same.label} both have size ${same.checkpoint.size} but different roots`, where));
    }
    toMatch.push({ checkpoint: checked.checkpoint, label });
    if (isLatest) {
      witnesses = checked.witnesses;
      ledgerId = checked.checkpoint.origin;
    }
  });
  if (stream.checkpoints.length === 0) {
    issues.push(issue('untrusted-checkpoint', 'the ledger has no checkpoint: nothing ties its events to a key you trust'));
  }
  notices.push(issue('not-replayed', 'the rules are not replayed when verifying a ledger file; export a ledger bundle and verify it to replay them'));
  return { issues, notices, toMatch, witnesses, ledgerId };
}

function toRecorded(row: Row): RecordedEvent {
  const parse = (text: string): JsonObject => {
    try {
      return JSON.parse(text) as JsonObject;
    } catch {
      return {};
    }
  };
  return { eventId: '', stream: row.stream, revision: BigInt(row.revision), position: BigInt(row.position), type: row.type, data: parse(row.data), metadata: parse(row.metadata) };
}

/** Position ranges of about `chunkSize` events, and enough per worker that none sits idle while another finishes its last. */
function chunksOf(bounds: { first: number; last: number }, chunkSize: number, workers: number) {
  if (bounds.last === 0) return [];
  const start = bounds.first - 1;
  const count = Math.max(workers * 16, Math.ceil((bounds.last - start) / chunkSize));
  const span = Math.max(1, Math.ceil((bounds.last - start) / count));
  const chunks: Array<{ after: number; upTo: number }> = [];
  for (let after = start; after < bounds.last; after += span) chunks.push({ after, upTo: Math.min(bounds.last, after + span) });
  return chunks;
}
