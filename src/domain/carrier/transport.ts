import { RuleViolation, ValidationError, require, type RuleId } from '../errors.js';
import { addHours, type PersonId } from '../primitives.js';
import { hasRole, isClerkOf, type Person } from '../person/state.js';
import type { CarrierCommandOf } from './commands.js';
import {
  activePerson,
  clearedPerson,
  inHand,
  notDestroyed,
  registeredCarrier,
  requireHandOn,
  type CarrierContext,
  type Decision,
} from './context.js';
import { requirePersonalDelivery } from './custody.js';
import type { Carrier, CarrierStates, Transport } from './state.js';

/** R-TRANSPORT-2: top-secret leaving the premises travels with two couriers together (二人同行). */
const needsTwoCouriers = (carriers: Carrier[], leavesPremises: boolean): boolean =>
  leavesPremises && carriers.some((c) => c.description.classification === 'top-secret');

const sameSet = (a: PersonId[], b: PersonId[]): boolean => a.length === b.length && a.every((id) => b.includes(id));

/**
 * The couriers who take it on: distinct, enrolled, active people with the courier role (anyone else
 * is a third party, R-TRANSPORT-1), two of them when R-TRANSPORT-2 applies, each cleared for every
 * carrier (R-HOLD-2).
 */
function requireCouriers(ctx: CarrierContext, couriers: PersonId[], carriers: Carrier[], twoPerson: boolean): void {
  const rule: RuleId = twoPerson ? 'R-TRANSPORT-2' : 'R-TRANSPORT-1';
  require(
    new Set(couriers).size === couriers.length,
    rule,
    `the couriers must be distinct people; ${couriers.join(' and ')} names one person twice`,
  );
  if (twoPerson) {
    const topSecret = carriers.filter((c) => c.description.classification === 'top-secret').map((c) => c.id);
    require(
      couriers.length === 2,
      'R-TRANSPORT-2',
      `${topSecret.join(', ')} is top-secret and leaves the premises: it travels with two couriers together, not ${couriers.length}`,
    );
  }
  for (const courier of couriers) {
    const person = activePerson(ctx, courier, rule);
    require(
      hasRole(person, 'courier'),
      'R-TRANSPORT-1',
      `${courier} is not a courier; couriers may not hand a transport to third parties`,
    );
  }
  for (const carrier of carriers) {
    for (const courier of couriers) clearedPerson(ctx, courier, carrier.description.classification);
  }
}

/** R-CIRC-1, R-CIRC-5: a carrier with a reader goes back to the registry, never out on a transport. */
function requireNoReader(carrier: Carrier): void {
  const circulation = carrier.circulation;
  if (!circulation || circulation.reader === null) return;
  throw new RuleViolation(
    circulation.purpose === 'leader-instruction' ? 'R-CIRC-5' : 'R-CIRC-1',
    `${carrier.id} is with reader ${circulation.reader} in circulation ${circulation.id}: it goes back to the registry, not out on a transport`,
  );
}

/** R-MEDIA-1: a disk leaves the premises only with a leader's approval and its designated custodian along. */
function requireMediaExit(carrier: Carrier, giver: PersonId, couriers: PersonId[]): void {
  const { exitApprovedBy, custodian } = carrier.media;
  require(
    exitApprovedBy !== null && custodian !== null,
    'R-MEDIA-1',
    `disk ${carrier.id} may not leave the premises without a recorded exit approval (ApproveMediaExit)`,
  );
  require(
    custodian === giver || couriers.includes(custodian),
    'R-MEDIA-1',
    `disk ${carrier.id} must travel with its designated custodian ${custodian}, who is neither the giver nor a courier`,
  );
}

/** R-MEDIA-2: only a disk goes out for repair, and only sanitised and with an approval. */
function requireRepairReady(carrier: Carrier): void {
  require(carrier.description.kind === 'disk', 'R-MEDIA-2', `${carrier.id} is a ${carrier.description.kind}; only disks go out for repair`);
  require(carrier.media.sanitised, 'R-MEDIA-2', `disk ${carrier.id} has no recorded sanitisation; its classified content is removed before repair`);
  require(carrier.media.repairApprovedBy !== null, 'R-MEDIA-2', `disk ${carrier.id} has no recorded repair approval (ApproveMediaRepair)`);
}

/** The carrier travels under `transportId`; anything else may not be handed on or delivered by its couriers. */
function inTransitUnder(carrier: Carrier, transportId: string): Carrier & { transport: Transport } {
  notDestroyed(carrier);
  const transport = carrier.transport;
  require(
    carrier.status === 'in-transit' && transport !== null && transport.transportId === transportId,
    'R-TRANSPORT-1',
    `${carrier.id} is not in transit under ${transportId} (it is ${carrier.status}${transport ? ` under ${transport.transportId}` : ''})`,
  );
  return { ...carrier, transport };
}

/** R-HOLD-1: in transit, only the courier pair that holds it now can hand it on. */
function requireCurrentCouriers(carrier: Carrier & { transport: Transport }, couriers: PersonId[]): void {
  require(
    sameSet(couriers, carrier.transport.couriers),
    'R-HOLD-1',
    `${carrier.id} is held by ${carrier.transport.couriers.join(' and ')}, not by ${couriers.join(' and ')}`,
  );
}

