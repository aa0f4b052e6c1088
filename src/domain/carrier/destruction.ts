import { require } from '../errors.js';
import { hasRole, isClerkOf } from '../person/state.js';
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
import { DESTRUCTION_METHODS, type DestructionMethod } from './description.js';
import type { Carrier, CarrierStates } from './state.js';

const isDestructionMethod = (method: string): method is DestructionMethod =>
  (DESTRUCTION_METHODS as readonly string[]).includes(method);

/** R-DESTROY-1: the destruction request this act refers to, pending on this carrier. */
function pendingRequest(carrier: Carrier, requestId: string): NonNullable<Carrier['destruction']> {
  const request = carrier.destruction;
  require(
    request !== null && request.requestId === requestId,
    'R-DESTROY-1',
    `${carrier.id} has no destruction request ${requestId}${request ? ` (its pending request is ${request.requestId})` : ''}`,
  );
  return request;
}

/** R-DESTROY-1 (登记), R-DESTROY-3: destruction starts as a registered request naming an accepted method. */
export function decideRequestDestruction(
  command: CarrierCommandOf<'RequestDestruction'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierIds, requestId, method, reason, requestedBy } = command.data;
  require(
    isDestructionMethod(method),
    'R-DESTROY-3',
    `'${method}' is not a destruction method; use one of ${DESTRUCTION_METHODS.join(', ')}`,
  );
  const requester = activePerson(ctx, requestedBy, 'R-DESTROY-1');
  return carrierIds.map((carrierId) => {
    const carrier = inHand(registeredCarrier(states, carrierId));
    const registry = carrier.description.registry;
    require(
      carrier.holders.includes(requestedBy) || isClerkOf(requester, registry) || hasRole(requester, 'security-officer'),
      'R-DESTROY-1',
      `${requestedBy} is neither the holder of ${carrierId}, a clerk of ${registry}, nor a security officer`,
    );
    require(
      carrier.destruction === null,
      'R-DESTROY-1',
      `${carrierId} already has destruction request ${carrier.destruction?.requestId} pending`,
    );
    return { carrierId, event: { type: 'DestructionRequested', data: { requestId, method, reason, requestedBy } } };
  });
}

/** R-DESTROY-1 (审批): an approver, who is not the requester, approves a pending request. */
export function decideApproveDestruction(
  command: CarrierCommandOf<'ApproveDestruction'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierIds, requestId, approvedBy } = command.data;
  const approver = activePerson(ctx, approvedBy, 'R-DESTROY-1');
  require(
    hasRole(approver, 'approver') || hasRole(approver, 'security-officer'),
    'R-DESTROY-1',
    `${approvedBy} is neither an approver nor a security officer and cannot approve destruction`,
  );
  return carrierIds.map((carrierId) => {
    const carrier = notDestroyed(registeredCarrier(states, carrierId));
    const request = pendingRequest(carrier, requestId);
    require(
      request.approvedBy === null,
      'R-DESTROY-1',
      `destruction request ${requestId} for ${carrierId} was already approved by ${request.approvedBy}`,
    );
    // Registering and approving are separate acts so that no one person decides alone what disappears.
    require(
      request.requestedBy !== approvedBy,
      'R-DESTROY-1',
      `${approvedBy} requested the destruction of ${carrierId} and cannot also approve it`,
    );
    return { carrierId, event: { type: 'DestructionApproved', data: { requestId, approvedBy } } };
  });
}

/** R-DESTROY-4: the witness is independent of the destroyer, the requester and, by policy, the custody chain. */
function requireIndependentWitness(ctx: CarrierContext, carrier: Carrier, requestedBy: string, witness: string): void {
  require(
    witness !== requestedBy,
    'R-DESTROY-4',
    `${witness} requested the destruction of ${carrier.id} and cannot witness it`,
  );
  require(
    ctx.policy.witnessMayBeInCustodyChain || !carrier.custodyChain.includes(witness),
    'R-DESTROY-4',
    `${witness} once held ${carrier.id} and policy ${ctx.policy.name} excludes the custody chain from witnessing`,
  );
}

/**
 * R-DESTROY-1 (监毁): the approved destruction, signed by the destroyer and a supervising witness.
 * Afterwards the stream is closed (R-DESTROY-2).
 */
export function decideDestroyCarriers(
  command: CarrierCommandOf<'DestroyCarriers'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { carrierIds, requestId, destroyedBy, witness, location } = command.data;
  const destroyer = activePerson(ctx, destroyedBy, 'R-DESTROY-1');
  activePerson(ctx, witness, 'R-DESTROY-1');
  require(
    witness !== destroyedBy,
    'R-DESTROY-4',
    `${destroyedBy} cannot witness their own destruction act; the witness must be a different person`,
  );
  return carrierIds.map((carrierId) => {
    const carrier = inHand(registeredCarrier(states, carrierId));
    const request = pendingRequest(carrier, requestId);
    require(
      request.approvedBy !== null,
      'R-DESTROY-1',
      `destruction request ${requestId} for ${carrierId} has not been approved`,
    );
    const registry = carrier.description.registry;
    require(
      carrier.holders.includes(destroyedBy) || isClerkOf(destroyer, registry),
      'R-DESTROY-1',
      `${destroyedBy} is neither the holder of ${carrierId} nor a clerk of ${registry}`,
    );
    // Destroying and supervising both mean handling the carrier.
    clearedPerson(ctx, destroyedBy, carrier.description.classification);
    requireIndependentWitness(ctx, carrier, request.requestedBy, witness);
    clearedPerson(ctx, witness, carrier.description.classification);
    return {
      carrierId,
      event: {
        type: 'CarrierDestroyed',
        data: { requestId, method: request.method, destroyedBy, witness, location },
      },
    };
  });
}
