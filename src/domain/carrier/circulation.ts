import { require, type RuleId } from '../errors.js';
import { addHours, type PersonId } from '../primitives.js';
import type { CarrierCommandOf } from './commands.js';
import {
  activePerson,
  clearedPerson,
  clerkOf,
  inHand,
  registeredCarrier,
  type CarrierContext,
  type Decision,
} from './context.js';
import type { Carrier, CarrierStates, Circulation } from './state.js';

//// Guards ////////////////////////////////////////////////////////////////

/** R-CIRC-5 is R-CIRC-1 for documents sent for a leader's instruction: refusals name the one that applies. */
const directRule = (circulation: Circulation): RuleId =>
  circulation.purpose === 'leader-instruction' ? 'R-CIRC-5' : 'R-CIRC-1';

/** Later commands name the circulation they belong to, so an act prepared for a closed one cannot slip in. */
function openCirculation(carrier: Carrier, circulationId: string, rule: RuleId): Circulation {
  const circulation = carrier.circulation;
  require(
    circulation !== null,
    rule,
    `${carrier.id} has no open circulation (the command names ${circulationId})`,
  );
  require(
    circulation.id === circulationId,
    rule,
    `${carrier.id} is in circulation ${circulation.id}, not ${circulationId}`,
  );
  return circulation;
}

/** R-CIRC-1, R-CIRC-5: between two readers the carrier is back in the registry's hands. */
function requireBackAtRegistry(carrier: Carrier, circulation: Circulation, doing: string): void {
  const rule = directRule(circulation);
  require(
    circulation.reader === null,
    rule,
    `${carrier.id} is with reader ${circulation.reader} in circulation ${circulation.id}: it must come back to the registry before ${doing}`,
  );
  require(
    carrier.atRegistry,
    rule,
    `${carrier.id} is held by ${carrier.holders.join(' and ')}, not by registry ${carrier.description.registry}: it must be back at the registry before ${doing}`,
  );
}

/**
 * R-HOLD-2 for every reader when the list is fixed, so no issue fails later for clearance; and
 * R-REG-4: a personal item may only be read by its addressee or a designated proxy.
 */
function requireEligibleReaders(ctx: CarrierContext, carrier: Carrier, readers: PersonId[]): void {
  const personal = carrier.description.personal;
  for (const reader of readers) {
    clearedPerson(ctx, reader, carrier.description.classification);
    if (personal) {
      require(
        reader === personal.addressee || personal.proxies.includes(reader),
        'R-REG-4',
        `${carrier.id} is marked personal for ${personal.addressee}; ${reader} is neither the addressee nor a designated proxy and may not be on its reader list`,
      );
    }
  }
}

//// Deciders //////////////////////////////////////////////////////////////

/** R-CIRC-1, R-CIRC-2, R-CIRC-4: the registry fixes the reader list and the reading time. */
export function decideOpenCirculation(
  command: CarrierCommandOf<'OpenCirculation'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, circulationId, readers, purpose, urgent, readingHours, openedBy } = command.data;
  const carrier = inHand(registeredCarrier(states, carrierId));
  require(
    carrier.circulation === null,
    'R-CIRC-1',
    `${carrierId} is already in circulation ${carrier.circulation?.id}; close it before opening ${circulationId}`,
  );
  clerkOf(ctx, openedBy, carrier.description.registry, 'R-CIRC-1');
  require(
    carrier.atRegistry,
    'R-CIRC-1',
    `${carrierId} is held by ${carrier.holders.join(' and ')}, not by registry ${carrier.description.registry}: only the registry circulates it`,
  );
  requireEligibleReaders(ctx, carrier, readers);
  // R-CIRC-4 is watched, not enforced: the deadline is recorded and projections raise it when passed.
  const hours = readingHours ?? (urgent ? ctx.policy.urgentCirculationHours : ctx.policy.circulationMaxHours);
  return [
    {
      carrierId,
      event: {
        type: 'CirculationOpened',
        data: { circulationId, readers, purpose, urgent, readingHours: hours, openedBy },
      },
    },
  ];
}

