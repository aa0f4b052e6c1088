import { actSigningBytes, type ActSignature, type UnsignedAct } from '../domain/act.js';
import { RuleViolation } from '../domain/errors.js';
import { keyValidAt, type Person, type PersonState } from '../domain/person/state.js';
import type { PublicKey } from '../domain/primitives.js';
import type { Verifier } from '../crypto/ed25519.js';

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

/** Signatures that are present and valid, and the signers still missing. Throws on any bad one (L-2). */
export function checkSignatures(
  act: UnsignedAct,
  signatures: ActSignature[],
  keys: KeyResolver,
  verifier: Verifier,
  bytes: Uint8Array = actSigningBytes(act),
): { missing: string[] } {
  const seen = new Set<string>();
  for (const { signer, publicKey, signature } of signatures) {
    if (!act.signers.includes(signer)) throw new RuleViolation('L-2', `${signer} is not a signer of this act (signers: ${act.signers.join(', ')})`);
    if (seen.has(signer)) throw new RuleViolation('L-2', `${signer} signed twice`);
    seen.add(signer);
    const key = keys(signer, publicKey, act.time);
    if (key === 'unknown-person') throw new RuleViolation('L-2', `${signer} is not an enrolled, active person`);
    if (key === 'invalid-key') {
      throw new RuleViolation('L-2', `the key ${publicKey} did not sign for ${signer} at ${act.time} (not theirs, rotated or revoked)`);
    }
    if (!verifier.verify(publicKey, bytes, signature)) {
      throw new RuleViolation('L-2', `the signature of ${signer} does not verify over this act`);
    }
  }
  return { missing: act.signers.filter((s) => !seen.has(s)) };
}
