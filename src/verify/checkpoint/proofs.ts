import { NotFound } from '../../domain/errors.js';
import type { EventStore } from '../../store/port.js';
import type { CosignRequest } from '../witness/witness.js';
import { hashToBase64 } from '../merkle/hash.js';
import type { Checkpointer } from './checkpointer.js';

/**
 * The proofs the API serves, computed from the checkpointer's log. Sizes default to the latest
 * checkpoint's; a size the ledger never signed is refused as not found (a proof against a root
 * nobody signed proves nothing).
 */

export type InclusionProof = { stream: string; revision: number; position: number; leafIndex: number; treeSize: number; hash: string; proof: string[] };

/** Proof that event `revision` of `stream` is in the checkpoint of `treeSize` (default: the latest). */
export async function inclusionProofOf(
  checkpointer: Checkpointer,
  store: EventStore,
  event: { stream: string; revision: number },
  treeSize?: number,
): Promise<InclusionProof> {
  const size = await signedSize(checkpointer, treeSize);
  const [recorded] = await store.readStream(event.stream, { fromRevision: BigInt(event.revision) });
  if (!recorded || Number(recorded.revision) !== event.revision) throw new NotFound('event', `${event.stream}@${event.revision}`);
  return checkpointer.withLog((log) => {
    const leafIndex = log.leafIndexOf(recorded.position);
    if (leafIndex === undefined || leafIndex >= size) throw new NotFound('event', `${event.stream}@${event.revision} in checkpoint ${size}`);
    return {
      stream: event.stream,
      revision: event.revision,
      position: Number(recorded.position),
      leafIndex,
      treeSize: size,
      hash: String(recorded.metadata['hash']),
      proof: log.tree.inclusionProof(leafIndex, size).map(hashToBase64),
    };
  });
}

/** Proof that the checkpoint of `second` leaves (default: the latest) extends the one of `first`. */
export async function consistencyProofOf(checkpointer: Checkpointer, first: number, second?: number): Promise<{ first: number; second: number; proof: string[] }> {
  const to = await signedSize(checkpointer, second);
  await signedSize(checkpointer, first);
  if (first > to) throw new RangeError(`a consistency proof goes from a smaller checkpoint to a larger one, not from ${first} to ${to}`);
  return checkpointer.withLog((log) => ({ first, second: to, proof: log.tree.consistencyProof(first, to).map(hashToBase64) }));
}

/** What a witness at `witnessSize` needs to cosign the ledger's latest checkpoint (a read: nothing is signed for it). */
export function cosignRequestFor(checkpointer: Checkpointer, witnessSize: number): Promise<CosignRequest> {
  return checkpointer.withCovering(() => 0, (signed, log) => {
    if (witnessSize > signed.checkpoint.size) {
      throw new RangeError(`the witness has cosigned ${witnessSize} events, more than the ${signed.checkpoint.size} the ledger has: the ledger lost events`);
    }
    return { oldSize: witnessSize, proof: log.tree.consistencyProof(witnessSize, signed.checkpoint.size).map(hashToBase64), note: signed.note };
  });
}

async function signedSize(checkpointer: Checkpointer, size: number | undefined): Promise<number> {
  const all = await checkpointer.all();
  if (size === undefined) {
    const latest = all[all.length - 1];
    if (!latest) throw new NotFound('checkpoint', 'none signed yet');
    return latest.checkpoint.size;
  }
  if (size !== 0 && !all.some((c) => c.checkpoint.size === size)) throw new NotFound('checkpoint', `of size ${size}`);
  return size;
}
