import type { CarrierId, PersonId } from '../primitives.js';
import type { CarrierCommand } from './commands.js';

/** The carriers an act touches, in act order: the streams to load and to append to. */
export function carriersOf(command: CarrierCommand): CarrierId[] {
  switch (command.type) {
    case 'TakeInventory':
      return [...command.data.sighted, ...command.data.notSighted];
    case 'MakeCopies':
      return [command.data.carrierId, ...command.data.copies.map((c) => c.carrierId)];
    case 'HandOverDuty':
    case 'DispatchTransport':
    case 'HandOverInTransit':
    case 'DeliverTransport':
    case 'RequestDestruction':
    case 'ApproveDestruction':
    case 'DestroyCarriers':
      return command.data.carrierIds;
    default:
      return [command.data.carrierId];
  }
}

/** Everyone whose act the command records: each must sign it (L-2). */
export function signersOf(command: CarrierCommand): PersonId[] {
  switch (command.type) {
    case 'RegisterCarrier':
      return [command.data.registeredBy, command.data.holder];
    case 'ReceiveCarrier': {
      const from = command.data.receivedFrom.personId;
      return [command.data.receivedBy, command.data.holder, ...(from ? [from] : [])];
    }
    case 'CorrectCarrierEvent':
      return [command.data.correctedBy];
    case 'TransferCustody':
      return [command.data.giver, command.data.receiver];
    case 'HandOverDuty':
      return [command.data.outgoing, command.data.incoming];
    case 'OpenCirculation':
      return [command.data.openedBy];
    case 'WidenCirculation':
      return [command.data.widenedBy];
    case 'IssueToReader':
      return [command.data.issuedBy, command.data.reader];
    case 'ReturnFromReader':
      return [command.data.reader, command.data.receivedBy];
    case 'CloseCirculation':
      return [command.data.closedBy];
    case 'RequestCopies':
      return [command.data.requestedBy];
    case 'ApproveCopies':
      return [command.data.approvedBy];
    case 'MakeCopies':
      return [command.data.madeBy, command.data.holder];
    case 'DispatchTransport':
      return [command.data.giver, ...command.data.couriers];
    case 'HandOverInTransit':
      return [...command.data.fromCouriers, ...command.data.toCouriers];
    case 'DeliverTransport':
      return [...command.data.couriers, command.data.receiver];
    case 'IssueArchiveLoan':
      return [command.data.issuedBy, command.data.borrower, command.data.approvedBy];
    case 'ReturnArchiveLoan':
      return [command.data.borrower, command.data.receivedBy];
    case 'ApproveMediaExit':
      return [command.data.approvedBy];
    case 'RecordSanitisation':
      return [command.data.sanitisedBy];
    case 'ApproveMediaRepair':
      return [command.data.approvedBy];
    case 'TakeInventory':
      return command.data.takenBy;
    case 'ReportMissing':
      return [command.data.reportedBy];
    case 'RecoverCarrier':
      return [command.data.recoveredBy, command.data.holder];
    case 'DeclareLost':
      return [command.data.declaredBy];
    case 'RequestDestruction':
      return [command.data.requestedBy];
    case 'ApproveDestruction':
      return [command.data.approvedBy];
    case 'DestroyCarriers':
      return [command.data.destroyedBy, command.data.witness];
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}
