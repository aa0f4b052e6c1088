import type { CarrierStatus } from '../../domain/carrier/state.js';
import type { CarrierId, IsoTime, PersonId } from '../../domain/primitives.js';
import { isoOf, upperBoundBy } from '../time.js';
import { membersAt } from './membership.js';
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

/** The index of the interval in force at `ms`, or -1 before the carrier existed. */
export function intervalIndexAt(list: readonly CustodyInterval[], ms: number): number {
  return upperBoundBy(list, ms, (i) => i.ms) - 1;
}

export function custodyAt(model: AsOfModel, carrierId: CarrierId, at: IsoTime, ms: number): CustodyAt | null {
  const list = model.intervals.get(carrierId) ?? [];
  const index = intervalIndexAt(list, ms);
  const interval = list[index];
  if (!interval) return null;
  const next = list[index + 1];
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

const atEach = (model: AsOfModel, ids: Set<CarrierId>, at: IsoTime, ms: number): CustodyAt[] =>
  [...ids]
    .sort()
    .flatMap((id) => {
      const custody = custodyAt(model, id, at, ms);
      return custody ? [custody] : [];
    });

/** What a person held at an instant (alone, or as one of a courier pair), each with its custody then. */
export function holdingsAt(model: AsOfModel, personId: PersonId, at: IsoTime, ms: number): CustodyAt[] {
  const membership = model.persons.get(personId);
  return membership ? atEach(model, membersAt(membership, ms), at, ms) : [];
}

/** What the ledger placed at a location at an instant. */
export function atLocationAt(model: AsOfModel, location: string, at: IsoTime, ms: number): CustodyAt[] {
  const membership = model.locations.get(location);
  return membership ? atEach(model, membersAt(membership, ms), at, ms) : [];
}
