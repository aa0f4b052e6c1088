import { require } from '../errors.js';
import { isClerkOf } from '../person/state.js';
import type { CarrierCommandOf } from './commands.js';
import {
  activePerson,
  clearedPerson,
  notDestroyed,
  personWithRole,
  registeredCarrier,
  type CarrierContext,
  type Decision,
} from './context.js';
import type { CarrierStates } from './state.js';

/**
 * R-LOSS-1: anyone enrolled who notices a carrier is gone reports it at once, whatever their role or
 * clearance: a report says nothing about the content and must never wait for anyone's approval.
 */
export function decideReportMissing(
  command: CarrierCommandOf<'ReportMissing'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, reportedBy, circumstances } = command.data;
  const carrier = notDestroyed(registeredCarrier(states, carrierId));
  require(
    carrier.status !== 'missing' && carrier.status !== 'lost',
    'R-LOSS-2',
    `${carrierId} is already ${carrier.status}${carrier.missing ? ` (reported by ${carrier.missing.reportedBy} at ${carrier.missing.reportedAt})` : ''}: it is already an open case`,
  );
  activePerson(ctx, reportedBy, 'R-LOSS-1');
  return [{ carrierId, event: { type: 'CarrierReportedMissing', data: { reportedBy, circumstances } } }];
}

/**
 * R-LOSS-2: a missing (or lost) carrier's case closes when it is found: where, by whom, and who holds
 * it now. The finder may be anyone; the new holder must be cleared for it (R-HOLD-2).
 */
export function decideRecoverCarrier(
  command: CarrierCommandOf<'RecoverCarrier'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, recoveredBy, holder, location, circumstances } = command.data;
  const carrier = notDestroyed(registeredCarrier(states, carrierId));
  require(
    carrier.status === 'missing' || carrier.status === 'lost',
    'R-LOSS-2',
    `${carrierId} is ${carrier.status}, not missing or lost: there is no open case to close by recovery`,
  );
  activePerson(ctx, recoveredBy, 'R-LOSS-2');
  const holderPerson = clearedPerson(ctx, holder, carrier.description.classification);
  return [
    {
      carrierId,
      event: {
        type: 'CarrierRecovered',
        data: {
          recoveredBy,
          holder,
          location,
          atRegistry: isClerkOf(holderPerson, carrier.description.registry),
          circumstances,
        },
      },
    },
  ];
}

/** R-LOSS-2: only a security officer concludes a missing case as a loss. */
export function decideDeclareLost(
  command: CarrierCommandOf<'DeclareLost'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, declaredBy, reason } = command.data;
  const carrier = notDestroyed(registeredCarrier(states, carrierId));
  require(
    carrier.status === 'missing',
    'R-LOSS-2',
    `${carrierId} is ${carrier.status}, not missing: only an open missing case can be declared lost`,
  );
  personWithRole(ctx, declaredBy, 'security-officer', 'R-LOSS-2');
  return [{ carrierId, event: { type: 'CarrierDeclaredLost', data: { declaredBy, reason } } }];
}
