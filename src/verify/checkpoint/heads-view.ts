import type { MerkleTree } from '../merkle/tree.js';
import { treeOfSnapshot, type HeadsTree } from './heads.js';

/** What an export needs of the heads tree at a checkpoint's size: its streams and a proof per head. */
export type HeadsView = Pick<HeadsTree, 'streams' | 'proof'>;

/**
 * The heads tree as it is now, kept for later: the log moves on after a checkpoint, and bundles
 * against that checkpoint still need its heads. The leaves are copied at once (a memory copy); the
 * tree over them is hashed only if a bundle asks.
 */
export function frozenHeads(live: HeadsTree): HeadsView {
  const snapshot = live.snapshot();
  const streams = live.streams();
  let index: Map<string, number> | undefined;
  let tree: MerkleTree | undefined;
  return {
    streams: () => [...streams],
    proof(stream: string) {
      index ??= new Map(streams.map((s, i) => [s, i]));
      tree ??= treeOfSnapshot(snapshot);
      const at = index.get(stream);
      return at === undefined ? undefined : { index: at, proof: tree.inclusionProof(at) };
    },
  };
}
