import { createVerifier, type Verifier } from '../../crypto/ed25519.js';
import { checkSignatures } from '../../ledger/signatures.js';
import type { EventStore, RecordedEvent } from '../../store/port.js';
import { prepareEvent } from '../bundle/prepared.js';
import type { LedgerLog } from './log.js';
import { isTreeStream } from './stream-name.js';

const PAGE = 2_000;

/** What the audit found wrong with one stored event: its place and a sentence. */
export type TamperedEvent = { stream: string; revision: number; position: number; problem: string };

/**
 * The events a checkpoint is about to cover for the first time (leaves `from` to `to` - 1), checked
 * as stored: each event's hash recomputed from its content must be the hash stored with it (the one
 * the tree holds), and every signature must verify over the act. Key validity and the rules were
 * judged when the act was appended; this catches rows edited in the file since. Returns the first
 * event that fails, or undefined.
 */
export async function auditNewlyCovered(
  store: EventStore,
  log: LedgerLog,
  from: number,
  to: number,
  verifier: Verifier = createVerifier(),
): Promise<TamperedEvent | undefined> {
  return (await auditStoredEvents(store, log, from, to, { verifier, limit: 1 }))[0];
}

/**
 * The same check over leaves `from` to `to` - 1, every failure listed (at most `limit`), with
 * `onProgress(checked)` after each page: `custody audit --db`.
 */
export async function auditStoredEvents(
  store: EventStore,
  log: LedgerLog,
  from: number,
  to: number,
  options: { verifier?: Verifier; limit?: number; onProgress?: (checked: number) => void } = {},
): Promise<TamperedEvent[]> {
  const verifier = options.verifier ?? createVerifier();
  const limit = options.limit ?? Infinity;
  const found: TamperedEvent[] = [];
  if (from >= to) return found;
  const first = log.positionOf(from);
  const last = log.positionOf(to - 1);
  if (first === undefined || last === undefined) return found;
  let after = BigInt(first) - 1n;
  let checked = 0;
  for (;;) {
    const page = await store.readAll({ after, limit: PAGE });
    if (page.length === 0) return found;
    for (const recorded of page) {
      after = recorded.position;
      if (Number(recorded.position) > last) return found;
      if (!isTreeStream(recorded.stream)) continue;
      checked++;
      const problem = problemOf(recorded, verifier);
      if (problem) found.push({ stream: recorded.stream, revision: Number(recorded.revision), position: Number(recorded.position), problem });
      if (found.length >= limit) return found;
    }
    options.onProgress?.(checked);
  }
}

function problemOf(recorded: RecordedEvent, verifier: Verifier): string | undefined {
  const where = { stream: recorded.stream, revision: Number(recorded.revision), position: Number(recorded.position) };
  const prepared = prepareEvent({ ...where, leafIndex: 0, type: recorded.type, data: recorded.data, metadata: recorded.metadata });
  if (!prepared.envelope || prepared.hash === undefined) return 'its content is not a signed act';
  if (prepared.hash !== recorded.metadata['hash']) return 'its content does not have the hash stored with it';
  try {
    const { missing } = checkSignatures(prepared.envelope.act, prepared.envelope.signatures, () => 'valid', verifier);
    return missing.length > 0 ? `it lacks the signature of ${missing.join(', ')}` : undefined;
  } catch (error) {
    return `a signature does not verify (${error instanceof Error ? error.message : String(error)})`;
  }
}
