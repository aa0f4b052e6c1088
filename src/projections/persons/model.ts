import { evolvePerson } from '../../domain/person/evolve.js';
import { hasRole, initialPersonState, type Person } from '../../domain/person/state.js';
import type { PersonId } from '../../domain/primitives.js';
import type { PersonFact } from '../facts.js';

/**
 * Who is who, as the person streams say: names for reports, roles for the WATCH rules (a leader's
 * year-end returns, a registry clerk's "back at the registry", a security officer's receipt of a
 * loss report). Reuses the domain's evolvePerson; keys are kept because they are part of the state.
 */
export type PersonsModel = {
  persons: Map<PersonId, Person>;
  /** Who has each role the WATCH rules ask about, as sets: asked on every custody change. */
  leaders: Set<PersonId>;
  clerks: Set<PersonId>;
  securityOfficers: Set<PersonId>;
};

export const createPersonsModel = (): PersonsModel => ({
  persons: new Map(),
  leaders: new Set(),
  clerks: new Set(),
  securityOfficers: new Set(),
});

export function evolvePersons(model: PersonsModel, fact: PersonFact): void {
  const after = evolvePerson(model.persons.get(fact.personId) ?? initialPersonState(), fact.event);
  if (after.status === 'none') return;
  model.persons.set(fact.personId, after);
  const sync = (set: Set<PersonId>, role: Parameters<typeof hasRole>[1]) => {
    if (hasRole(after, role)) set.add(after.id);
    else set.delete(after.id);
  };
  sync(model.leaders, 'leader');
  sync(model.clerks, 'registry-clerk');
  sync(model.securityOfficers, 'security-officer');
}

/** Read-only lookups the other read models use while folding, and the queries use to name people. */
export type PersonLookup = {
  get(id: PersonId): Person | undefined;
  name(id: PersonId): string;
  isLeader(id: PersonId): boolean;
  isSecurityOfficer(id: PersonId): boolean;
  /** A clerk of any registry: a carrier in their hands is "at a registry" (R-HOLD-5). */
  isAnyClerk(id: PersonId): boolean;
};

export function personLookup(model: PersonsModel): PersonLookup {
  return {
    get: (id) => model.persons.get(id),
    name: (id) => model.persons.get(id)?.name ?? id,
    isLeader: (id) => model.leaders.has(id),
    isSecurityOfficer: (id) => model.securityOfficers.has(id),
    isAnyClerk: (id) => model.clerks.has(id),
  };
}

export function snapshotPersons(model: PersonsModel): unknown {
  return [...model.persons.values()]
    .map((p) => ({ id: p.id, status: p.status, clearance: p.clearance, roles: p.roles, keys: p.keys.length }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}
