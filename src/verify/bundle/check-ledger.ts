import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { createHeadsTree } from '../checkpoint/heads.js';
import { issue, type Issue } from '../issues.js';
import { hashesEqual, hashFromHex, HASH_BYTES, leafHash } from '../merkle/hash.js';
import { createMerkleTree } from '../merkle/tree.js';
import { at, type PreparedEvent } from './prepared.js';

/**
 * A whole-ledger bundle: the tree rebuilt from every event's recomputed hash must have the
 * checkpoint's root, and the stream heads its heads root. Leaves must be numbered 0, 1, 2... with
 * no gap: a dropped event, stream or tail changes the root. `all` is in leaf order.
 */
export function checkLedgerTree(
  all: readonly PreparedEvent[],
  checkpoint: Checkpoint,
): { issues: Issue[]; notices: Issue[]; rootAt: (size: number) => Uint8Array | undefined } {
  const issues: Issue[] = [];
  const notices: Issue[] = [];
  const tree = createMerkleTree();
  const heads = createHeadsTree();
  let gaps = 0;
  for (const p of all) {
    const { leafIndex } = p.event;
    if (leafIndex >= checkpoint.size) break;
    if (leafIndex !== tree.size() && gaps++ < 10) {
      issues.push(
        leafIndex > tree.size()
          ? issue('missing-events', `leaves ${tree.size()}..${leafIndex - 1} are missing before this event`, at(p))
          : issue('out-of-order', `leaf ${leafIndex} appears twice`, at(p)),
      );
    }
    // An event whose hash cannot be recomputed still takes its place, so later leaves keep theirs.
    const hash = (p.hash !== undefined ? hashFromHex(p.hash) : undefined) ?? new Uint8Array(HASH_BYTES);
    tree.append(leafHash(hash));
    heads.update({ stream: p.event.stream, revision: p.event.revision, hash: p.hash ?? '' });
  }
  const size = tree.size();
  if (size < checkpoint.size) {
    issues.push(issue('missing-events', `checkpoint ${checkpoint.size} covers ${checkpoint.size} events; the bundle holds ${size} of them`));
  } else if (!hashesEqual(tree.root(), checkpoint.root)) {
    issues.push(issue('root-mismatch', `the ${size} events in the bundle do not have the root of checkpoint ${checkpoint.size}: an event was changed, dropped, added or moved`));
  }
  if (heads.count() !== checkpoint.heads.count || !hashesEqual(heads.root(), checkpoint.heads.root)) {
    issues.push(
      issue(
        'heads-mismatch',
        `checkpoint ${checkpoint.size} commits to ${checkpoint.heads.count} streams and their heads; the bundle has ${heads.count()} streams${heads.count() === checkpoint.heads.count ? ' with different heads' : ''}`,
      ),
    );
  }
  const beyond = all.filter((p) => p.event.leafIndex >= checkpoint.size).length;
  if (beyond > 0) notices.push(issue('unverified-tail', `${beyond} events come after checkpoint ${checkpoint.size} and are not covered by it`));
  // Every leaf is here: the root of any earlier size is computed, not taken from the bundle's word.
  const rootAt = (at: number) => (at <= size ? tree.root(at) : undefined);
  return { issues, notices, rootAt };
}
