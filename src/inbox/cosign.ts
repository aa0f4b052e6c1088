import type { ActSignature, SignedAct, StoredEnvelope, UnsignedAct } from '../domain/act.js';
import { ActTimeRefused, MissingSignatures, NotFound, RuleViolation, StaleAct } from '../domain/errors.js';
import { addHours, type IsoTime } from '../domain/primitives.js';
import { actIdOf } from '../ledger/envelope.js';
import type { AppendedEvent, Ledger } from '../ledger/ledger.js';
import { ConcurrencyError, type EventStore } from '../store/port.js';
import { ActNotPending, NotASigner } from './errors.js';
import type { AppendedEventRecord, Inbox, PendingActRecord } from './port.js';

export type CosignOutcome =
  | { status: 'appended'; actId: string; events: AppendedEventRecord[]; alreadyRecorded?: true }
  | { status: 'pending'; actId: string; missing: string[]; expiresAt: IsoTime };

export type CosigningOptions = { ledger: Ledger; store: EventStore; inbox: Inbox; clock: () => IsoTime };

export type Cosigning = ReturnType<typeof createCosigning>;

/**
 * The co-signing flow over the ledger and the inbox. Every attempt goes through `ledger.submit`,
 * which checks the act completely (current heads, time, rules, every signature present) and either
 * appends it or answers MissingSignatures: only then does the act wait in the inbox. So nothing
 * waits that the ledger would refuse, and the ledger alone decides what is recorded.
 *
 * Work on one act is serialised: two last signatures arriving together must not both append.
 */
