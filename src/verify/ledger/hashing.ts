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
const SIGNATURE_SIGNING_DOMAIN = 'custody-ledger/signature/v2';

export const actBytes = (act: UnsignedAct): Uint8Array => actBytesOfText(canonicalJsonOfParsed(act));

/** The signed bytes of an act whose canonical JSON is `canonicalAct`. */
export const actBytesOfText = (canonicalAct: string): Uint8Array => Buffer.from(`${ACT_SIGNING_DOMAIN}\n${canonicalAct}`, 'utf8');

/**
 * What one signature signed (`signedMessageOf`): for v2 its own bytes, `{"actId","signedAt"}` in
 * canonical form (a hex id and an ISO time: nothing to escape); for v1 the act's bytes.
 */
export const signatureMessage = (signedAt: string | undefined, actId: string, actBytes: Uint8Array): Uint8Array =>
  signedAt === undefined ? actBytes : Buffer.from(`${SIGNATURE_SIGNING_DOMAIN}\n{"actId":"${actId}","signedAt":"${signedAt}"}`, 'utf8');

/** The event's chain hash, in hex. */
export function eventHash(actId: string, index: number, signatures: readonly ActSignature[]): string {
  const sorted = signatures.length < 2 ? signatures : [...signatures].sort((a, b) => (a.signer < b.signer ? -1 : a.signer > b.signer ? 1 : 0));
  return sha256Hex(`${EVENT_HASH_DOMAIN}\n${canonicalJsonOfParsed({ actId, index, signatures: sorted })}`);
}

/** `eventHash`, given the canonical JSON of signatures already in signer order (actId is hex: nothing to escape). */
export const eventHashOfText = (actId: string, index: number, sortedSignatures: string): string =>
  sha256Hex(`${EVENT_HASH_DOMAIN}\n{"actId":"${actId}","index":${index},"signatures":${sortedSignatures}}`);
