import type { CarrierStatus } from '../../domain/carrier/state.js';
import type { CarrierId, PersonId } from '../../domain/primitives.js';
import type { CustodyTransition } from '../custody/model.js';
import type { CarrierFact } from '../facts.js';
import { createMembership, recordChange, snapshotMembership, type Membership } from './membership.js';

/**
 * Custody over time ("time travel"). Each carrier's history is a sorted list of custody intervals:
 * one starts at every act that changed its holders, location or status, and lasts until the next
 * one starts. A carrier's own acts are never out of time order (the ledger refuses an act dated
 * before its stream's head), so intervals are appended, and "where was X at T" is a binary search.
 *
 * The boundary: an interval starts at its act's time, inclusive. At exactly an act's time the act
 * has happened; one millisecond before, it has not. An act's time is when it took effect (its last
 * required signature); the ledger also records when it learned of it, so "as the ledger stood at K"
 * is a prefix of the same list: those recorded at or before K.
 */
export type CustodyInterval = {
  /** When it started (the time its act took effect), as epoch milliseconds. */
  ms: number;
  /** When the ledger recorded its act (epoch ms); never before the previous interval's, so "known at K" is a prefix. */
  recordedMs: number;
  status: CarrierStatus;
  holders: readonly PersonId[];
  location: string;
  atRegistry: boolean;
  /** The act that started it: the signed custody an investigator cites. */
  actId: string;
  revision: number;
  eventType: string;
  signers: readonly PersonId[];
};

/** What holding a carrier meant in an interval: in transit it is carried, with a reader or borrower it is read. */
export const holdingRole = (i: CustodyInterval): 'held' | 'carried' | 'read' =>
  i.status === 'in-transit' ? 'carried' : i.eventType === 'CarrierIssuedToReader' || i.status === 'on-loan' ? 'read' : 'held';

/**
 * Who holds the carrier during an interval: nobody once it is missing, lost or destroyed. The last
 * holder's custody ends at the report (R-LOSS-*); the incident report and the loss trace both ask here.
 */
export const heldBy = (i: CustodyInterval): readonly PersonId[] =>
  i.status === 'missing' || i.status === 'lost' || i.status === 'destroyed' ? [] : i.holders;

export type AsOfModel = {
  intervals: Map<CarrierId, CustodyInterval[]>;
  /** Per person: the carriers they held (alone or as a courier pair) over time. */
  persons: Map<PersonId, Membership>;
  /** Per location: the carriers the ledger placed there over time (held or on loan there). */
  locations: Map<string, Membership>;
};

export const createAsOfModel = (): AsOfModel => ({ intervals: new Map(), persons: new Map(), locations: new Map() });

export function evolveAsOf(model: AsOfModel, fact: CarrierFact, transition: CustodyTransition): void {
  if (!transition.custodyChanged) return;
  const { was, now } = transition;
  const { ms, actId, signers } = fact;
  const list = model.intervals.get(fact.carrierId);
  const previous = list?.[list.length - 1];
  const interval: CustodyInterval = {
    ms,
    recordedMs: previous && previous.recordedMs > fact.recordedMs ? previous.recordedMs : fact.recordedMs,
    status: now.status,
    holders: now.holders,
    location: now.location,
    atRegistry: now.atRegistry,
    actId,
    revision: fact.revision,
    eventType: fact.event.type,
    signers,
  };
  if (list) list.push(interval);
  else model.intervals.set(fact.carrierId, [interval]);

  const held = was?.holders ?? [];
  for (const holder of held) if (!now.holders.includes(holder)) change(model.persons, holder, ms, fact.carrierId, false);
  for (const holder of now.holders) if (!held.includes(holder)) change(model.persons, holder, ms, fact.carrierId, true);
  const from = was?.placedAt ?? null;
  if (from !== now.placedAt) {
    if (from !== null) change(model.locations, from, ms, fact.carrierId, false);
    if (now.placedAt !== null) change(model.locations, now.placedAt, ms, fact.carrierId, true);
  }
}

function change(index: Map<string, Membership>, key: string, ms: number, carrierId: CarrierId, gain: boolean): void {
  let membership = index.get(key);
  if (!membership) {
    membership = createMembership();
    index.set(key, membership);
  }
  recordChange(membership, ms, carrierId, gain);
}

export function snapshotAsOf(model: AsOfModel): unknown {
  const sorted = <V, R>(map: Map<string, V>, f: (v: V) => R) => [...map.keys()].sort().map((k) => [k, f(map.get(k)!)]);
  return {
    intervals: sorted(model.intervals, (list) => list),
    persons: sorted(model.persons, snapshotMembership),
    locations: sorted(model.locations, snapshotMembership),
  };
}
