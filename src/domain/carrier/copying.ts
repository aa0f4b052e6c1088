import { require } from '../errors.js';
import { isClerkOf, type Person } from '../person/state.js';
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
import type { Carrier, CarrierStates, CopyRequest } from './state.js';

//// Guards ////////////////////////////////////////////////////////////////

/** Paperwork (request, approval) may go on while the carrier travels, never once it is gone. */
function present(carrier: Carrier): Carrier {
  notDestroyed(carrier);
  require(
    carrier.status !== 'missing' && carrier.status !== 'lost',
    'R-LOSS-2',
    `${carrier.id} is ${carrier.status}: only recovery (or a declaration of loss) may follow`,
  );
  return carrier;
}

/** R-COPY-4: archive material on loan may not be copied, photographed or excerpted. */
function requireNotOnLoan(carrier: Carrier): void {
  require(
    carrier.status !== 'on-loan',
    'R-COPY-4',
    `${carrier.id} is archive material on loan${carrier.loan ? ` (${carrier.loan.id} to ${carrier.loan.borrower})` : ''} and may not be copied`,
  );
}

function copyRequest(carrier: Carrier, requestId: string): CopyRequest {
  const request = carrier.copyRequests[requestId];
  require(request, 'R-COPY-1', `${carrier.id} has no copy request ${requestId}`);
  return request;
}

/**
 * R-COPY-2: the policy names the authority per classification. An originating authority for the
 * carrier's originator outranks a unit head, so it may always approve.
 */
function mayApproveCopies(ctx: CarrierContext, carrier: Carrier, approver: Person): boolean {
  const { originator, classification } = carrier.description;
  const needed = ctx.policy.copyApproval[classification];
  return approver.roles.some((role) => {
    if (role.role !== 'approver') return false;
    // The inferred Role type merges both approver shapes, so `originators` reads as optional.
    if (role.authority === 'originating-authority') return role.originators?.includes(originator) === true;
    return needed === 'unit-head';
  });
}

//// Deciders //////////////////////////////////////////////////////////////

/** R-COPY-1: copying starts with a request that an approver will judge. */
export function decideRequestCopies(
  command: CarrierCommandOf<'RequestCopies'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, requestId, copies, reason, requestedBy } = command.data;
  const carrier = present(registeredCarrier(states, carrierId));
  requireNotOnLoan(carrier);
  // A second request under the same id would reset the count of copies already made.
  require(
    carrier.copyRequests[requestId] === undefined,
    'R-COPY-3',
    `${carrierId} already has a copy request ${requestId}`,
  );
  clearedPerson(ctx, requestedBy, carrier.description.classification);
  return [{ carrierId, event: { type: 'CopyRequested', data: { requestId, copies, reason, requestedBy } } }];
}

/** R-COPY-2, R-COPY-3: the right authority approves, fixing how many copies may be made. */
export function decideApproveCopies(
  command: CarrierCommandOf<'ApproveCopies'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, requestId, approvedBy } = command.data;
  const carrier = present(registeredCarrier(states, carrierId));
  const request = copyRequest(carrier, requestId);
  require(
    request.approvedBy === null,
    'R-COPY-3',
    `copy request ${requestId} on ${carrierId} was already approved by ${request.approvedBy} for ${request.approved} copies`,
  );
  const approver = activePerson(ctx, approvedBy, 'R-COPY-2');
  const { classification, originator } = carrier.description;
  require(
    mayApproveCopies(ctx, carrier, approver),
    'R-COPY-2',
    ctx.policy.copyApproval[classification] === 'originating-authority'
      ? `copies of ${classification} ${carrierId} need the originating authority of ${originator}; ${approvedBy} is not`
      : `copies of ${classification} ${carrierId} need a unit head (or the originating authority of ${originator}); ${approvedBy} is neither`,
  );
  const copies = command.data.copies ?? request.requested;
  require(
    copies <= request.requested,
    'R-COPY-3',
    `copy request ${requestId} asked for ${request.requested} copies; ${copies} may not be approved`,
  );
  return [{ carrierId, event: { type: 'CopyApproved', data: { requestId, copies, approvedBy } } }];
}

/**
 * R-COPY-1, R-COPY-3: copies are made under an approval recorded before, up to its number; each
 * copy enters the ledger as a carrier of its own, linked to its parent.
 */
export function decideMakeCopies(
  command: CarrierCommandOf<'MakeCopies'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierId, requestId, copies, holder, location, madeBy } = command.data;
  const parent = notDestroyed(registeredCarrier(states, carrierId));
  requireNotOnLoan(parent);
  inHand(parent);
  const request = copyRequest(parent, requestId);
  require(
    request.approvedBy !== null,
    'R-COPY-1',
    `copy request ${requestId} on ${carrierId} has not been approved; no copy may be made before the approval is recorded`,
  );
  require(
    request.made + copies.length <= request.approved,
    'R-COPY-3',
    `copy request ${requestId} on ${carrierId} allows ${request.approved} copies and ${request.made} were made; ${copies.length} more would exceed it`,
  );
  requireDistinctNewCopies(states, copies);
  // The maker handles the parent, so must be the one accountable for it (or its registry).
  requireHandOn(parent, clearedPerson(ctx, madeBy, parent.description.classification));
  const holderPerson = clearedPerson(ctx, holder, parent.description.classification);
  const atRegistry = isClerkOf(holderPerson, parent.description.registry);
  return [
    { carrierId, event: { type: 'CopiesMade', data: { requestId, copies, madeBy } } },
    ...copies.map(({ carrierId: copyId, copyNumber }) => ({
      carrierId: copyId,
      event: {
        type: 'CopyRegistered' as const,
        data: {
          carrierId: copyId,
          parentId: carrierId,
          requestId,
          description: { ...parent.description, kind: 'copy' as const, copyNumber },
          holder,
          location,
          atRegistry,
          madeBy,
        },
      },
    })),
  ];
}

/** R-COPY-3: each copy is a new carrier with its own id and copy number. */
function requireDistinctNewCopies(
  states: CarrierStates,
  copies: CarrierCommandOf<'MakeCopies'>['data']['copies'],
): void {
  const ids = copies.map((c) => c.carrierId);
  const numbers = copies.map((c) => c.copyNumber);
  require(new Set(ids).size === ids.length, 'R-COPY-3', `each copy needs its own carrier id: ${ids.join(', ')}`);
  require(
    new Set(numbers).size === numbers.length,
    'R-COPY-3',
    `each copy needs its own copy number: ${numbers.join(', ')}`,
  );
  for (const id of ids) {
    require(
      (states.get(id) ?? { status: 'none' }).status === 'none',
      'R-COPY-3',
      `${id} is already registered; a copy is a new carrier`,
    );
  }
}
