import { z } from 'zod';
import { ActSignature, UnsignedAct } from '../domain/act.js';
import { Hash, IsoTime, PersonId, Text } from '../domain/primitives.js';

/**
 * The co-signing inbox: acts that some of their signers have signed and the others have not yet.
 * It is working state beside the ledger, never part of the record: an act enters the ledger only
 * when its last signature arrives (the ledger's own submit decides that), and a pending act that
 * expires, is declined or goes stale leaves the ledger untouched.
 */

export const PendingActStatus = z.enum(['pending', 'appended', 'declined', 'expired', 'stale']);
export type PendingActStatus = z.infer<typeof PendingActStatus>;

/** One appended event as the API reports it: bigints travel as decimal strings. */
export const AppendedEventRecord = z
  .object({ stream: z.string(), revision: z.string(), position: z.string(), hash: Hash })
  .strict();
export type AppendedEventRecord = z.infer<typeof AppendedEventRecord>;

export const PendingActRecord = z
  .object({
    actId: Hash,
    act: UnsignedAct,
    /** The valid signatures collected so far, one per signer. */
    signatures: z.array(ActSignature),
    /** Signers whose signature is still missing, in the act's signer order. */
    missing: z.array(PersonId),
    status: PendingActStatus,
    /** Who first submitted it: the inbox says "from <requestedBy>". */
    requestedBy: PersonId,
    createdAt: IsoTime,
    /** The act's time plus the policy's pendingActExpiryHours: the ledger refuses it after that. */
    expiresAt: IsoTime,
    /** When it stopped being pending (appended, declined, expired, found stale). */
    closedAt: IsoTime.nullable(),
    declinedBy: PersonId.nullable(),
    reason: Text.nullable(),
    /** The events the ledger appended, once it is appended. */
    events: z.array(AppendedEventRecord).nullable(),
  })
  .strict();
export type PendingActRecord = z.infer<typeof PendingActRecord>;

/** Storage for pending acts. Implementations: memory (tests), SQLite (beside the ledger's file). */
export interface Inbox {
  get(actId: string): Promise<PendingActRecord | undefined>;
  /** Inserts or replaces the record for `record.actId`. */
  save(record: PendingActRecord): Promise<void>;
  /** Records still `pending` that miss `personId`'s signature, oldest first. Expiry is the caller's to judge. */
  awaiting(personId: string): Promise<PendingActRecord[]>;
  /** Resolves when a save could be taken now; else throws StoreUnavailable saying why. Absent: no cheaper test than saving. */
  appendable?(): Promise<void>;
  close(): Promise<void>;
}
