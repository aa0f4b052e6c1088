import type { PersonState } from '../domain/person/state.js';
import type { KeyResolver } from '../ledger/signatures.js';

/**
 * Which key signed for whom, judged over the whole record: `persons` are the states after every
 * person event the verifier holds, so a revocation recorded later with an earlier `revokedFrom`
 * (a key found compromised last week) invalidates what that key signed since.
 *
 * A key is valid for acts dated from `validFrom` (its enrolment or rotation) up to and including
 * `validUntil`, and before `revokedFrom`. `validUntil` is inclusive here, unlike for the ledger's
 * live checks, for one act only: the rotation itself, which the person signs with the old key at
 * exactly the time the new key takes over. Deactivated persons keep their keys for what they signed
 * while active (replaying the rules catches anything they signed after).
 */
export function historicalKeys(persons: ReadonlyMap<string, PersonState>): KeyResolver {
  return (signer, publicKey, time) => {
    const person = persons.get(signer);
    // States folded from events not yet verified: a forged person event can leave any shape behind.
    if (!person || person.status === 'none' || !Array.isArray(person.keys)) return 'unknown-person';
    const valid = person.keys.some(
      (k) =>
        k.publicKey === publicKey &&
        k.validFrom <= time &&
        (k.validUntil === null || time <= k.validUntil) &&
        (k.revokedFrom === null || time < k.revokedFrom),
    );
    return valid ? 'valid' : 'invalid-key';
  };
}
