import type { Classification, IsoTime, PersonId, PublicKey } from '../primitives.js';
import type { KeyRecord, Role, RoleName } from './events.js';

export type Person = {
  status: 'active' | 'deactivated';
  id: PersonId;
  name: string;
  unit: string;
  clearance: Classification;
  roles: Role[];
  keys: KeyRecord[];
  enrolledAt: IsoTime;
};

export type PersonState = { status: 'none' } | Person;

export const initialPersonState = (): PersonState => ({ status: 'none' });

export const hasRole = (person: Person, role: RoleName): boolean => person.roles.some((r) => r.role === role);

export const isClerkOf = (person: Person, registry: string): boolean =>
  person.roles.some((r) => r.role === 'registry-clerk' && r.registry === registry);

/** The key that signed for `person` at `time`, if `publicKey` was valid then (L-2, L-4). */
export const keyValidAt = (person: Person, publicKey: PublicKey, time: IsoTime): KeyRecord | undefined =>
  person.keys.find(
    (k) =>
      k.publicKey === publicKey &&
      k.validFrom <= time &&
      (k.validUntil === null || time < k.validUntil) &&
      (k.revokedFrom === null || time < k.revokedFrom),
  );

/** The person's current signing key at `time` (the newest valid one). */
export const currentKey = (person: Person, time: IsoTime): KeyRecord | undefined =>
  [...person.keys].reverse().find((k) => keyValidAt(person, k.publicKey, time));

export type PersonDirectory = ReadonlyMap<PersonId, Person>;
