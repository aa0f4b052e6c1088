import { NotFound, RuleViolation, require, type RuleId } from '../errors.js';
import type { Policy } from '../policy/policy.js';
import { clearedFor, type CarrierId, type Classification, type IsoTime, type PersonId } from '../primitives.js';
import { isClerkOf, type Person, type PersonDirectory } from '../person/state.js';
import type { RoleName } from '../person/events.js';
import type { CarrierEvent } from './events.js';
import { isRegistered, type Carrier, type CarrierStates } from './state.js';

/** What decide needs besides the carriers' states: all of it passed in, so decide stays pure. */
export type CarrierContext = {
  /** The act's time. */
  now: IsoTime;
  policy: Policy;
  persons: PersonDirectory;
};

/** decide's answer: the events to append, each to its carrier's stream, in act order. */
export type Decision = Array<{ carrierId: CarrierId; event: CarrierEvent }>;

//// Guards: each reads as the rule it enforces //////////////////////////////

/** An enrolled person who has not been deactivated; anyone else cannot take part in an act. */
export function activePerson(ctx: CarrierContext, id: PersonId, rule: RuleId): Person {
  const person = ctx.persons.get(id);
  require(person && person.status === 'active', rule, `${id} is not an enrolled, active person`);
  return person;
}

/** R-HOLD-2: a person may hold a carrier only with clearance at least its classification. */
export function clearedPerson(ctx: CarrierContext, id: PersonId, classification: Classification): Person {
  const person = activePerson(ctx, id, 'R-HOLD-2');
  require(
    clearedFor(person.clearance, classification),
    'R-HOLD-2',
    `${id} is cleared to ${person.clearance} and may not hold a ${classification} carrier`,
  );
  return person;
}

export function personWithRole(ctx: CarrierContext, id: PersonId, role: RoleName, rule: RuleId): Person {
  const person = activePerson(ctx, id, rule);
  require(person.roles.some((r) => r.role === role), rule, `${id} does not have the role ${role}`);
  return person;
}

export function clerkOf(ctx: CarrierContext, id: PersonId, registry: string, rule: RuleId): Person {
  const person = activePerson(ctx, id, rule);
  require(isClerkOf(person, registry), rule, `${id} is not a registry clerk of ${registry}`);
  return person;
}

/** The carrier must be registered; an unknown id is "not found", not a rule. */
export function registeredCarrier(states: CarrierStates, id: CarrierId): Carrier {
  const state = states.get(id);
  if (!state || !isRegistered(state)) throw new NotFound('carrier', id);
  return state;
}

/** R-DESTROY-2: nothing happens to a destroyed carrier. */
export function notDestroyed(carrier: Carrier): Carrier {
  require(carrier.status !== 'destroyed', 'R-DESTROY-2', `${carrier.id} was destroyed; its stream is closed`);
  return carrier;
}

/**
 * A carrier that sits with a holder and can change hands: not destroyed, not missing or lost, not
 * travelling, not on archive loan. Each refusal names the rule that keeps it where it is.
 */
export function inHand(carrier: Carrier): Carrier {
  notDestroyed(carrier);
  require(
    carrier.status !== 'missing' && carrier.status !== 'lost',
    'R-LOSS-2',
    `${carrier.id} is ${carrier.status}: only recovery (or a declaration of loss) may follow`,
  );
  require(
    carrier.status !== 'in-transit',
    'R-TRANSPORT-1',
    `${carrier.id} is in transit: only its couriers may hand it on, to couriers or its recipient`,
  );
  require(
    carrier.status !== 'on-loan',
    'R-LOAN-2',
    `${carrier.id} is on archive loan and stays in the reading room until it is returned`,
  );
  return carrier;
}

/** R-HOLD-1: only the holder, or a clerk of the registry for carriers it took in, hands it on. */
export function mayHandOn(carrier: Carrier, giver: Person): boolean {
  return carrier.holders.includes(giver.id) || (carrier.atRegistry && isClerkOf(giver, carrier.description.registry));
}

export function requireHandOn(carrier: Carrier, giver: Person): void {
  require(
    mayHandOn(carrier, giver),
    'R-HOLD-1',
    `${giver.id} does not hold ${carrier.id} (held by ${carrier.holders.join(' and ')}) and cannot hand it on`,
  );
}

/** R-BATCH-1: one act covers at most the policy's number of carriers. */
export function requireBatchSize(ctx: CarrierContext, count: number): void {
  if (count > ctx.policy.maxCarriersPerAct) {
    throw new RuleViolation(
      'R-BATCH-1',
      `one act may cover at most ${ctx.policy.maxCarriersPerAct} carriers (policy ${ctx.policy.name}); this one covers ${count}`,
    );
  }
}
