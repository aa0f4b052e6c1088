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
  const heads = new Map<string, { order: number; revision: number; hash: string }>();
  const dirty = new Set<string>();
  const pending = [...checkpoints].sort((a, b) => a.checkpoint.size - b.checkpoint.size);
  const issues: Issue[] = [];

  const flushHeads = () => {
    const changed = [...dirty].map((stream) => ({ stream, ...heads.get(stream)! })).sort((a, b) => a.order - b.order);
    for (const head of changed) headsTree.update(head);
    dirty.clear();
  };

  const matchCheckpoints = () => {
    while (pending[0] && pending[0].checkpoint.size === tree.size()) {
      const { checkpoint, label } = pending.shift()!;
      const root = tree.size() === 0 ? EMPTY_ROOT : tree.root();
      if (!hashesEqual(root, checkpoint.root)) {
        issues.push(
          issue('root-mismatch', `the first ${checkpoint.size} events do not have the root of ${label} (${hashToBase64(checkpoint.root)}): an event before it was changed, dropped, added or moved`),
        );
      }
      flushHeads();
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
      const firsts = new Map(chunk.firsts.map((f) => [f.event, f.prevHash]));
      for (let i = 0; i < chunk.count; i++) {
        const stream = chunk.streams[chunk.streamOf[i]!]!;
        const revision = chunk.revisions[i]!;
        const position = chunk.positions[i]!;
        const hash = Buffer.from(chunk.hashes.buffer, chunk.hashes.byteOffset + i * HASH_BYTES, HASH_BYTES).toString('hex');
        const head = heads.get(stream);
        if (firsts.has(i)) {
          const at = { position, stream, revision };
          const expected = head ? head.revision + 1 : 0;
          if (revision !== expected) {
            issues.push(issue('missing-events', `${missingRevisions(stream, expected, revision - 1)} before this event`, at));
          }
          const prevHash = firsts.get(i);
          if (prevHash !== undefined && prevHash !== (head?.hash ?? null)) {
            issues.push(issue('broken-link', 'it does not link to the hash of the event before it', at));
          }
        }
        heads.set(stream, { order: head?.order ?? heads.size, revision, hash });
        dirty.add(stream);
        tree.append(chunk.leaves.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES));
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
