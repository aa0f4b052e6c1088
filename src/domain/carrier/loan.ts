import { require } from '../errors.js';
import { hasRole } from '../person/state.js';
import type { CarrierCommandOf } from './commands.js';
import {
  activePerson,
  clearedPerson,
  clerkOf,
  inHand,
  notDestroyed,
  registeredCarrier,
  requireHandOn,
  type CarrierContext,
  type Decision,
} from './context.js';
import type { CarrierStates } from './state.js';

/**
 * R-LOAN-1, R-LOAN-2: archived material is lent into the reading room under a responsible
 * leader's approval; from then on `inHand` keeps it there until it is returned.
 */
export function decideIssueArchiveLoan(
  command: CarrierCommandOf<'IssueArchiveLoan'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, loanId, borrower, issuedBy, approvedBy, readingRoom } = command.data;
  const carrier = inHand(registeredCarrier(states, carrierId));
  require(
    carrier.description.archive,
    'R-LOAN-1',
    `${carrierId} is not archive material; hand it on by TransferCustody, not by an archive loan`,
  );
  require(
    carrier.circulation === null,
    'R-CIRC-1',
    `${carrierId} is in circulation ${carrier.circulation?.id}; close it before lending the carrier`,
  );
  const issuer = activePerson(ctx, issuedBy, 'R-HOLD-1');
  requireHandOn(carrier, issuer);
  const approver = activePerson(ctx, approvedBy, 'R-LOAN-1');
  require(
    hasRole(approver, 'leader') || hasRole(approver, 'approver'),
    'R-LOAN-1',
    `borrowing archived ${carrierId} needs a responsible leader's approval; ${approvedBy} is neither leader nor approver`,
  );
  // An approval is a second pair of eyes: a leader does not approve their own loan.
  require(approvedBy !== borrower, 'R-LOAN-1', `${borrower} may not approve their own loan of ${carrierId}`);
  require(issuedBy !== borrower, 'R-HOLD-3', `${issuedBy} cannot lend ${carrierId} to themselves`);
  clearedPerson(ctx, borrower, carrier.description.classification);
  return [
    {
      carrierId,
      event: { type: 'ArchiveLoanIssued', data: { loanId, borrower, issuedBy, approvedBy, readingRoom } },
    },
  ];
}

/** R-LOAN-2: the borrower gives it back to the registry, ending the reading-room restriction. */
export function decideReturnArchiveLoan(
  command: CarrierCommandOf<'ReturnArchiveLoan'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, loanId, borrower, receivedBy, location } = command.data;
  const carrier = notDestroyed(registeredCarrier(states, carrierId));
  require(
    carrier.status !== 'missing' && carrier.status !== 'lost',
    'R-LOSS-2',
    `${carrierId} is ${carrier.status}: only recovery (or a declaration of loss) may follow`,
  );
  const loan = carrier.loan;
  require(carrier.status === 'on-loan' && loan, 'R-LOAN-2', `${carrierId} is not on archive loan`);
  require(loan.id === loanId, 'R-LOAN-2', `${carrierId} is on loan ${loan.id}, not ${loanId}`);
  require(
    loan.borrower === borrower,
    'R-HOLD-1',
    `${carrierId} was lent to ${loan.borrower}, not to ${borrower}: only the borrower returns it`,
  );
  clerkOf(ctx, receivedBy, carrier.description.registry, 'R-LOAN-2');
  return [{ carrierId, event: { type: 'ArchiveLoanReturned', data: { loanId, borrower, receivedBy, location } } }];
}
