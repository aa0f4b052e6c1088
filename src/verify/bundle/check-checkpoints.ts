import type { Verifier } from '../../crypto/ed25519.js';
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { verifySignedCheckpoint, type CheckpointTrust } from '../checkpoint/verify-checkpoint.js';
import { issue, type Issue } from '../issues.js';
import { hashesEqual, hashFromBase64, hashToBase64 } from '../merkle/hash.js';
import { verifyConsistency } from '../merkle/proofs.js';

export type CheckpointFindings = {
  checkpoint?: Checkpoint;
  /** Every trusted checkpoint the bundle shows, by size (the bundle's own and its verified history). */
  seen: Map<number, { root: Uint8Array; what: string }>;
  witnesses: string[];
  issues: Issue[];
  notices: Issue[];
};

/**
 * The bundle's checkpoint against the keys the user trusts, then every other checkpoint in sight:
 * the earlier ones the bundle carries (each must be signed by a trusted key and be extended by the
 * bundle's checkpoint, proof verified). Two checkpoints of the same size with different roots are a
 * fork: the ledger showed two histories. The user's own checkpoints are compared in check-known.ts.
 */
export function checkCheckpoints(
  note: string,
  history: ReadonlyArray<{ checkpoint: string; proof: string[] }>,
  trust: CheckpointTrust,
  ledgerId: string,
  verifier: Verifier,
): CheckpointFindings {
  const main = verifySignedCheckpoint(note, trust, { expectedOrigin: ledgerId, verifier });
  const findings: CheckpointFindings = { witnesses: main.witnesses, issues: [...main.issues], notices: [], seen: new Map() };
  const top = main.checkpoint;
  if (!top) return findings;
  findings.checkpoint = top;
  const signedOnly = { trustedLedgerKeys: trust.trustedLedgerKeys, quorum: 0 };
  /** Every trusted checkpoint seen, by size: where two disagree, that is the fork. */
  const bySize = findings.seen;
  bySize.set(top.size, { root: top.root, what: "the bundle's checkpoint" });
  const noteFork = (checkpoint: Checkpoint, what: string): boolean => {
    const seen = bySize.get(checkpoint.size);
    if (!seen) {
      bySize.set(checkpoint.size, { root: checkpoint.root, what });
      return false;
    }
    if (hashesEqual(seen.root, checkpoint.root)) return false;
    findings.issues.push(
      issue(
        'fork',
        `fork: ${what} and ${seen.what} both have size ${checkpoint.size} but different roots (${hashToBase64(checkpoint.root)} and ${hashToBase64(seen.root)}): the ledger signed two different histories`,
      ),
    );
    return true;
  };

  history.forEach((entry, i) => {
    const what = `earlier checkpoint #${i + 1}`;
    const checked = verifySignedCheckpoint(entry.checkpoint, signedOnly, { expectedOrigin: ledgerId, what, verifier });
    findings.issues.push(...checked.issues);
    const earlier = checked.checkpoint;
    if (!earlier || checked.issues.length > 0 || noteFork(earlier, `${what} (size ${earlier.size})`)) return;
    const proof = entry.proof.map(hashFromBase64);
    const valid = proof.every((p) => p !== undefined) && verifyConsistency(earlier.size, top.size, earlier.root, top.root, proof as Uint8Array[]);
    if (!valid) {
      findings.issues.push(
        issue('inconsistent-checkpoints', `the bundle's checkpoint (size ${top.size}) does not extend ${what} (size ${earlier.size}): the history between them was changed`),
      );
    }
  });

  return findings;
}