/** R-TRANSPORT-1: the courier(s) take it from the holder straight towards a named registry or person. */
export function decideDispatchTransport(
  command: CarrierCommandOf<'DispatchTransport'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierIds, transportId, giver, couriers, destination, leavesPremises, seal, purpose } = command.data;
  const giverPerson = activePerson(ctx, giver, 'R-HOLD-1');
  const carriers = carrierIds.map((id) => {
    const carrier = inHand(registeredCarrier(states, id));
    requireHandOn(carrier, giverPerson);
    requireNoReader(carrier);
    return carrier;
  });
  require(!couriers.includes(giver), 'R-HOLD-3', `${giver} cannot hand the carriers to themselves as courier`);
  requireCouriers(ctx, couriers, carriers, needsTwoCouriers(carriers, leavesPremises));

  const expectedBy = command.data.expectedBy ?? addHours(ctx.now, ctx.policy.transportExpectedHours);
  // R-TRANSPORT-5 measures lateness from this; a deadline already passed would make every transport late.
  if (expectedBy <= ctx.now) {
    throw new ValidationError(`expectedBy ${expectedBy} must be after the dispatch at ${ctx.now}`, [
      { path: ['data', 'expectedBy'], message: 'must be after the time of the act', code: 'custom' },
    ]);
  }

  require(
    destination.registry !== null || destination.person !== null,
    'R-TRANSPORT-1',
    `transport ${transportId} names neither a recipient registry nor a recipient person`,
  );
  if (destination.registry !== null) {
    const registry = destination.registry;
    require(
      [...ctx.persons.values()].some((p) => p.status === 'active' && isClerkOf(p, registry)),
      'R-TRANSPORT-1',
      `registry ${registry} has no active clerk who could sign for transport ${transportId}`,
    );
  }
  const recipient = destination.person !== null ? activePerson(ctx, destination.person, 'R-TRANSPORT-1') : null;

  for (const carrier of carriers) {
    if (recipient) {
      clearedPerson(ctx, recipient.id, carrier.description.classification);
      // Sent to a person alone, a personal item must be addressed to them (R-REG-4); a registry passes it on.
      if (destination.registry === null) requirePersonalDelivery(carrier, recipient);
    }
    if (leavesPremises && carrier.description.kind === 'disk') requireMediaExit(carrier, giver, couriers);
    if (purpose === 'repair') requireRepairReady(carrier);
  }

  return carriers.map((carrier) => ({
    carrierId: carrier.id,
    event: {
      type: 'TransportDispatched',
      data: { transportId, from: giver, couriers, destination, leavesPremises, seal, expectedBy, purpose },
    },
  }));
}

/** R-TRANSPORT-1, R-TRANSPORT-2: couriers hand it only to couriers; both pairs sign. */
export function decideHandOverInTransit(
  command: CarrierCommandOf<'HandOverInTransit'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierIds, transportId, fromCouriers, toCouriers } = command.data;
  const carriers = carrierIds.map((id) => {
    const carrier = inTransitUnder(registeredCarrier(states, id), transportId);
    requireCurrentCouriers(carrier, fromCouriers);
    return carrier;
  });
  require(
    !sameSet(fromCouriers, toCouriers),
    'R-HOLD-3',
    `${toCouriers.join(' and ')} already hold transport ${transportId}; a hand-over changes the holders`,
  );
  const twoPerson = carriers.some((c) => needsTwoCouriers([c], c.transport.leavesPremises));
  requireCouriers(ctx, toCouriers, carriers, twoPerson);
  return carriers.map((carrier) => ({
    carrierId: carrier.id,
    event: { type: 'TransportHandedOver', data: { transportId, fromCouriers, toCouriers } },
  }));
}

/** R-TRANSPORT-1: the named recipient, or a clerk of the named registry; anyone else is a third party. */
function requireNamedRecipient(transport: Transport, receiver: Person): 'person' | 'registry' {
  const { person, registry } = transport.destination;
  if (person === receiver.id) return 'person';
  if (registry !== null && isClerkOf(receiver, registry)) return 'registry';
  const named = [person && `person ${person}`, registry && `a clerk of registry ${registry}`].filter(Boolean);
  throw new RuleViolation(
    'R-TRANSPORT-1',
    `transport ${transport.transportId} is for ${named.join(' or ')}; ${receiver.id} is a third party`,
  );
}

/** R-TRANSPORT-3, R-TRANSPORT-4: the recipient signs for it and attests the seal. */
export function decideDeliverTransport(
  command: CarrierCommandOf<'DeliverTransport'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierIds, transportId, couriers, receiver, location, sealSeen, sealIntact } = command.data;
  const carriers = carrierIds.map((id) => {
    const carrier = inTransitUnder(registeredCarrier(states, id), transportId);
    requireCurrentCouriers(carrier, couriers);
    return carrier;
  });
  require(
    !couriers.includes(receiver),
    'R-TRANSPORT-3',
    `${receiver} is a courier of transport ${transportId}; the recipient who signs for it must be someone else`,
  );
  const receiverPerson = activePerson(ctx, receiver, 'R-TRANSPORT-3');
  return carriers.map((carrier) => {
    const as = requireNamedRecipient(carrier.transport, receiverPerson);
    clearedPerson(ctx, receiver, carrier.description.classification);
    if (as === 'person') requirePersonalDelivery(carrier, receiverPerson);
    const expected = carrier.transport.seal;
    // A different or missing seal number is not refused: it is recorded, and projections raise the alert.
    const seal = expected === null ? null : { expected, seen: sealSeen, intact: sealIntact && sealSeen === expected };
    return {
      carrierId: carrier.id,
      event: {
        type: 'TransportDelivered',
        data: {
          transportId,
          couriers,
          receiver,
          location,
          seal,
          atRegistry: isClerkOf(receiverPerson, carrier.description.registry),
        },
      },
    };
  });
}
