import type { CarrierEvent } from '../../domain/carrier/events.js';
import type { PersonId } from '../../domain/primitives.js';

/**
 * The part a person played in one carrier event (R-ACCESS-1). The first seven put the carrier in
 * their hands or before their eyes; the rest are paperwork about it.
 */
export const PHYSICAL_ROLES = ['held', 'carried', 'read', 'copied', 'witnessed', 'sighted', 'handled'] as const;
export const RECORD_ROLES = ['approved', 'requested', 'designated', 'reported', 'administered', 'signed'] as const;
export type AccessRole = (typeof PHYSICAL_ROLES)[number] | (typeof RECORD_ROLES)[number];

export const isPhysical = (role: AccessRole): boolean => (PHYSICAL_ROLES as readonly string[]).includes(role);

export type Party = { personId: PersonId; role: AccessRole };

type Roles = Array<[PersonId | null, AccessRole]>;

/** Who took part in an event, from the event itself; "handled" is whoever gave it or processed it. */
function rolesOf(event: CarrierEvent): Roles {
  switch (event.type) {
    case 'CarrierRegistered':
      return [[event.data.holder, 'held'], [event.data.registeredBy, 'handled']];
    case 'CarrierReceived':
      return [[event.data.holder, 'held'], [event.data.receivedBy, 'handled'], [event.data.receivedFrom.personId, 'handled']];
    case 'CopyRegistered':
      return [[event.data.holder, 'held'], [event.data.madeBy, 'copied']];
    case 'CarrierEventCorrected':
      return [[event.data.correctedBy, 'administered']];
    case 'CustodyTransferred':
      return [[event.data.to, 'held'], [event.data.from, 'handled']];
    case 'DutyHandedOver':
      return [[event.data.incoming, 'held'], [event.data.outgoing, 'handled']];
    case 'CirculationOpened':
      return [[event.data.openedBy, 'administered']];
    case 'CirculationWidened':
      return [[event.data.widenedBy, 'administered']];
    case 'CarrierIssuedToReader':
      return [[event.data.reader, 'read'], [event.data.issuedBy, 'handled']];
    case 'CarrierReturnedByReader':
      return [[event.data.receivedBy, 'held'], [event.data.reader, 'handled']];
    case 'CirculationClosed':
      return [[event.data.closedBy, 'administered']];
    case 'CopyRequested':
      return [[event.data.requestedBy, 'requested']];
    case 'CopyApproved':
      return [[event.data.approvedBy, 'approved']];
    case 'CopiesMade':
      return [[event.data.madeBy, 'copied']];
    case 'TransportDispatched':
      return [...event.data.couriers.map((c): Roles[number] => [c, 'carried']), [event.data.from, 'handled']];
    case 'TransportHandedOver':
      return [
        ...event.data.toCouriers.map((c): Roles[number] => [c, 'carried']),
        ...event.data.fromCouriers.map((c): Roles[number] => [c, 'handled']),
      ];
    case 'TransportDelivered':
      return [[event.data.receiver, 'held'], ...event.data.couriers.map((c): Roles[number] => [c, 'handled'])];
    case 'ArchiveLoanIssued':
      return [[event.data.borrower, 'read'], [event.data.issuedBy, 'handled'], [event.data.approvedBy, 'approved']];
    case 'ArchiveLoanReturned':
      return [[event.data.receivedBy, 'held'], [event.data.borrower, 'handled']];
    case 'MediaExitApproved':
      return [[event.data.approvedBy, 'approved'], [event.data.custodian, 'designated']];
    case 'MediaSanitised':
      return [[event.data.sanitisedBy, 'handled']];
    case 'MediaRepairApproved':
      return [[event.data.approvedBy, 'approved']];
    case 'InventoryTaken':
      return event.data.takenBy.map((p): Roles[number] => [p, event.data.sighted ? 'sighted' : 'administered']);
    case 'CarrierReportedMissing':
      return [[event.data.reportedBy, 'reported']];
    case 'CarrierRecovered':
      return [[event.data.holder, 'held'], [event.data.recoveredBy, 'handled']];
    case 'CarrierDeclaredLost':
      return [[event.data.declaredBy, 'administered']];
    case 'DestructionRequested':
      return [[event.data.requestedBy, 'requested']];
    case 'DestructionApproved':
      return [[event.data.approvedBy, 'approved']];
    case 'CarrierDestroyed':
      return [[event.data.destroyedBy, 'handled'], [event.data.witness, 'witnessed']];
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

function addParty(parties: Party[], personId: PersonId | null, role: AccessRole): void {
  if (personId === null) return;
  for (const p of parties) if (p.personId === personId && p.role === role) return;
  parties.push({ personId, role });
}

/** Everyone in the event with their part, each (person, role) once; any other signer "signed". */
export function partiesOf(event: CarrierEvent, signers: readonly PersonId[]): Party[] {
  const parties: Party[] = [];
  for (const [personId, role] of rolesOf(event)) addParty(parties, personId, role);
  for (const signer of signers) if (!parties.some((p) => p.personId === signer)) addParty(parties, signer, 'signed');
  return parties;
}
