import type { ActSignature, UnsignedAct } from '../../domain/act.js';
import { sha256Hex } from '../../crypto/hash.js';
import { canonicalJsonOfParsed } from './fast-canonical.js';

/**
 * What an act's signers signed, and an event's chain hash, exactly as src/domain/act.ts
 * (`actSigningBytes`, `eventHashInput`) and src/ledger/envelope.ts (`actIdOf`, `eventHashOf`) define
 * them, restated here because act.ts holds the act's zod schemas, and loading zod costs each
 * verification worker ~0.4 s before its first event. test/verify/hashing.unit.spec.ts pins the two
 * definitions equal on real acts.
 */
const ACT_SIGNING_DOMAIN = 'custody-ledger/act/v1';
const EVENT_HASH_DOMAIN = 'custody-ledger/event/v1';

export const actBytes = (act: UnsignedAct): Uint8Array => Buffer.from(`${ACT_SIGNING_DOMAIN}\n${canonicalJsonOfParsed(act)}`, 'utf8');

/** The event's chain hash, in hex. */
export function eventHash(actId: string, index: number, signatures: readonly ActSignature[]): string {
  const sorted = signatures.length < 2 ? signatures : [...signatures].sort((a, b) => (a.signer < b.signer ? -1 : a.signer > b.signer ? 1 : 0));
  return sha256Hex(`${EVENT_HASH_DOMAIN}\n${canonicalJsonOfParsed({ actId, index, signatures: sorted })}`);
}
