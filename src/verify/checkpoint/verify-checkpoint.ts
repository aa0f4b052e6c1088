import { createVerifier, type Verifier } from '../../crypto/ed25519.js';
import { issue, type Issue } from '../issues.js';
import { trustedKeyFor, type TrustedKey } from '../note/keys.js';
import { checkNoteSignature, parseNote } from '../note/note.js';
import { parseCheckpointText, type Checkpoint } from './checkpoint.js';

/**
 * What the person verifying trusts, given on their command line or in their code; never read from a
 * bundle. Ledger keys sign checkpoints; witness keys cosign them; `quorum` witnesses must have cosigned
 * (default: every witness key given).
 */
export type CheckpointTrust = {
  trustedLedgerKeys: readonly TrustedKey[];
  trustedWitnessKeys?: readonly TrustedKey[];
  quorum?: number;
};

export type CheckedCheckpoint = {
  checkpoint?: Checkpoint;
  /** The signed text: what a witness cosigns and what a fork compares. */
  text?: string;
  issues: Issue[];
  /** Names of the trusted witnesses whose cosignature verified. */
  witnesses: string[];
};

/**
 * Checks a signed checkpoint note against trusted keys: a valid signature by a trusted ledger key
 * named after the checkpoint's origin, no invalid signature by any trusted key, and the witness
 * quorum. Signature lines by keys nobody trusts are ignored, as signed-note verifiers do.
 */
export function verifySignedCheckpoint(
  note: string,
  trust: CheckpointTrust,
  options: { expectedOrigin?: string; what?: string; verifier?: Verifier } = {},
): CheckedCheckpoint {
  const what = options.what ?? 'the checkpoint';
  const verifier = options.verifier ?? createVerifier();
  const parsed = parseNote(note);
  if (typeof parsed === 'string') return { issues: [issue('malformed-checkpoint', `${what}: ${parsed}`)], witnesses: [] };
  const checkpoint = parseCheckpointText(parsed.text);
  if (typeof checkpoint === 'string') return { issues: [issue('malformed-checkpoint', `${what}: ${checkpoint}`)], witnesses: [] };

  const issues: Issue[] = [];
  if (options.expectedOrigin !== undefined && checkpoint.origin !== options.expectedOrigin) {
    issues.push(issue('wrong-ledger', `${what} is for ledger ${checkpoint.origin}, not ${options.expectedOrigin}`));
  }
  let trustedSignature = false;
  const witnesses = new Set<string>();
  for (const signature of parsed.signatures) {
    const ledgerKey = trustedKeyFor(signature, trust.trustedLedgerKeys);
    if (ledgerKey) {
      const { valid } = checkNoteSignature(parsed.text, signature, ledgerKey, verifier);
      if (!valid) issues.push(issue('bad-checkpoint-signature', `${what}: the signature by trusted key ${ledgerKey.name} does not verify`));
      else if (ledgerKey.name !== checkpoint.origin) {
        issues.push(issue('untrusted-checkpoint', `${what} is signed by ${ledgerKey.name}, but a ledger signs its checkpoints under its own id ${checkpoint.origin}`));
      } else trustedSignature = true;
      continue;
    }
    const witnessKey = trustedKeyFor(signature, trust.trustedWitnessKeys ?? []);
    if (witnessKey) {
      const { valid } = checkNoteSignature(parsed.text, signature, witnessKey, verifier);
      if (valid) witnesses.add(witnessKey.name);
      else issues.push(issue('bad-cosignature', `${what}: the cosignature of trusted witness ${witnessKey.name} does not verify`));
    }
  }
  if (!trustedSignature && !issues.some((i) => i.code === 'bad-checkpoint-signature' || i.code === 'untrusted-checkpoint')) {
    const names = parsed.signatures.map((s) => s.name).join(', ');
    issues.push(issue('untrusted-checkpoint', `${what} is not signed by any ledger key you trust (it carries signatures by: ${names})`));
  }
  const witnessKeys = trust.trustedWitnessKeys ?? [];
  const quorum = trust.quorum ?? witnessKeys.length;
  if (witnesses.size < quorum) {
    issues.push(
      issue('witness-quorum', `${what} is cosigned by ${witnesses.size} of the witnesses you trust (${[...witnesses].join(', ') || 'none'}); you asked for ${quorum}`),
    );
  }
  return { checkpoint, text: parsed.text, issues, witnesses: [...witnesses] };
}
