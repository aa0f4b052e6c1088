import { effectiveTime } from '../../domain/signed-time.js';
import { carrierStream } from '../../domain/act.js';
import type { StoredEnvelope } from '../../domain/act.js';
import { evolveCarrier, type RecordedCarrierEvent } from '../../domain/carrier/evolve.js';
import { initialCarrierState, isRegistered, type CarrierState } from '../../domain/carrier/state.js';
import { NotFound } from '../../domain/errors.js';
import { POLICY_STREAM } from '../../domain/policy/history.js';
import { defaultPolicy } from '../../domain/policy/policy.js';
import type { IsoTime } from '../../domain/primitives.js';
import type { EventStore, RecordedEvent } from '../../store/port.js';
import type { CheckpointSource, SignedCheckpoint } from '../checkpoint/checkpointer.js';
import type { HeadsView } from '../checkpoint/heads-view.js';
import type { LedgerLog } from '../checkpoint/log.js';
import { hashToBase64 } from '../merkle/hash.js';
import { BUNDLE_FORMAT, type BundleStream, type CarrierBundle, type ProvedEvent } from './schema.js';

export type ExportOptions = {
  store: EventStore;
  /** The checkpointer (a fresh checkpoint) or a reader of recorded ones (createCheckpointReader). */
  checkpointer: CheckpointSource;
  clock?: () => IsoTime;
  /** The policy the ledger ran on before any recorded adoption (its name goes in the bundle, for replaying the rules). */
  policyName?: string;
  /** How many earlier checkpoints to include, with consistency proofs, newest first. Default: all. */
  history?: number;
  /** Tree sizes of checkpoints the reader kept (`--known`): the bundle carries the consistency proof for each it can. */
  knownSizes?: readonly number[];
};

/**
 * The bundle for one carrier, against the source's checkpoint (the checkpointer's: fresh, or the latest if nothing changed):
 * its stream, its lineage's streams, every person's stream, the policy stream (the thresholds each
 * act was judged by), each event with its inclusion proof and each stream with the proof of its head. Throws NotFound for a carrier the ledger does not have.
 */
export async function exportCarrierBundle(carrierId: string, options: ExportOptions): Promise<CarrierBundle> {
  const { store, checkpointer } = options;
  const clock = options.clock ?? (() => new Date().toISOString());
  const earlier = await checkpointer.all();
  return checkpointer.withCheckpoint(async (signed, log, heads) => {
    const size = signed.checkpoint.size;
    const provedStream = (stream: string, events: RecordedEvent[]) => proveStream(stream, events, log, heads, size);
    const carriers = await lineageOf(carrierId, store, log, size);
    if (carriers.size === 0) throw new NotFound('carrier', carrierId);
    const streams: BundleStream[] = [];
    for (const [id, events] of carriers) streams.push(provedStream(carrierStream(id), events));
    for (const stream of heads.streams().filter((s) => s.startsWith('person-') || s === POLICY_STREAM)) {
      streams.push(provedStream(stream, covered(await store.readStream(stream), log, size)));
    }
    return {
      format: BUNDLE_FORMAT,
      kind: 'carrier',
      ledgerId: checkpointer.ledgerId,
      subject: carrierId,
      exportedAt: clock(),
      policy: options.policyName ?? defaultPolicy.name,
      checkpoint: signed.note,
      history: historyFor(earlier, signed, log, options.history),
      ...consistencyFor(options.knownSizes, size, log),
      streams,
    };
  }, coveringAll(carrierId, store));
}

/** How many leaves a checkpoint must cover to hold every event of the carrier's lineage recorded so far. */
function coveringAll(carrierId: string, store: EventStore) {
  return async (log: LedgerLog): Promise<number> => {
    const lineage = await lineageOf(carrierId, store, log, Infinity);
    let needed = 0;
    for (const events of lineage.values()) {
      const last = events[events.length - 1];
      const index = last && log.leafIndexOf(last.position);
      if (index !== undefined && index + 1 > needed) needed = index + 1;
    }
    return needed;
  };
}

/** Earlier checkpoints, each with the proof that `signed` extends it. */
export function historyFor(earlier: SignedCheckpoint[], signed: SignedCheckpoint, log: LedgerLog, limit = Infinity) {
  return earlier
    .filter((c) => c.checkpoint.size < signed.checkpoint.size)
    .slice(-limit)
    .map((c) => ({
      checkpoint: c.note,
      proof: log.tree.consistencyProof(c.checkpoint.size, signed.checkpoint.size).map(hashToBase64),
    }));
}

/**
 * For each size the reader kept a checkpoint of: the proof that the checkpoint of `size` extends that
 * tree (smaller), or that it is a prefix of it (larger, when the log holds that many leaves). A size
 * the log cannot reach gets no proof: the verifier then reports a rollback, as it should.
 */
export function consistencyFor(knownSizes: readonly number[] | undefined, size: number, log: LedgerLog) {
  if (knownSizes === undefined) return {};
  const reachable = knownSizes.filter((known) => known !== size && known <= log.tree.size());
  return {
    consistency: [...new Set(reachable)].map((known) => ({
      size: known,
      proof: (known < size ? log.tree.consistencyProof(known, size) : log.tree.consistencyProof(size, known)).map(hashToBase64),
    })),
  };
}

/** The events of a stream the checkpoint covers (appends after it are left for a later bundle). */
function covered(events: RecordedEvent[], log: LedgerLog, size: number): RecordedEvent[] {
  return events.filter((e) => {
    const index = log.leafIndexOf(e.position);
    return index !== undefined && index < size;
  });
}

/** The carrier, the carriers it was copied from, and its copies (and theirs), each with its events. */
async function lineageOf(carrierId: string, store: EventStore, log: LedgerLog, size: number) {
  const found = new Map<string, RecordedEvent[]>();
  const queue = [carrierId];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (found.has(id)) continue;
    const events = covered(await store.readStream(carrierStream(id)), log, size);
    if (events.length === 0) continue;
    found.set(id, events);
    const state = foldCarrier(events);
    if (isRegistered(state)) {
      if (state.parentId !== null) queue.push(state.parentId);
      queue.push(...state.copies);
    }
  }
  return found;
}

function foldCarrier(events: RecordedEvent[]): CarrierState {
  return events.reduce((state, recorded) => {
    const { act, index, signatures } = recorded.data as unknown as StoredEnvelope;
    const event = act.events[index];
    return event ? evolveCarrier(state, { type: event.type, data: event.data, time: effectiveTime(act, signatures) } as RecordedCarrierEvent) : state;
  }, initialCarrierState());
}

function proveStream(stream: string, events: RecordedEvent[], log: LedgerLog, heads: HeadsView, size: number): BundleStream {
  const last = events[events.length - 1];
  const headProof = heads.proof(stream);
  if (!last || !headProof) throw new Error(`${stream} has no events covered by checkpoint ${size}`);
  return {
    stream,
    head: {
      index: headProof.index,
      revision: Number(last.revision),
      hash: String(last.metadata['hash']),
      proof: headProof.proof.map(hashToBase64),
    },
    events: events.map((e): ProvedEvent => {
      const leafIndex = log.leafIndexOf(e.position)!;
      return {
        stream: e.stream,
        revision: Number(e.revision),
        position: Number(e.position),
        leafIndex,
        type: e.type,
        data: e.data,
        metadata: e.metadata,
        proof: log.tree.inclusionProof(leafIndex, size).map(hashToBase64),
      };
    }),
  };
}