export function createCosigning(options: CosigningOptions) {
  const { ledger, store, inbox, clock } = options;
  const withLock = keyedLock();

  const expiresAtOf = (act: UnsignedAct): IsoTime => addHours(act.time, ledger.policy.pendingActExpiryHours);

  /** A head named by the act has moved on: it can never be appended as signed. */
  function isStale(act: UnsignedAct): boolean {
    return act.events.some((event) => {
      const head = ledger.model.heads.get(event.stream);
      return (head ? head.revision + 1 : 0) !== event.revision || (head?.hash ?? null) !== event.prevHash;
    });
  }

  async function close(record: PendingActRecord, status: 'expired' | 'stale'): Promise<PendingActRecord> {
    const closed = { ...record, status, closedAt: clock() };
    await inbox.save(closed);
    return closed;
  }

  /** Expiry and staleness are judged when a record is looked at, not by a timer. */
  async function refresh(record: PendingActRecord): Promise<PendingActRecord> {
    if (record.status !== 'pending') return record;
    if (clock() >= record.expiresAt) return close(record, 'expired');
    if (isStale(record.act)) return close(record, 'stale');
    return record;
  }

  function notPending(record: PendingActRecord): ActNotPending {
    switch (record.status) {
      case 'declined':
        return new ActNotPending(record.actId, 'declined', `act ${record.actId} was declined by ${record.declinedBy}: ${record.reason}`);
      case 'expired':
        return new ActNotPending(record.actId, 'expired', `act ${record.actId} expired at ${record.expiresAt}; prepare it again`);
      case 'appended':
        return new ActNotPending(record.actId, 'appended', `act ${record.actId} is already in the ledger`);
      default:
        return new ActNotPending(
          record.actId,
          'stale',
          `act ${record.actId} was prepared against a stream head that has since moved; prepare it again`,
        );
    }
  }

  /**
   * The events and signatures of an act the ledger already holds (a retry after a lost reply). The
   * signatures are the stored ones: a replay's own are accepted only if each is one of them (Ed25519
   * signs deterministically, so an honest retry carries exactly those), and are never shown.
   */
  async function recorded(act: UnsignedAct, actId: string, replayed: ActSignature[]): Promise<{ events: AppendedEventRecord[]; signatures: ActSignature[] }> {
    let signatures: ActSignature[] = [];
    const events = await Promise.all(
      act.events.map(async (event, index) => {
        const [stored] = await store.readStream(event.stream, { fromRevision: BigInt(event.revision) });
        if (!stored) throw new Error(`the ledger reported act events in ${event.stream} that it cannot read back`);
        if (index === 0) signatures = (stored.data as unknown as Partial<StoredEnvelope>).signatures ?? [];
        const hash = String(stored.metadata['hash']);
        return { stream: event.stream, revision: String(stored.revision), position: String(stored.position), hash };
      }),
    );
    const stranger = replayed.find((r) => !signatures.some((s) => s.signer === r.signer && s.publicKey === r.publicKey && s.signature === r.signature));
    if (stranger) {
      throw new RuleViolation('L-2', `act ${actId} is already in the ledger, and the signature of ${stranger.signer} given now is not among the signatures recorded with it`);
    }
    return { events, signatures };
  }

  const toRecord = (e: AppendedEvent): AppendedEventRecord => ({
    stream: e.stream,
    revision: String(e.revision),
    position: String(e.position),
    hash: e.hash,
  });

  /**
   * Submits the act with the signatures at hand. Appended: recorded as such. Some missing: it waits
   * (unless `mayWait` is false, the first enrolment). Refused: nothing new is stored, except that a
   * waiting act that can no longer succeed is marked stale or expired.
   */
  async function attempt(
    base: PendingActRecord,
    signatures: ActSignature[],
    existing: boolean,
    mayWait: boolean,
  ): Promise<CosignOutcome> {
    const { act, actId } = base;
    try {
      const result = await ledger.submit({ act, signatures });
      const { events, signatures: kept } = result.alreadyRecorded ? await recorded(act, actId, signatures) : { events: result.events.map(toRecord), signatures };
      await inbox.save({ ...base, signatures: kept, missing: [], status: 'appended', closedAt: clock(), events });
      // A re-submitted act is answered as it was recorded, and says so: nothing new was appended.
      return { status: 'appended', actId, events, ...(result.alreadyRecorded ? { alreadyRecorded: true as const } : {}) };
    } catch (error) {
      if (error instanceof MissingSignatures && mayWait) {
        await inbox.save({ ...base, signatures, missing: error.signers, status: 'pending' });
        return { status: 'pending', actId, missing: error.signers, expiresAt: base.expiresAt };
      }
      if (existing && (error instanceof StaleAct || error instanceof ConcurrencyError)) await close(base, 'stale');
      if (existing && error instanceof ActTimeRefused && error.reason === 'expired') throw notPending(await close(base, 'expired'));
      throw error;
    }
  }

  /** Adds signatures to a waiting act, keeping the first signature of each signer. */
  async function proceed(record: PendingActRecord, signatures: ActSignature[]): Promise<CosignOutcome> {
    const current = await refresh(record);
    if (current.status === 'appended') return { status: 'appended', actId: current.actId, events: current.events ?? [], alreadyRecorded: true };
    if (current.status !== 'pending') throw notPending(current);
    const merged = [...current.signatures];
    for (const signature of signatures) {
      if (!merged.some((s) => s.signer === signature.signer)) merged.push(signature);
    }
    return attempt(current, merged, true, true);
  }

  function newRecord(act: UnsignedAct, actId: string, requestedBy: string): PendingActRecord {
    return {
      actId,
      act,
      signatures: [],
      missing: act.signers,
      status: 'pending',
      requestedBy,
      createdAt: clock(),
      expiresAt: expiresAtOf(act),
      closedAt: null,
      declinedBy: null,
      reason: null,
      events: null,
    };
  }

  /** The act's record as it stands now (expiry and staleness applied), or undefined. */
  function find(actId: string): Promise<PendingActRecord | undefined> {
    return withLock(actId, async () => {
      const record = await inbox.get(actId);
      return record && refresh(record);
    });
  }

  return {
    /**
     * Submits a signed act on behalf of `by`, who must be one of its signers. `by` is null only for
     * the first enrolment on an empty ledger, which must carry every signature (nobody could log in
     * to add one later).
     */
    async submit(signed: SignedAct, by: string | null): Promise<CosignOutcome> {
      const { act, signatures } = signed;
      const actId = actIdOf(act);
      if (by !== null && !act.signers.includes(by)) throw new NotASigner(by, actId, act.signers);
      return withLock(actId, async () => {
        const record = await inbox.get(actId);
        if (record) return proceed(record, signatures);
        return attempt(newRecord(act, actId, by ?? act.signers[0]!), signatures, false, by !== null);
      });
    },

    /** Adds one signature to a waiting act; `by` (one of its signers) hands it in. */
    addSignature(actId: string, signature: ActSignature, by: string): Promise<CosignOutcome> {
      return withLock(actId, async () => {
        const record = await inbox.get(actId);
        if (!record) throw new NotFound('act', actId);
        if (!record.act.signers.includes(by)) throw new NotASigner(by, actId, record.act.signers);
        return proceed(record, [signature]);
      });
    },

    /** One of the signers refuses to sign: the act will never be appended. */
    decline(actId: string, by: string, reason: string): Promise<PendingActRecord> {
      return withLock(actId, async () => {
        const record = await inbox.get(actId);
        if (!record) throw new NotFound('act', actId);
        if (!record.act.signers.includes(by)) throw new NotASigner(by, actId, record.act.signers);
        const current = await refresh(record);
        if (current.status !== 'pending') throw notPending(current);
        const declined: PendingActRecord = { ...current, status: 'declined', declinedBy: by, reason, closedAt: clock() };
        await inbox.save(declined);
        return declined;
      });
    },

    find,

    /** The acts waiting for `personId`'s signature, oldest first. */
    async awaiting(personId: string): Promise<PendingActRecord[]> {
      const candidates = await inbox.awaiting(personId);
      const current = await Promise.all(candidates.map((c) => find(c.actId)));
      return current.filter((r): r is PendingActRecord => r?.status === 'pending' && r.missing.includes(personId));
    },
  };
}

/** Runs tasks for the same key one after another; different keys run freely. */
function keyedLock() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const run = (tails.get(key) ?? Promise.resolve()).then(task);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}
