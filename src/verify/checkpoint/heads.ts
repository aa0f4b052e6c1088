import { utf8 } from '../../domain/canonical.js';
import { leafHash } from '../merkle/hash.js';
import { createMerkleTree } from '../merkle/tree.js';

/**
 * The stream-heads tree: one leaf per stream, in the order streams first appear in the global log,
 * holding the stream's last revision and event hash. A checkpoint commits to its root, so a bundle
 * holding one carrier can prove its copy of the stream is the whole stream (nothing dropped from the
 * tail) with one inclusion proof, without carrying the rest of the ledger.
 *
 * Leaf data: "custody-ledger/head/v1\n<stream>\n<revision>\n<hex event hash>" (hashed as an RFC 6962
 * leaf). Leaves change in place as streams grow; the tree recomputes only what changed.
 */
export const HEAD_DOMAIN = 'custody-ledger/head/v1';

export type StreamHead = { stream: string; revision: number; hash: string };

export const headLeaf = (head: StreamHead): Uint8Array =>
  leafHash(utf8(`${HEAD_DOMAIN}\n${head.stream}\n${head.revision}\n${head.hash}`));

/** The leaves of a heads tree at one moment: enough to rebuild it and prove any head in it. */
export type HeadsSnapshot = { count: number; leaves: Buffer };

export type HeadsTree = ReturnType<typeof createHeadsTree>;

export function createHeadsTree() {
  const tree = createMerkleTree();
  const indexOf = new Map<string, number>();
  /**
   * Heads recorded since the tree was last read: a log of a million events moves its streams' heads
   * a million times, and only the last head of each stream before a read needs its leaf hashed.
   */
  let pending = new Map<string, StreamHead>();

  /** Hashes the pending heads into the tree: new streams appended in the order they appeared. */
  const settle = (): void => {
    if (pending.size === 0) return;
    const changed = [...pending.values()].map((head) => ({ head, index: indexOf.get(head.stream)! })).sort((a, b) => a.index - b.index);
    pending = new Map();
    for (const { head, index } of changed) {
      if (index < tree.size()) tree.set(index, headLeaf(head));
      else tree.append(headLeaf(head));
    }
  };

  return {
    count: (): number => indexOf.size,
    root: (): Uint8Array => {
      settle();
      return tree.root();
    },
    indexOf: (stream: string): number | undefined => indexOf.get(stream),
    /** Every stream, in the order they first appeared. */
    streams: (): string[] => [...indexOf.keys()],

    /** Records that `stream` now ends at `revision` with `hash` (the object is kept as given); a new stream gets the next leaf. */
    update(head: StreamHead): void {
      if (!indexOf.has(head.stream)) indexOf.set(head.stream, indexOf.size);
      pending.set(head.stream, head);
    },

    snapshot(): HeadsSnapshot {
      settle();
      const count = tree.size();
      const leaves = Buffer.alloc(count * 32);
      for (let i = 0; i < count; i++) leaves.set(tree.leaf(i), i * 32);
      return { count, leaves };
    },

    /** Inclusion proof of a stream's current head leaf. */
    proof(stream: string): { index: number; proof: Uint8Array[] } | undefined {
      settle();
      const index = indexOf.get(stream);
      return index === undefined ? undefined : { index, proof: tree.inclusionProof(index) };
    },
  };
}

/** Rebuilds a snapshot's tree: its root, and proofs for any leaf of it. */
export function treeOfSnapshot(snapshot: HeadsSnapshot) {
  const tree = createMerkleTree();
  for (let i = 0; i < snapshot.count; i++) tree.append(snapshot.leaves.subarray(i * 32, (i + 1) * 32));
  return tree;
}
