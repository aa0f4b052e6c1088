import { require } from '../errors.js';
import { isClerkOf, type Person } from '../person/state.js';
import type { CarrierCommandOf } from './commands.js';
import {
  activePerson,
  clearedPerson,
  inHand,
  registeredCarrier,
  requireHandOn,
  type CarrierContext,
  type Decision,
} from './context.js';
import type { Carrier, CarrierStates } from './state.js';

/** R-REG-4: a personal item goes to its addressee or a proxy named beforehand (or stays in the registry). */
export function requirePersonalDelivery(carrier: Carrier, receiver: Person): void {
  const personal = carrier.description.personal;
  if (!personal || isClerkOf(receiver, carrier.description.registry)) return;
  require(
    receiver.id === personal.addressee || personal.proxies.includes(receiver.id),
    'R-REG-4',
    `${carrier.id} is marked personal for ${personal.addressee}; ${receiver.id} is neither the addressee nor a designated proxy`,
  );
}

/** R-CIRC-1, R-CIRC-5: while circulating, it moves only registry → reader → registry. */
function requireNotCirculatingAway(carrier: Carrier, receiver: Person): void {
  const circulation = carrier.circulation;
  if (!circulation) return;
  const rule = circulation.purpose === 'leader-instruction' ? 'R-CIRC-5' : 'R-CIRC-1';
  require(
    circulation.reader === null,
    rule,
    `${carrier.id} is with reader ${circulation.reader} in circulation ${circulation.id}: it goes back to the registry (ReturnFromReader), never on to anyone else`,
  );
  require(
    isClerkOf(receiver, carrier.description.registry),
    rule,
    `${carrier.id} is in circulation ${circulation.id}: readers receive it by IssueToReader; close the circulation to hand it elsewhere`,
  );
}

/** R-HOLD-1..3: the holder hands it to a cleared receiver; both sign. */
export function decideTransferCustody(
  command: CarrierCommandOf<'TransferCustody'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, giver, receiver, location } = command.data;
  const carrier = inHand(registeredCarrier(states, carrierId));
  const giverPerson = activePerson(ctx, giver, 'R-HOLD-1');
  requireHandOn(carrier, giverPerson);
  require(giver !== receiver, 'R-HOLD-3', 'a hand-over needs two people: the giver and a different receiver');
  const receiverPerson = clearedPerson(ctx, receiver, carrier.description.classification);
  requireNotCirculatingAway(carrier, receiverPerson);
  requirePersonalDelivery(carrier, receiverPerson);
  return [
    {
      carrierId,
      event: {
        type: 'CustodyTransferred',
        data: {
          from: giver,
          to: receiver,
          location,
          atRegistry: isClerkOf(receiverPerson, carrier.description.registry),
        },
      },
    },
  ];
}

/** R-INV-2: at a key location the outgoing and incoming duty officers both sign for what is held there. */
export function decideHandOverDuty(
  command: CarrierCommandOf<'HandOverDuty'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierIds, location, outgoing, incoming } = command.data;
  activePerson(ctx, outgoing, 'R-INV-2');
  require(outgoing !== incoming, 'R-INV-2', 'a duty handover needs two different duty officers');
  return carrierIds.map((carrierId) => {
    const carrier = inHand(registeredCarrier(states, carrierId));
    require(
      carrier.holders.includes(outgoing),
      'R-HOLD-1',
      `${carrierId} is held by ${carrier.holders.join(' and ')}, not by the outgoing officer ${outgoing}`,
    );
    require(
      carrier.location === location,
      'R-INV-2',
      `${carrierId} is recorded at ${carrier.location}, not at ${location}`,
    );
    clearedPerson(ctx, incoming, carrier.description.classification);
    return { carrierId, event: { type: 'DutyHandedOver', data: { location, outgoing, incoming } } };
  });
}
