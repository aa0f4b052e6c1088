import type { CarrierStatus } from '../../domain/carrier/state.js';
import type { CarrierId, IsoTime, PersonId } from '../../domain/primitives.js';
import { isoOf, upperBoundBy } from '../time.js';
import { membersAt, type Membership } from './membership.js';
import type { AsOfModel, CustodyInterval } from './model.js';

/** Where a carrier was and who held it at an instant, and the signed act that put it there. */
export type CustodyAt = {
  carrierId: CarrierId;
  at: IsoTime;
  status: CarrierStatus;
  holders: PersonId[];
  location: string;
  atRegistry: boolean;
  /** Since when (the act's time) and until when (the next custody act's time, or null: still so). */
  since: IsoTime;
  until: IsoTime | null;
  act: { actId: string; revision: number; eventType: string; signers: PersonId[] };
};

/** The index of the interval in force at `ms`, or -1 before the carrier existed; among the first `end` only. */
export function intervalIndexAt(list: readonly CustodyInterval[], ms: number, end = list.length): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.ms <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** How many of a carrier's intervals the ledger knew of at `knownMs` (all of them without one). */
export const knownCount = (list: readonly CustodyInterval[], knownMs: number | undefined): number =>
  knownMs === undefined ? list.length : upperBoundBy(list, knownMs, (i) => i.recordedMs);

/**
 * Where the carrier was at `ms`, by the time acts took effect; with `knownMs`, as the ledger stood
 * then: acts it recorded later do not count, so the answer for a past `knownMs` never changes.
 */
export function custodyAt(model: AsOfModel, carrierId: CarrierId, at: IsoTime, ms: number, knownMs?: number): CustodyAt | null {
  const list = model.intervals.get(carrierId) ?? [];
  const end = knownCount(list, knownMs);
  const index = intervalIndexAt(list, ms, end);
  const interval = list[index];
  if (!interval) return null;
  const next = index + 1 < end ? list[index + 1] : undefined;
  return {
    carrierId,
    at,
    status: interval.status,
    holders: [...interval.holders],
    location: interval.location,
    atRegistry: interval.atRegistry,
    since: isoOf(interval.ms),
    until: next ? isoOf(next.ms) : null,
    act: {
      actId: interval.actId,
      revision: interval.revision,
      eventType: interval.eventType,
      signers: [...interval.signers],
    },
  };
}

const atEach = (model: AsOfModel, ids: Set<CarrierId>, at: IsoTime, ms: number, knownMs?: number, keep?: (c: CustodyAt) => boolean): CustodyAt[] =>
  [...ids]
    .sort()
    .flatMap((id) => {
      const custody = custodyAt(model, id, at, ms, knownMs);
      return custody && (!keep || keep(custody)) ? [custody] : [];
    });

/**
 * The carriers a membership held at `ms`; as known at `knownMs`, every carrier it ever had is a
 * candidate (an act recorded later may have moved one in or out), judged by its custody as then known.
 */
function membersThen(model: AsOfModel, m: Membership, at: IsoTime, ms: number, knownMs: number | undefined, keep: (c: CustodyAt) => boolean): CustodyAt[] {
  if (knownMs === undefined) return atEach(model, membersAt(m, ms), at, ms);
  return atEach(model, new Set(m.carrier), at, ms, knownMs, keep);
}

/** What a person held at an instant (alone, or as one of a courier pair), each with its custody then. */
export function holdingsAt(model: AsOfModel, personId: PersonId, at: IsoTime, ms: number, knownMs?: number): CustodyAt[] {
  const membership = model.persons.get(personId);
  return membership ? membersThen(model, membership, at, ms, knownMs, (c) => c.holders.includes(personId)) : [];
}

/** What the ledger placed at a location at an instant (held or on loan there). */
export function atLocationAt(model: AsOfModel, location: string, at: IsoTime, ms: number, knownMs?: number): CustodyAt[] {
  const membership = model.locations.get(location);
  const placedHere = (c: CustodyAt) => c.location === location && (c.status === 'held' || c.status === 'on-loan');
  return membership ? membersThen(model, membership, at, ms, knownMs, placedHere) : [];
}
