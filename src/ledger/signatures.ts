import { actSigningBytes, signedMessageOf, type ActSignature, type UnsignedAct } from '../domain/act.js';
import { effectiveTimeOf } from '../domain/signed-time.js';
import { sha256Hex } from '../crypto/hash.js';
import { RuleViolation } from '../domain/errors.js';
import { keyValidAt, type Person, type PersonState } from '../domain/person/state.js';
import type { PublicKey } from '../domain/primitives.js';
import type { Verifier } from '../crypto/ed25519.js';
import type { BatchVerifier } from '../crypto/verifier-pool.js';

/**
 * Whose key signs for a signer. Normally the directory's; an enrolment is signed by the enrollee with
 * the key being enrolled (proof of possession), which the directory does not know yet.
 */
export type KeyResolver = (signer: string, publicKey: PublicKey, time: string) => 'valid' | 'unknown-person' | 'invalid-key';

export function directoryKeys(
  directory: ReadonlyMap<string, Person | PersonState>,
  enrolling?: { personId: string; publicKey: string },
): KeyResolver {
  return (signer, publicKey, time) => {
    if (enrolling && signer === enrolling.personId) return publicKey === enrolling.publicKey ? 'valid' : 'invalid-key';
    const person = directory.get(signer);
    if (!person || person.status === 'none') return 'unknown-person';
    return keyValidAt(person, publicKey, time) ? 'valid' : 'invalid-key';
  };
}

/**
 * Everything about the signatures but the curve arithmetic: each signer of the act signed at most
 * once, with a key that was theirs when the act took effect (its last required signature; the
 * prepared time for v1), or, while some still have to sign, at their own signing time. Throws on
 * the first problem (L-2).
 */
export function screenSignatures(
  act: UnsignedAct,
  signatures: ActSignature[],
  keys: KeyResolver,
): { toVerify: ActSignature[]; missing: string[] } {
  const seen = new Set<string>();
  for (const { signer } of signatures) {
    if (!act.signers.includes(signer)) throw new RuleViolation('L-2', `${signer} is not a signer of this act (signers: ${act.signers.join(', ')})`);
    if (seen.has(signer)) throw new RuleViolation('L-2', `${signer} signed twice`);
    seen.add(signer);
  }
  const complete = act.signers.every((s) => seen.has(s));
  const effective = complete ? effectiveTimeOf(act, signatures).time : undefined;
  for (const { signer, publicKey, signedAt } of signatures) {
    const at = effective ?? signedAt ?? act.time;
    const key = keys(signer, publicKey, at);
    if (key === 'unknown-person') throw new RuleViolation('L-2', `${signer} is not an enrolled, active person`);
    if (key === 'invalid-key') {
      throw new RuleViolation('L-2', `the key ${publicKey} did not sign for ${signer} at ${at} (not theirs, rotated or revoked)`);
    }
  }
  return { toVerify: signatures, missing: act.signers.filter((s) => !seen.has(s)) };
}

const badSignature = (signer: string) => new RuleViolation('L-2', `the signature of ${signer} does not verify over this act`);

/** Signatures that are present and valid, and the signers still missing. Throws on any bad one (L-2). */
export function checkSignatures(
  act: UnsignedAct,
  signatures: ActSignature[],
  keys: KeyResolver,
  verifier: Verifier,
  bytes: Uint8Array = actSigningBytes(act),
): { missing: string[] } {
  const { toVerify, missing } = screenSignatures(act, signatures, keys);
  const actId = sha256Hex(bytes);
  for (const s of toVerify) {
    if (!verifier.verify(s.publicKey, signedMessageOf(s, actId, bytes), s.signature)) throw badSignature(s.signer);
  }
  return { missing };
}

/** The same, with the curve arithmetic handed to a batch verifier (worker threads on the server). */
export async function verifySignatures(
  act: UnsignedAct,
  signatures: ActSignature[],
  keys: KeyResolver,
  verifier: BatchVerifier,
  bytes: Uint8Array,
  actId: string = sha256Hex(bytes),
): Promise<{ missing: string[] }> {
  const { toVerify, missing } = screenSignatures(act, signatures, keys);
  const verdicts = await verifier.verifyAll(
    toVerify.map((s) => ({ publicKey: s.publicKey, signature: s.signature, message: signedMessageOf(s, actId, bytes) })),
  );
  const failed = toVerify.find((_, i) => verdicts[i] !== true);
  if (failed) throw badSignature(failed.signer);
  return { missing };
}
