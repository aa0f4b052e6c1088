import type { StoredEnvelope } from '../domain/act.js';
import { evolveCarrier, type RecordedCarrierEvent } from '../domain/carrier/evolve.js';
import { initialCarrierState, isRegistered, type CarrierState } from '../domain/carrier/state.js';
import { evolvePerson } from '../domain/person/evolve.js';
import type { PersonEvent } from '../domain/person/events.js';
import type { PolicyEvent } from '../domain/policy/events.js';
import { evolvePolicyHistory, initialPolicyHistory, POLICY_STREAM, type PolicyHistory } from '../domain/policy/history.js';
import { initialPersonState, type Person, type PersonState } from '../domain/person/state.js';
import type { Classification, IsoTime } from '../domain/primitives.js';
import type { RecordedEvent } from '../store/port.js';
import { effectiveTime } from '../domain/signed-time.js';
import type { EventMetadata } from './envelope.js';

/** `time`: when the head's act took effect; `preparedTime`: when it was prepared (its `act.time`). */
export type StreamHead = { revision: number; hash: string; time: IsoTime; preparedTime: IsoTime; actId: string };

/**
 * The state decide needs, for every stream, kept in memory and advanced by every recorded event:
 * stream heads (for the chain and staleness), carriers, persons, who holds what (R-HOLD-4), and
 * every policy adopted (the thresholds an act is decided by).
 * One process writes through it; it is rebuilt from the store at start.
 */
export type WriteModel = {
  heads: Map<string, StreamHead>;
  carriers: Map<string, CarrierState>;
  persons: Map<string, PersonState>;
  /** Active persons only: the directory decide consults. */
  directory: Map<string, Person>;
  holdings: Map<string, Set<string>>;
  policies: PolicyHistory;
  /** The latest time an act took effect, on any stream: a policy cannot be adopted before it (R-POLICY). */
  latestActTime: IsoTime | null;
  /** When the ledger last recorded an append (metadata `recordedAt`): the next one is never earlier. */
  lastRecordedAt: IsoTime | null;
  position: bigint;
};

export const createWriteModel = (): WriteModel => ({
  heads: new Map(),
  carriers: new Map(),
  persons: new Map(),
  directory: new Map(),
  holdings: new Map(),
  policies: initialPolicyHistory,
  latestActTime: null,
  lastRecordedAt: null,
  position: 0n,
});

export function holdingsOf(model: WriteModel, personId: string): Array<{ carrierId: string; classification: Classification }> {
  return [...(model.holdings.get(personId) ?? [])].flatMap((carrierId) => {
    const carrier = model.carriers.get(carrierId);
    return carrier && isRegistered(carrier) ? [{ carrierId, classification: carrier.description.classification }] : [];
  });
}

/**
 * Folds one stored event, once. The store is trusted here; `verify` is where nothing is trusted.
 * `carrierAfter`: the carrier's state after this event, when the read models have just folded it
 * with the same `evolveCarrier` (at start, one read feeds both); it is taken as it is, and shared.
 */
export function foldRecorded(model: WriteModel, recorded: RecordedEvent, carrierAfter?: CarrierState): void {
  if (recorded.position > model.position) model.position = recorded.position;
  // The ledger's checkpoints hold no acts: nothing for decide to know.
  if (!recorded.stream.startsWith('carrier-') && !recorded.stream.startsWith('person-') && recorded.stream !== POLICY_STREAM) return;
  // An event can arrive twice (our own append, then the store's feed): a stream folds each revision once.
  const head = model.heads.get(recorded.stream);
  if (head && head.revision >= Number(recorded.revision)) return;
  const envelope = recorded.data as unknown as StoredEnvelope;
  const metadata = recorded.metadata as unknown as EventMetadata;
  const { act, index } = envelope;
  const event = act.events[index];
  if (!event) throw new Error(`event ${recorded.eventId} points outside its act`);
  const id = recorded.stream.slice(recorded.stream.indexOf('-') + 1);
  // Every state is folded at the time the act took effect (its last required signature).
  const time = effectiveTime(act, envelope.signatures);
  if (model.latestActTime === null || time > model.latestActTime) model.latestActTime = time;
  const recordedAt = metadata.recordedAt;
  if (typeof recordedAt === 'string' && (model.lastRecordedAt === null || recordedAt > model.lastRecordedAt)) model.lastRecordedAt = recordedAt;
  if (recorded.stream === POLICY_STREAM) {
    model.policies = evolvePolicyHistory(model.policies, { ...({ type: event.type, data: event.data } as PolicyEvent), time });
  } else if (recorded.stream.startsWith('carrier-')) {
    const before = model.carriers.get(id) ?? initialCarrierState();
    const after = carrierAfter ?? evolveCarrier(before, { type: event.type, data: event.data, time } as RecordedCarrierEvent);
    model.carriers.set(id, after);
    moveHoldings(model, id, before, after);
  } else {
    const after = evolvePerson(model.persons.get(id) ?? initialPersonState(), {
      ...({ type: event.type, data: event.data } as PersonEvent),
      time,
    });
    model.persons.set(id, after);
    if (after.status === 'active') model.directory.set(id, after);
    else model.directory.delete(id);
  }
  // Updated in place: a head replaced per event would leave a million dead objects behind a rebuild.
  if (head) {
    head.revision = Number(recorded.revision);
    head.hash = metadata.hash;
    head.time = time;
    head.preparedTime = act.time;
    head.actId = metadata.actId;
  } else {
    model.heads.set(recorded.stream, { revision: Number(recorded.revision), hash: metadata.hash, time, preparedTime: act.time, actId: metadata.actId });
  }
}

function moveHoldings(model: WriteModel, carrierId: string, before: CarrierState, after: CarrierState): void {
  const held = (s: CarrierState) => (isRegistered(s) ? s.holders : []);
  for (const person of held(before)) model.holdings.get(person)?.delete(carrierId);
  for (const person of held(after)) {
    const set = model.holdings.get(person) ?? new Set<string>();
    set.add(carrierId);
    model.holdings.set(person, set);
  }
}
