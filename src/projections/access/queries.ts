import type { CarrierId, Classification, IsoTime, PersonId } from '../../domain/primitives.js';
import type { CustodyModel } from '../custody/model.js';
import { requireCarrier } from '../custody/queries.js';
import type { PersonLookup } from '../persons/model.js';
import type { AccessModel } from './model.js';
import { isoOf } from '../time.js';
import { isPhysical, partiesOf, type AccessRole } from './parties.js';

/** One person's part in one act on the carrier. */
export type AccessLine = {
  personId: PersonId;
  role: AccessRole;
  time: IsoTime;
  actId: string;
  revision: number;
  eventType: string;
};

export type AccessPerson = {
  personId: PersonId;
  name: string;
  roles: AccessRole[];
  /** Held, carried, read, copied, witnessed, sighted or handled it: not only paperwork. */
  physical: boolean;
  first: IsoTime;
  last: IsoTime;
  acts: number;
};

/** R-ACCESS-1: everyone who held, carried, read, copied or witnessed the carrier, with when and in which act. */
export type AccessRecord = {
  carrierId: CarrierId;
  title: string;
  classification: Classification;
  /** In order of first appearance. */
  people: AccessPerson[];
  /** Every line, in the carrier's own order (revision). */
  lines: AccessLine[];
};

export function accessRecord(
  access: AccessModel,
  custody: CustodyModel,
  persons: PersonLookup,
  carrierId: CarrierId,
): AccessRecord {
  const carrier = requireCarrier(custody, carrierId);
  const lines: AccessLine[] = [];
  const people = new Map<PersonId, AccessPerson>();
  for (const entry of access.entries.get(carrierId) ?? []) {
    const time = isoOf(entry.ms);
    const acted = new Set<PersonId>();
    for (const { personId, role } of partiesOf(entry, entry.signers)) {
      lines.push({ personId, role, time, actId: entry.actId, revision: entry.revision, eventType: entry.type });
      let person = people.get(personId);
      if (!person) {
        person = { personId, name: persons.name(personId), roles: [], physical: false, first: time, last: time, acts: 0 };
        people.set(personId, person);
      }
      if (!person.roles.includes(role)) person.roles.push(role);
      person.physical ||= isPhysical(role);
      person.last = time;
      if (!acted.has(personId)) person.acts += 1;
      acted.add(personId);
    }
  }
  return {
    carrierId,
    title: carrier.description.title,
    classification: carrier.description.classification,
    people: [...people.values()],
    lines,
  };
}
