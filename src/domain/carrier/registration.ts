import { require } from '../errors.js';
import { isClerkOf } from '../person/state.js';
import type { CarrierCommandOf } from './commands.js';
import {
  activePerson,
  clearedPerson,
  clerkOf,
  notDestroyed,
  registeredCarrier,
  type CarrierContext,
  type Decision,
} from './context.js';
import type { CarrierStates } from './state.js';
import { hasRole } from '../person/state.js';

function requireUnregistered(states: CarrierStates, carrierId: string): void {
  require(
    (states.get(carrierId) ?? { status: 'none' }).status === 'none',
    'R-REG-1',
    `${carrierId} is already registered; a carrier enters the ledger once`,
  );
}

/** R-REG-1, R-REG-3: every carrier, drafts included, enters by a clerk's signed registration. */
export function decideRegisterCarrier(
  command: CarrierCommandOf<'RegisterCarrier'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, description, holder, location, registeredBy } = command.data;
  requireUnregistered(states, carrierId);
  require(
    description.kind !== 'copy',
    'R-COPY-1',
    'a copy made here enters the ledger by MakeCopies under a recorded approval, not by registration',
  );
  clerkOf(ctx, registeredBy, description.registry, 'R-REG-1');
  const holderPerson = clearedPerson(ctx, holder, description.classification);
  if (description.personal) activePerson(ctx, description.personal.addressee, 'R-REG-4');
  return [
    {
      carrierId,
      event: {
        type: 'CarrierRegistered',
        data: {
          carrierId,
          description,
          holder,
          location,
          atRegistry: isClerkOf(holderPerson, description.registry),
          registeredBy,
        },
      },
    },
  ];
}

/** R-REG-2: a carrier from outside is signed for by the receiving clerk and, if enrolled, the deliverer. */
export function decideReceiveCarrier(
  command: CarrierCommandOf<'ReceiveCarrier'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, description, holder, location, receivedBy, receivedFrom } = command.data;
  requireUnregistered(states, carrierId);
  clerkOf(ctx, receivedBy, description.registry, 'R-REG-2');
  if (receivedFrom.personId !== null) activePerson(ctx, receivedFrom.personId, 'R-REG-2');
  const holderPerson = clearedPerson(ctx, holder, description.classification);
  if (description.personal) activePerson(ctx, description.personal.addressee, 'R-REG-4');
  return [
    {
      carrierId,
      event: {
        type: 'CarrierReceived',
        data: {
          carrierId,
          description,
          holder,
          location,
          atRegistry: isClerkOf(holderPerson, description.registry),
          receivedBy,
          receivedFrom,
        },
      },
    },
  ];
}

/**
 * L-1: a mistake is struck through by a new signed event that names the wrong one. The domain checks
 * the revision exists; the command handler checks `correctsHash` against the stored event.
 */
export function decideCorrectCarrierEvent(
  command: CarrierCommandOf<'CorrectCarrierEvent'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, correctsRevision, correctsHash, changes, reason, correctedBy } = command.data;
  const carrier = notDestroyed(registeredCarrier(states, carrierId));
  require(
    correctsRevision < carrier.version,
    'L-1',
    `${carrierId} has no event at revision ${correctsRevision} to correct`,
  );
  const corrector = activePerson(ctx, correctedBy, 'L-1');
  require(
    isClerkOf(corrector, carrier.description.registry) || hasRole(corrector, 'security-officer'),
    'L-1',
    `${correctedBy} is neither a clerk of ${carrier.description.registry} nor a security officer`,
  );
  return [
    { carrierId, event: { type: 'CarrierEventCorrected', data: { correctsRevision, correctsHash, changes, reason, correctedBy } } },
  ];
}
