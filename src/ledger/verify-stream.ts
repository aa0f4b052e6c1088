import { actSigningBytes, signedMessageOf, StoredEnvelope, type UnsignedAct } from '../domain/act.js';
import { effectiveTime } from '../domain/signed-time.js';
import type { Verifier } from '../crypto/ed25519.js';
import type { RecordedEvent } from '../store/port.js';
import { sha256Hex } from '../crypto/hash.js';
import { eventHashOf } from './envelope.js';
import type { KeyResolver } from './signatures.js';

/** One finding, as data: what is wrong, at which revision of which stream. */
export type VerificationIssue = {
  code:
    | 'malformed-event'
    | 'wrong-stream'
    | 'wrong-position'
    | 'broken-link'
    | 'hash-mismatch'
    | 'missing-signature'
    | 'unknown-signer'
    | 'invalid-key'
    | 'bad-signature';
  stream: string;
  revision: number;
  message: string;
};

/**
 * Checks one stream as stored, trusting nothing in it: every event sits at its signed position and
 * links to the hash of the event before it (L-3), its stored hash is the recomputed one, and every
 * signer of its act signed (the act, and for v2 their own time) with a key valid when the act took
 * effect (L-2). Returns every issue found.
 */
export function verifyStream(events: RecordedEvent[], keys: KeyResolver, verifier: Verifier): VerificationIssue[] {
  const issues: VerificationIssue[] = [];
  let previousHash: string | null = null;
  events.forEach((recorded, position) => {
    const at = { stream: recorded.stream, revision: position };
    const issue = (code: VerificationIssue['code'], message: string) => issues.push({ code, ...at, message });
    const parsed = StoredEnvelope.safeParse(recorded.data);
    const event = parsed.success ? parsed.data.act.events[parsed.data.index] : undefined;
    if (!parsed.success || !event) {
      issue('malformed-event', 'the stored event is not a signed act envelope');
      previousHash = null;
      return;
    }
    const { act, index, signatures } = parsed.data;
    const bytes = signedBytesOf(act);
    if (!bytes) {
      issue('malformed-event', 'the act has no canonical form (a fraction or a broken string where the ledger signs none)');
      previousHash = null;
      return;
    }
    const actId = sha256Hex(bytes);
    const hash = eventHashOf(actId, index, signatures);
    if (event.stream !== recorded.stream) issue('wrong-stream', `the act placed this event in ${event.stream}`);
    if (event.revision !== position) issue('wrong-position', `the act placed this event at revision ${event.revision}`);
    if (event.prevHash !== previousHash) issue('broken-link', 'it does not link to the hash of the event before it');
    if (recorded.metadata['hash'] !== undefined && recorded.metadata['hash'] !== hash) {
      issue('hash-mismatch', 'its stored hash is not the hash of its content');
    }
    const time = effectiveTime(act, signatures);
    for (const signer of act.signers) {
      const signature = signatures.find((s) => s.signer === signer);
      if (!signature) {
        issue('missing-signature', `${signer} did not sign`);
        continue;
      }
      const key = keys(signer, signature.publicKey, time);
      if (key === 'unknown-person') issue('unknown-signer', `${signer} is not a known person`);
      else if (key === 'invalid-key') issue('invalid-key', `${signer}'s key was not valid at ${time}`);
      else if (!verifier.verify(signature.publicKey, signedMessageOf(signature, actId, bytes), signature.signature)) {
        issue('bad-signature', `the signature of ${signer} does not verify`);
      }
    }
    previousHash = hash;
  });
  return issues;
}

/** The bytes the signers signed, or undefined when stored data has no canonical form (tampered). */
function signedBytesOf(act: UnsignedAct): Uint8Array | undefined {
  try {
    return actSigningBytes(act);
  } catch {
    return undefined;
  }
}
