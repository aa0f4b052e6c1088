import type { StoredEnvelope } from '../domain/act.js';
import type { RecordedCarrierEvent } from '../domain/carrier/evolve.js';
import type { PersonEvent } from '../domain/person/events.js';
import type { PolicyEvent } from '../domain/policy/events.js';
import { POLICY_STREAM } from '../domain/policy/history.js';
import type { IsoTime, PersonId } from '../domain/primitives.js';
import type { RecordedEvent } from '../store/port.js';
import { effectiveTime } from '../domain/signed-time.js';
import { msOf } from './time.js';

/**
 * What every read model folds: one stored event, decoded once from its envelope. The domain event
 * is `act.events[index]`, its time the time the act took effect (its last required signature; the
 * prepared time for old, v1 signatures), its signers the act's. The store is trusted here as
 * it is by the write model; `verifyStream` is where nothing is trusted.
 */

type FactBase = {
  /** 1, 2, 3... in the order the projection applied it: the tie-break for acts at the same instant. */
  seq: number;
  revision: number;
  /** The act the event belongs to: what an investigator cites ("in which act"). */
  actId: string;
  /** When the act took effect (valid time). */
  time: IsoTime;
  /** `time` as epoch milliseconds: every index compares numbers, not strings. */
  ms: number;
  /**
   * When the ledger recorded it (transaction time, epoch ms), from the store's metadata; for events
   * stored before appends were timed, the time it took effect. "As known at K" counts what has this ≤ K.
   */
  recordedMs: number;
  signers: readonly PersonId[];
  commandType: string;
};

/** One carrier event, flat: made once per event and dropped after the fold; models keep what they need. */
export type CarrierFact = FactBase & { kind: 'carrier'; carrierId: string; event: RecordedCarrierEvent };
export type PersonFact = FactBase & { kind: 'person'; personId: string; event: PersonEvent & { time: IsoTime } };
export type PolicyFact = FactBase & { kind: 'policy'; event: PolicyEvent & { time: IsoTime } };
/** Streams the projections do not read (the ledger's checkpoints). */
export type OtherFact = { kind: 'other'; seq: number };
export type Fact = CarrierFact | PersonFact | PolicyFact | OtherFact;

/** A stored event the projections cannot read: the store is damaged, and a silent skip would lie. */
export class ProjectionError extends Error {
  override readonly name = 'ProjectionError';
  constructor(
    readonly position: bigint,
    message: string,
  ) {
    super(`projection stopped at position ${position}: ${message}`);
  }
}

/** Event fields that name a person or a place: the strings worth sharing (ids of acts are unique). */
const NAMES = new Set([
  'holder', 'registeredBy', 'receivedBy', 'from', 'to', 'outgoing', 'incoming', 'openedBy', 'widenedBy', 'reader',
  'issuedBy', 'closedBy', 'requestedBy', 'approvedBy', 'madeBy', 'receiver', 'borrower', 'custodian', 'sanitisedBy',
  'reportedBy', 'recoveredBy', 'declaredBy', 'destroyedBy', 'witness', 'correctedBy', 'location', 'readingRoom',
  'couriers', 'fromCouriers', 'toCouriers', 'takenBy', 'readers', 'addedReaders',
]);

/**
 * A large ledger repeats the same few thousand strings (types, person ids, places) millions of
 * times, and every parse makes fresh copies. The read models keep many of them for good, so a fold
 * shares one copy of each: less to hold, and less for the garbage collector to walk. One per feed,
 * dropped with it.
 */
export function createInterner() {
  const strings = new Map<string, string>();
  const text = (value: string): string => {
    const known = strings.get(value);
    if (known !== undefined) return known;
    strings.set(value, value);
    return value;
  };
  /** Shares every string of a list, in place. */
  const list = <T extends unknown[]>(values: T): T => {
    for (let i = 0; i < values.length; i++) if (typeof values[i] === 'string') values[i] = text(values[i] as string);
    return values;
  };
  return {
    text,
    list,
    /** Shares the names in an event's data, in place: the parsed envelope is the fold's own copy. */
    names(data: Record<string, unknown>): void {
      for (const key in data) {
        if (!NAMES.has(key)) continue;
        const value = data[key];
        if (typeof value === 'string') data[key] = text(value);
        else if (Array.isArray(value)) list(value);
      }
    },
  };
}
export type Interner = ReturnType<typeof createInterner>;

export function decodeRecorded(recorded: RecordedEvent, seq: number, shared: Interner = createInterner()): Fact {
  const { stream, position } = recorded;
  const isCarrier = stream.startsWith('carrier-');
  const isPolicy = stream === POLICY_STREAM;
  if (!isCarrier && !isPolicy && !stream.startsWith('person-')) return { kind: 'other', seq };
  const envelope = recorded.data as unknown as StoredEnvelope;
  const act = envelope?.act;
  const event = act?.events?.[envelope.index];
  if (!event || typeof act.time !== 'string' || !Array.isArray(act.signers)) {
    throw new ProjectionError(position, `${stream}@${recorded.revision} is not a signed act envelope`);
  }
  if (event.stream !== stream) {
    throw new ProjectionError(position, `${stream}@${recorded.revision} holds an event of ${event.stream}`);
  }
  const metadataActId = recorded.metadata['actId'];
  const actId = typeof metadataActId === 'string' ? metadataActId : '';
  const id = stream.slice(stream.indexOf('-') + 1);
  const revision = Number(recorded.revision);
  const time = effectiveTime(act, Array.isArray(envelope.signatures) ? envelope.signatures : []);
  const ms = msOf(time);
  const recordedAt = recorded.metadata['recordedAt'];
  const recordedMs = typeof recordedAt === 'string' ? msOf(recordedAt) : ms;
  const signers: readonly PersonId[] = shared.list(act.signers);
  const commandType = shared.text(act.command.type);
  // The store parses afresh on every read, so the envelope is this fold's own copy to share names in.
  shared.names(event.data);
  const domainEvent = { type: shared.text(event.type), data: event.data, time };
  // One literal per kind, no spread: a million of these are made during a rebuild.
  if (isCarrier) {
    return { kind: 'carrier', seq, revision, actId, time, ms, recordedMs, signers, commandType, carrierId: id, event: domainEvent as RecordedCarrierEvent };
  }
  if (isPolicy) {
    return { kind: 'policy', seq, revision, actId, time, ms, recordedMs, signers, commandType, event: domainEvent as PolicyEvent & { time: IsoTime } };
  }
  const personEvent = domainEvent as PersonEvent & { time: IsoTime };
  return { kind: 'person', seq, revision, actId, time, ms, recordedMs, signers, commandType, personId: id, event: personEvent };
}
