import { z } from 'zod';
import { signingBytes } from './canonical.js';
import { Hash, Id, IsoTime, PersonId, PublicKey, SignatureBytes } from './primitives.js';

/**
 * An act is what people sign: one command and the events it appends, each pinned to its stream's
 * position and to the hash of the event before it (L-2, L-3). It is prepared once, signed by every
 * required signer independently (on different machines, offline if need be), then submitted.
 * A batch act (R-BATCH-1) carries one event per stream and is appended to all of them or to none.
 */

export const ACT_SIGNING_DOMAIN = 'custody-ledger/act/v1';
export const EVENT_HASH_DOMAIN = 'custody-ledger/event/v1';
/** What a v2 signature signs: the act (by its id) and the time its signer signed it. */
export const SIGNATURE_SIGNING_DOMAIN = 'custody-ledger/signature/v2';

export const StreamName = z.string().regex(/^(carrier|person|ledger)-[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/);
export type StreamName = z.infer<typeof StreamName>;

export const carrierStream = (carrierId: string): StreamName => `carrier-${carrierId}`;
export const personStream = (personId: string): StreamName => `person-${personId}`;

const JsonObject = z.record(z.string(), z.unknown());

export const ActEvent = z
  .object({
    stream: StreamName,
    /** The revision this event will have in its stream: 0 for a stream's first event. */
    revision: z.number().int().min(0),
    /** Hash of the stream's previous event; null exactly when revision is 0. */
    prevHash: Hash.nullable(),
    type: z.string().min(1).max(100),
    data: JsonObject,
  })
  .strict()
  .refine((e) => (e.revision === 0) === (e.prevHash === null), {
    message: 'prevHash is null exactly for a stream\'s first event',
    path: ['prevHash'],
  });
export type ActEvent = z.infer<typeof ActEvent>;

export const UnsignedAct = z
  .object({
    v: z.literal(1),
    /** The ledger's id: a signature for one ledger is worthless on another. */
    ledger: Id,
    command: z.object({ type: z.string().min(1).max(100), data: JsonObject }).strict(),
    /** The claimed time of the act; every signature binds it. */
    time: IsoTime,
    /** Everyone whose act this records, sorted: each must sign. */
    signers: z.array(PersonId).min(1),
    events: z.array(ActEvent).min(1),
  })
  .strict();
export type UnsignedAct = z.infer<typeof UnsignedAct>;

/**
 * One signer's signature. v2 (with `signedAt`) signs `signatureSigningBytes(actId, signedAt)`: the
 * signer's own time is inside what they sign. v1 (no `signedAt`, older ledgers) signs the act's bytes.
 */
export const ActSignature = z
  .object({ signer: PersonId, publicKey: PublicKey, signedAt: IsoTime.optional(), signature: SignatureBytes })
  .strict();
export type ActSignature = z.infer<typeof ActSignature>;

export const SignedAct = z.object({ act: UnsignedAct, signatures: z.array(ActSignature) }).strict();
export type SignedAct = z.infer<typeof SignedAct>;

/** The bytes every signer signs: domain-separated canonical JSON of the whole act. */
export const actSigningBytes = (act: UnsignedAct): Uint8Array => signingBytes(ACT_SIGNING_DOMAIN, act);

/** The bytes a v2 signature signs: the act's id (SHA-256 hex of `actSigningBytes(act)`) and the signer's time. */
export const signatureSigningBytes = (actId: Hash, signedAt: IsoTime): Uint8Array =>
  signingBytes(SIGNATURE_SIGNING_DOMAIN, { actId, signedAt });

/** What one signature was made over: its own bytes for v2, the act's bytes (`actBytes`) for v1. */
export const signedMessageOf = (signature: Pick<ActSignature, 'signedAt'>, actId: Hash, actBytes: Uint8Array): Uint8Array =>
  signature.signedAt === undefined ? actBytes : signatureSigningBytes(actId, signature.signedAt);

/** What the hash chain hashes for one stored event: its act (by digest), its place in it, the signatures. */
export const eventHashInput = (actId: Hash, index: number, signatures: ActSignature[]): Uint8Array =>
  signingBytes(EVENT_HASH_DOMAIN, { actId, index, signatures: sortSignatures(signatures) });

/** Signatures in a fixed order, so the event hash does not depend on the order they arrived in. */
export const sortSignatures = (signatures: ActSignature[]): ActSignature[] =>
  [...signatures].sort((a, b) => (a.signer < b.signer ? -1 : a.signer > b.signer ? 1 : 0));

/** What one stream stores for one event of an act. */
export const StoredEnvelope = z
  .object({ act: UnsignedAct, index: z.number().int().min(0), signatures: z.array(ActSignature) })
  .strict();
export type StoredEnvelope = z.infer<typeof StoredEnvelope>;

/** The signer list as the act carries it: unique and sorted. */
export const signerList = (ids: Iterable<string>): string[] => [...new Set(ids)].sort();
