import {
  actSigningBytes,
  eventHashInput,
  signatureSigningBytes,
  sortSignatures,
  type ActSignature,
  type StoredEnvelope,
  type UnsignedAct,
} from '../domain/act.js';
import { sha256Hex } from '../crypto/hash.js';
import { canonicalJson } from '../domain/canonical.js';
import type { AppendRequest, JsonObject } from '../store/port.js';

/** An act's id: the digest of exactly what its signers signed. */
export const actIdOf = (act: UnsignedAct): string => sha256Hex(actSigningBytes(act));

/**
 * A v2 signature of `signer` over `act`, dated `signedAt`: `sign` makes the Ed25519 signature of
 * the given bytes (a key's signer). Tools and tests sign through this; the web app does the same
 * with tweetnacl over `signatureSigningBytes(actId, signedAt)`.
 */
export function signatureOf(
  act: UnsignedAct,
  signer: string,
  publicKey: string,
  sign: (message: Uint8Array) => string,
  signedAt: string,
): ActSignature {
  return { signer, publicKey, signedAt, signature: sign(signatureSigningBytes(actIdOf(act), signedAt)) };
}

/** The chain hash of one stored event (L-3): binds the act, the event's place in it, and every signature. */
export const eventHashOf = (actId: string, index: number, signatures: ActSignature[]): string =>
  sha256Hex(eventHashInput(actId, index, signatures));

/**
 * A UUID derived from the act and the event's place in it: resubmitting the same act yields the same
 * ids, so the store recognises the retry (idempotency) instead of appending twice.
 */
export function eventIdOf(actId: string, index: number): string {
  const hex = sha256Hex(`${actId}:${index}`);
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * What the store keeps beside each event, outside the signed bytes: the act's id, the event's chain
 * hash, and when the ledger recorded (appended) it: the act's transaction time. Events appended
 * before recording times existed have none.
 */
export type EventMetadata = { actId: string; hash: string; recordedAt?: string };

/** One append request per stream the act touches, each pinned to the revision the act was prepared at. */
export function appendRequestsFor(act: UnsignedAct, actId: string, signatures: ActSignature[], recordedAt?: string): AppendRequest[] {
  const sorted = sortSignatures(signatures);
  // Stored with every key in canonical order, so the stored text of the act is exactly what was
  // signed: a verifier then serialises it with native JSON.stringify instead of by hand.
  const canonical = inCanonicalKeyOrder(act);
  const canonicalSignatures = inCanonicalKeyOrder(sorted);
  return act.events.map((event, index) => {
    const envelope: StoredEnvelope = { act: canonical, index, signatures: canonicalSignatures };
    const hash = eventHashOf(actId, index, sorted);
    const metadata: EventMetadata = recordedAt === undefined ? { actId, hash } : { actId, hash, recordedAt };
    return {
      stream: event.stream,
      expected: event.revision === 0 ? 'no-stream' : BigInt(event.revision - 1),
      events: [
        {
          eventId: eventIdOf(actId, index),
          type: event.type,
          data: envelope as unknown as JsonObject,
          metadata: metadata as unknown as JsonObject,
        },
      ],
    };
  });
}

/** The same value with every object's keys in canonical order (what canonicalJson writes, read back). */
const inCanonicalKeyOrder = <T>(value: T): T => JSON.parse(canonicalJson(value)) as T;