/** R-CIRC-2: widening the reader list is its own signed act of the registry. */
export function decideWidenCirculation(
  command: CarrierCommandOf<'WidenCirculation'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, circulationId, readers, widenedBy } = command.data;
  const carrier = inHand(registeredCarrier(states, carrierId));
  const circulation = openCirculation(carrier, circulationId, 'R-CIRC-2');
  clerkOf(ctx, widenedBy, carrier.description.registry, 'R-CIRC-2');
  const already = readers.filter((r) => circulation.readers.includes(r));
  require(
    already.length === 0,
    'R-CIRC-2',
    `${already.join(', ')} already on the reader list of circulation ${circulationId}`,
  );
  requireEligibleReaders(ctx, carrier, readers);
  return [
    { carrierId, event: { type: 'CirculationWidened', data: { circulationId, addedReaders: readers, widenedBy } } },
  ];
}

/** R-CIRC-1, R-CIRC-2, R-CIRC-4: the registry issues to one listed reader at a time, with a deadline. */
export function decideIssueToReader(
  command: CarrierCommandOf<'IssueToReader'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, circulationId, reader, issuedBy } = command.data;
  const carrier = inHand(registeredCarrier(states, carrierId));
  const circulation = openCirculation(carrier, circulationId, 'R-CIRC-1');
  requireBackAtRegistry(carrier, circulation, `it is issued to ${reader}`);
  clerkOf(ctx, issuedBy, carrier.description.registry, directRule(circulation));
  require(
    circulation.readers.includes(reader),
    'R-CIRC-2',
    `${reader} is not on the reader list of circulation ${circulationId}`,
  );
  require(issuedBy !== reader, 'R-HOLD-3', `${issuedBy} cannot issue ${carrierId} to themselves`);
  // Clearance may have been lowered since the list was fixed.
  clearedPerson(ctx, reader, carrier.description.classification);
  const dueBy = addHours(ctx.now, circulation.readingHours);
  return [{ carrierId, event: { type: 'CarrierIssuedToReader', data: { circulationId, reader, issuedBy, dueBy } } }];
}

/** R-CIRC-1, R-CIRC-3, R-CIRC-5: the reader gives it back to the registry and signs with full name. */
export function decideReturnFromReader(
  command: CarrierCommandOf<'ReturnFromReader'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, circulationId, reader, readerName, receivedBy } = command.data;
  const carrier = inHand(registeredCarrier(states, carrierId));
  const circulation = openCirculation(carrier, circulationId, 'R-CIRC-1');
  require(
    circulation.reader === reader,
    directRule(circulation),
    circulation.reader === null
      ? `${carrierId} is at the registry, not with ${reader}: there is nothing to return`
      : `${carrierId} is with reader ${circulation.reader}, not ${reader}: only the reader who has it returns it`,
  );
  const readerPerson = activePerson(ctx, reader, 'R-CIRC-3');
  require(
    readerName === readerPerson.name,
    'R-CIRC-3',
    `${reader} must sign the return with their full name "${readerPerson.name}", not "${readerName}"`,
  );
  clerkOf(ctx, receivedBy, carrier.description.registry, 'R-CIRC-3');
  return [
    {
      carrierId,
      event: { type: 'CarrierReturnedByReader', data: { circulationId, reader, readerName, receivedBy } },
    },
  ];
}

/** R-CIRC-1: a circulation ends with the carrier back at the registry. */
export function decideCloseCirculation(
  command: CarrierCommandOf<'CloseCirculation'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, circulationId, closedBy } = command.data;
  const carrier = inHand(registeredCarrier(states, carrierId));
  const circulation = openCirculation(carrier, circulationId, 'R-CIRC-1');
  requireBackAtRegistry(carrier, circulation, `circulation ${circulationId} is closed`);
  clerkOf(ctx, closedBy, carrier.description.registry, directRule(circulation));
  return [{ carrierId, event: { type: 'CirculationClosed', data: { circulationId, closedBy } } }];
}
