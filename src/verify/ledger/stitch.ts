import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { createHeadsTree } from '../checkpoint/heads.js';
import { issue, missingRevisions, type Issue } from '../issues.js';
import { EMPTY_ROOT, hashesEqual, HASH_BYTES, hashToBase64 } from '../merkle/hash.js';
import { createMerkleTree } from '../merkle/tree.js';
import type { ChunkResult } from './check-chunk.js';

/** A recorded checkpoint to hold the rebuilt log against, named for the report. */
export type CheckpointToMatch = { checkpoint: Checkpoint; label: string };

/**
 * Puts checked chunks back in global order: links each stream's first event in a chunk to the
 * stream's last event in the chunks before, rebuilds the Merkle tree from the recomputed hashes, and
 * as the tree reaches each recorded checkpoint's size, compares its root, and the stream heads with
 * the checkpoint's heads root. Chunks must be added in order.
 */
export function createStitcher(checkpoints: readonly CheckpointToMatch[]) {
  const tree = createMerkleTree();
  const headsTree = createHeadsTree();
  /** Each stream's last event so far: what the next chunk's first event of it must link to. */
  const heads = new Map<string, { revision: number; hash: string }>();
  const pending = [...checkpoints].sort((a, b) => a.checkpoint.size - b.checkpoint.size);
  const issues: Issue[] = [];

  const matchCheckpoints = () => {
    while (pending[0] && pending[0].checkpoint.size === tree.size()) {
      const { checkpoint, label } = pending.shift()!;
      const root = tree.size() === 0 ? EMPTY_ROOT : tree.root();
      if (!hashesEqual(root, checkpoint.root)) {
        issues.push(
          issue('root-mismatch', `the first ${checkpoint.size} events do not have the root of ${label} (${hashToBase64(checkpoint.root)}): an event before it was changed, dropped, added or moved`),
        );
      }
      if (headsTree.count() !== checkpoint.heads.count || !hashesEqual(headsTree.root(), checkpoint.heads.root)) {
        issues.push(issue('heads-mismatch', `the stream heads after ${checkpoint.size} events are not those ${label} commits to (${checkpoint.heads.count} streams; here ${headsTree.count()})`));
      }
    }
  };
  matchCheckpoints();

  return {
    issues,
    size: () => tree.size(),
    streams: () => heads.size,

    add(chunk: ChunkResult): void {
      // Each stream's first event in the chunk links to the stream's head before the chunk.
      for (const { stream: s, event: i, prevHash } of chunk.firsts) {
        const stream = chunk.streams[s]!;
        const revision = chunk.revisions[i]!;
        const at = { position: chunk.positions[i]!, stream, revision };
        const head = heads.get(stream);
        const expected = head ? head.revision + 1 : 0;
        if (revision !== expected) issues.push(issue('missing-events', `${missingRevisions(stream, expected, revision - 1)} before this event`, at));
        if (prevHash !== undefined && prevHash !== (head?.hash ?? null)) issues.push(issue('broken-link', 'it does not link to the hash of the event before it', at));
      }
      // Then the leaves, and the heads only as of each checkpoint inside the chunk and of its end:
      // a head's hash is read once per stream and stretch, not once per event.
      const lastOf = new Int32Array(chunk.streams.length).fill(-1);
      let from = 0;
      while (from < chunk.count) {
        const untilCheckpoint = pending[0] ? Math.max(1, pending[0].checkpoint.size - tree.size()) : chunk.count;
        const upTo = Math.min(chunk.count, from + untilCheckpoint);
        for (let i = from; i < upTo; i++) lastOf[chunk.streamOf[i]!] = i;
        tree.appendAll(chunk.leaves.subarray(from * HASH_BYTES, upTo * HASH_BYTES));
        for (let s = 0; s < lastOf.length; s++) {
          const i = lastOf[s]!;
          if (i < from) continue;
          const stream = chunk.streams[s]!;
          const hash = Buffer.from(chunk.hashes.buffer, chunk.hashes.byteOffset + i * HASH_BYTES, HASH_BYTES).toString('hex');
          const head = { stream, revision: chunk.revisions[i]!, hash };
          heads.set(stream, head);
          // In the chunk's order of first appearance, so a new stream takes its leaf in global order.
          headsTree.update(head);
        }
        from = upTo;
        matchCheckpoints();
      }
    },

    /** Checkpoints larger than the log: events they covered are gone. */
    finish(): void {
      for (const { checkpoint, label } of pending) {
        issues.push(issue('missing-events', `${label} covers ${checkpoint.size} events, but the ledger holds ${tree.size()}: events it covered are gone`));
      }
      pending.length = 0;
    },
  };
}
