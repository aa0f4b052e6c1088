import { require, type RuleId } from '../errors.js';
import { hasRole, isClerkOf, type Person } from '../person/state.js';
import type { CarrierCommandOf } from './commands.js';
import {
  activePerson,
  clearedPerson,
  inHand,
  notDestroyed,
  registeredCarrier,
  type CarrierContext,
  type Decision,
} from './context.js';
import type { Carrier, CarrierStates } from './state.js';

/** R-MEDIA-*: these acts are about removable media (and computers' disks), nothing else. */
function requireDisk(carrier: Carrier, rule: RuleId): Carrier {
  require(
    carrier.description.kind === 'disk',
    rule,
    `${carrier.id} is a ${carrier.description.kind}, not a disk; ${rule} approvals and sanitisation are for disks`,
  );
  return carrier;
}

/** A leader (R-MEDIA-1 says "a leader's approval") or a person holding an approval authority. */
function leaderOrApprover(ctx: CarrierContext, id: string, rule: RuleId): Person {
  const person = activePerson(ctx, id, rule);
  require(
    hasRole(person, 'leader') || hasRole(person, 'approver'),
    rule,
    `${id} is neither a leader nor an approver and may not approve this`,
  );
  return person;
}

/** R-MEDIA-1: a leader approves a disk leaving the premises and designates who is accountable for it. */
export function decideApproveMediaExit(
  command: CarrierCommandOf<'ApproveMediaExit'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, approvedBy, custodian } = command.data;
  const carrier = requireDisk(notDestroyed(registeredCarrier(states, carrierId)), 'R-MEDIA-1');
  leaderOrApprover(ctx, approvedBy, 'R-MEDIA-1');
  activePerson(ctx, custodian, 'R-MEDIA-1');
  clearedPerson(ctx, custodian, carrier.description.classification);
  return [{ carrierId, event: { type: 'MediaExitApproved', data: { approvedBy, custodian } } }];
}

/** R-MEDIA-2: whoever is accountable for the disk (its holder, or its registry) records that it was wiped. */
export function decideRecordSanitisation(
  command: CarrierCommandOf<'RecordSanitisation'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, sanitisedBy, method } = command.data;
  const carrier = requireDisk(inHand(registeredCarrier(states, carrierId)), 'R-MEDIA-2');
  const person = activePerson(ctx, sanitisedBy, 'R-MEDIA-2');
  require(
    carrier.holders.includes(sanitisedBy) || isClerkOf(person, carrier.description.registry),
    'R-MEDIA-2',
    `${sanitisedBy} neither holds ${carrierId} nor is a clerk of ${carrier.description.registry}`,
  );
  return [{ carrierId, event: { type: 'MediaSanitised', data: { sanitisedBy, method } } }];
}

/** R-MEDIA-2: outside repair is approved only once the classified content is removed and that is recorded. */
export function decideApproveMediaRepair(
  command: CarrierCommandOf<'ApproveMediaRepair'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, approvedBy, repairer } = command.data;
  const carrier = requireDisk(notDestroyed(registeredCarrier(states, carrierId)), 'R-MEDIA-2');
  leaderOrApprover(ctx, approvedBy, 'R-MEDIA-2');
  require(
    carrier.media.sanitised,
    'R-MEDIA-2',
    `disk ${carrierId} has no recorded sanitisation; its classified content is removed before repair is approved`,
  );
  return [{ carrierId, event: { type: 'MediaRepairApproved', data: { approvedBy, repairer } } }];
}
