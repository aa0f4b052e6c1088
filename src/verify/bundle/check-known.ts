import type { Verifier } from '../../crypto/ed25519.js';
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { verifySignedCheckpoint, type CheckpointTrust } from '../checkpoint/verify-checkpoint.js';
import { issue, type Issue } from '../issues.js';
import { hashesEqual, hashFromBase64, hashToBase64 } from '../merkle/hash.js';
import { verifyConsistency } from '../merkle/proofs.js';

/** What the bundle (or the ledger file) can show about tree sizes other than its checkpoint's. */
export type KnownEvidence = {
  /** The checkpoint the bundle proves its events against (signature already checked). */
  top: Checkpoint;
  /** Roots of other sizes the bundle proves (its earlier checkpoints, each verified consistent with `top`). */
  seen: ReadonlyMap<number, { root: Uint8Array; what: string }>;
  /** Consistency proofs the bundle carries between `top` and another size (either direction). */
  proofs: ReadonlyArray<{ size: number; proof: readonly string[] }>;
  /** The root at any size up to top's, when every leaf is at hand (a whole-ledger bundle or file). */
  rootAt?: (size: number) => Uint8Array | undefined;
  /** How to get evidence that covers the user's checkpoint, said when it is missing. */
  howToCover: string;
  /** What `top` is, in messages. Default: the checkpoint here. */
  label?: string;
  /** False for a ledger file: it carries no proofs, it only has the leaves it has. Default true. */
  carriesProofs?: boolean;
};

/**
 * Checkpoints the user kept from before (`--known`) against what the bundle proves. Each must be the
 * same tree, be extended by the bundle's checkpoint, or extend it, each with a proof: a smaller bundle
 * without the proof that it is a prefix of the user's checkpoint fails `rollback`, two different trees
 * of one size or a proof that does not hold fail `fork`, and a larger bundle without a proof fails
 * `unproven-known`. Never a note: a checkpoint that cannot be compared is a verdict, not a remark.
 */
export function checkKnownCheckpoints(
  knownNotes: readonly string[],
  trust: CheckpointTrust,
  ledgerId: string | undefined,
  verifier: Verifier,
  evidence: KnownEvidence,
): Issue[] {
  const issues: Issue[] = [];
  const { top } = evidence;
  const here = `${evidence.label ?? 'the checkpoint here'} (size ${top.size})`;
  const signedOnly = { trustedLedgerKeys: trust.trustedLedgerKeys, quorum: 0 };
  for (const [i, kept] of knownNotes.entries()) {
    const what = `your checkpoint #${i + 1}`;
    const checked = verifySignedCheckpoint(kept, signedOnly, { ...(ledgerId ? { expectedOrigin: ledgerId } : {}), what, verifier });
    issues.push(...checked.issues);
    const known = checked.checkpoint;
    if (!known || checked.issues.length > 0) continue;
    const label = `${what} (size ${known.size})`;
    const fork = (other: string, root: Uint8Array) =>
      issue('fork', `${label} and ${other} both have size ${known.size} but different roots (${hashToBase64(known.root)} and ${hashToBase64(root)}): the ledger signed two different histories`);
    const seen = evidence.seen.get(known.size);
    if (seen) {
      if (!hashesEqual(seen.root, known.root)) issues.push(fork(seen.what, seen.root));
      continue;
    }
    const computed = known.size <= top.size ? evidence.rootAt?.(known.size) : undefined;
    if (computed) {
      if (!hashesEqual(computed, known.root)) issues.push(fork(`the tree of the first ${known.size} events here`, computed));
      continue;
    }
    const carried = evidence.proofs.find((p) => p.size === known.size);
    const proof = carried?.proof.map(hashFromBase64);
    const usable = proof && proof.every((p) => p !== undefined) ? (proof as Uint8Array[]) : undefined;
    if (known.size < top.size) {
      if (!carried) {
        issues.push(issue('unproven-known', `${here} carries no proof that it extends ${label}, so it may be another history: ${evidence.howToCover}`));
      } else if (!usable || !verifyConsistency(known.size, top.size, known.root, top.root, usable)) {
        issues.push(issue('fork', `${here} does not extend ${label}: the proof it carries does not hold, so this is another history (or an altered proof)`));
      }
    } else if (!carried) {
      issues.push(
        issue(
          'rollback',
          `${here} is older than ${label}${evidence.carriesProofs === false ? '' : ' and carries no proof that it is a prefix of it'}: the ledger may have been rolled back; ${evidence.howToCover}`,
        ),
      );
    } else if (!usable || !verifyConsistency(top.size, known.size, top.root, known.root, usable)) {
      issues.push(issue('fork', `${here} is not a prefix of ${label}: the proof it carries does not hold, so this is another history (or an altered proof)`));
    }
  }
  return issues;
}
