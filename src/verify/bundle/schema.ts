import { z } from 'zod';
import { CarrierId, Hash, Id, IsoTime } from '../../domain/primitives.js';

/**
 * Bundles: what an investigator takes away to verify offline, with nothing but the CLI and the
 * public keys they trust. Everything in a bundle is evidence to check, never trusted as it stands:
 * the events exactly as stored, the proofs that tie each one to a signed checkpoint, and the
 * checkpoint with its cosignatures. The verifier's keys come from the person verifying.
 *
 * - `carrier`: one carrier's stream, its lineage (the carriers it was copied from and the copies of
 *   it), every person's stream (the keys, their validity and revocations, and the roles the rules
 *   need), an inclusion proof per event, and per stream a proof of its head (that nothing was
 *   dropped from its end). One JSON document.
 * - `ledger`: every event in global order; the verifier rebuilds the tree and compares roots.
 *   Written as JSON lines: a header line, then one line per event, so it streams both ways.
 */
export const BUNDLE_FORMAT = 'custody-ledger/bundle/v1';

const Base64Hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a SHA-256 hash in base64');
const JsonObject = z.record(z.string(), z.unknown());
const Count = z.number().int().min(0);

/** An event as the store holds it, with its place in the global log. */
export const BundleEvent = z
  .object({
    stream: z.string().min(1),
    revision: Count,
    /** The store's global position (informative; the leaf index is what the proofs bind). */
    position: Count,
    /** Its index among the Merkle tree's leaves: its place in global order. */
    leafIndex: Count,
    type: z.string().min(1),
    data: JsonObject,
    metadata: JsonObject,
  })
  .strict();
export type BundleEvent = z.infer<typeof BundleEvent>;

export const ProvedEvent = BundleEvent.extend({ proof: z.array(Base64Hash) }).strict();
export type ProvedEvent = z.infer<typeof ProvedEvent>;

/** An earlier checkpoint the ledger recorded, and the proof that the bundle's checkpoint extends it. */
export const EarlierCheckpoint = z.object({ checkpoint: z.string().min(1), proof: z.array(Base64Hash) }).strict();

export const ConsistencyProof = z.object({ size: Count, proof: z.array(Base64Hash) }).strict();

const Header = {
  format: z.literal(BUNDLE_FORMAT),
  ledgerId: Id,
  exportedAt: IsoTime,
  /** The name of the policy the ledger ran on before any adoption in its `ledger-policy` stream (R-* thresholds), for replaying the rules. */
  policy: z.string().min(1),
  /** The signed checkpoint note, with whatever cosignatures it has. */
  checkpoint: z.string().min(1),
  history: z.array(EarlierCheckpoint),
  /**
   * Consistency proofs between the checkpoint and other tree sizes the reader asked about (`custody
   * bundle --known`): for a smaller size, that the checkpoint extends that tree; for a larger one,
   * that the checkpoint's tree is a prefix of it. Checked against the reader's own checkpoint.
   */
  consistency: z.array(ConsistencyProof).optional(),
};

export const BundleStream = z
  .object({
    stream: z.string().min(1),
    /** The stream's head at the checkpoint and its inclusion proof in the checkpoint's heads tree. */
    head: z.object({ index: Count, revision: Count, hash: Hash, proof: z.array(Base64Hash) }).strict(),
    events: z.array(ProvedEvent),
  })
  .strict();
export type BundleStream = z.infer<typeof BundleStream>;

export const CarrierBundle = z
  .object({ ...Header, kind: z.literal('carrier'), subject: CarrierId, streams: z.array(BundleStream) })
  .strict();
export type CarrierBundle = z.infer<typeof CarrierBundle>;

/** The first line of a ledger bundle file. */
export const LedgerBundleHeader = z.object({ ...Header, kind: z.literal('ledger'), eventCount: Count }).strict();
export type LedgerBundleHeader = z.infer<typeof LedgerBundleHeader>;

/** A ledger bundle as read into memory: the header, and the event lines in the order written. */
export const LedgerBundle = LedgerBundleHeader.extend({ events: z.array(BundleEvent) }).strict();
export type LedgerBundle = z.infer<typeof LedgerBundle>;

export const Bundle = z.discriminatedUnion('kind', [CarrierBundle, LedgerBundle]);
export type Bundle = z.infer<typeof Bundle>;
