import type { UnsignedAct } from '../domain/act.js';
import { carriersOf } from '../domain/carrier/targets.js';
import { isCarrierCommand, isPersonCommand, LedgerCommand, type LedgerCommand as Command } from '../ledger/commands.js';

/** "C1", "C1, C2". */
const list = (ids: readonly string[]): string => ids.join(', ');
/** "courier1", "courier1 and courier2". */
const pair = (ids: readonly string[]): string => ids.join(' and ');
const carrierWord = (ids: readonly string[]) => (ids.length === 1 ? `carrier ${ids[0]}` : `carriers ${list(ids)}`);

/** The carriers an act is about, for the inbox; none for acts about people or the policy. */
export function carriersOfAct(act: UnsignedAct): string[] {
  const parsed = LedgerCommand.safeParse(act.command);
  if (!parsed.success || !isCarrierCommand(parsed.data)) return [];
  return carriersOf(parsed.data);
}

/**
 * What the act asks of `personId`, in words a signer reads in their inbox: "receive carrier C1 from
 * clerk1", "co-sign transport T1 of C1, C2 as courier".
 */
export function summarise(act: UnsignedAct, personId: string): string {
  const parsed = LedgerCommand.safeParse(act.command);
  if (!parsed.success) return `sign ${act.command.type}`;
  return describe(parsed.data, personId) ?? generic(parsed.data);
}

function generic(command: Command): string {
  if (isPersonCommand(command)) return `sign ${command.type} for ${command.data.personId}`;
  if (!isCarrierCommand(command)) return `sign ${command.type}`;
  return `sign ${command.type} for ${carrierWord(carriersOf(command))}`;
}

function describe(command: Command, me: string): string | undefined {
  switch (command.type) {
    case 'RegisterCarrier': {
      const d = command.data;
      return me === d.holder && me !== d.registeredBy
        ? `take carrier ${d.carrierId} into custody, registered by ${d.registeredBy}`
        : `register carrier ${d.carrierId} (${d.description.classification}) held by ${d.holder}`;
    }
    case 'ReceiveCarrier': {
      const d = command.data;
      if (me === d.receivedFrom.personId) return `hand carrier ${d.carrierId} over to ${d.receivedBy}`;
      if (me === d.holder && me !== d.receivedBy) return `take carrier ${d.carrierId} into custody, received by ${d.receivedBy}`;
      return `receive carrier ${d.carrierId} from ${d.receivedFrom.name}`;
    }
    case 'TransferCustody': {
      const d = command.data;
      return me === d.receiver
        ? `receive carrier ${d.carrierId} from ${d.giver}`
        : `hand carrier ${d.carrierId} over to ${d.receiver}`;
    }
    case 'HandOverDuty': {
      const d = command.data;
      return me === d.incoming
        ? `take over duty at ${d.location} from ${d.outgoing} (${carrierWord(d.carrierIds)})`
        : `hand over duty at ${d.location} to ${d.incoming} (${carrierWord(d.carrierIds)})`;
    }
    case 'IssueToReader': {
      const d = command.data;
      return me === d.reader
        ? `receive carrier ${d.carrierId} from ${d.issuedBy} to read (circulation ${d.circulationId})`
        : `issue carrier ${d.carrierId} to reader ${d.reader} (circulation ${d.circulationId})`;
    }
    case 'ReturnFromReader': {
      const d = command.data;
      return me === d.reader
        ? `return carrier ${d.carrierId} to ${d.receivedBy} (circulation ${d.circulationId})`
        : `take back carrier ${d.carrierId} from reader ${d.reader} (circulation ${d.circulationId})`;
    }
    case 'MakeCopies': {
      const d = command.data;
      const copies = list(d.copies.map((c) => c.carrierId));
      return me === d.holder && me !== d.madeBy
        ? `receive copies ${copies} of carrier ${d.carrierId} made by ${d.madeBy}`
        : `make copies ${copies} of carrier ${d.carrierId} for ${d.holder}`;
    }
    case 'DispatchTransport': {
      const d = command.data;
      return d.couriers.includes(me)
        ? `co-sign transport ${d.transportId} of ${list(d.carrierIds)} as courier`
        : `dispatch transport ${d.transportId} of ${list(d.carrierIds)} with ${pair(d.couriers)}`;
    }
    case 'HandOverInTransit': {
      const d = command.data;
      return d.toCouriers.includes(me)
        ? `take over transport ${d.transportId} of ${list(d.carrierIds)} from ${pair(d.fromCouriers)} as courier`
        : `hand transport ${d.transportId} of ${list(d.carrierIds)} over to ${pair(d.toCouriers)}`;
    }
    case 'DeliverTransport': {
      const d = command.data;
      return me === d.receiver
        ? `receive transport ${d.transportId} of ${list(d.carrierIds)} from ${pair(d.couriers)}`
        : `co-sign delivery of transport ${d.transportId} of ${list(d.carrierIds)} to ${d.receiver} as courier`;
    }
    case 'IssueArchiveLoan': {
      const d = command.data;
      if (me === d.borrower) return `borrow archive carrier ${d.carrierId} in ${d.readingRoom}, issued by ${d.issuedBy}`;
      if (me === d.approvedBy && me !== d.issuedBy) return `approve the archive loan of carrier ${d.carrierId} to ${d.borrower}`;
      return `lend archive carrier ${d.carrierId} to ${d.borrower} in ${d.readingRoom}`;
    }
    case 'ReturnArchiveLoan': {
      const d = command.data;
      return me === d.borrower
        ? `return archive carrier ${d.carrierId} to ${d.receivedBy}`
        : `take back archive carrier ${d.carrierId} from ${d.borrower}`;
    }
    case 'TakeInventory': {
      const d = command.data;
      return `co-sign inventory ${d.inventoryId} at ${d.location} (${d.sighted.length} sighted, ${d.notSighted.length} not sighted)`;
    }
    case 'RecoverCarrier': {
      const d = command.data;
      return me === d.holder && me !== d.recoveredBy
        ? `take recovered carrier ${d.carrierId} into custody from ${d.recoveredBy}`
        : `record the recovery of carrier ${d.carrierId}, held by ${d.holder}`;
    }
    case 'DestroyCarriers': {
      const d = command.data;
      return me === d.witness
        ? `witness the destruction of ${list(d.carrierIds)} by ${d.destroyedBy}`
        : `destroy ${list(d.carrierIds)}, witnessed by ${d.witness}`;
    }
    case 'EnrolPerson': {
      const d = command.data;
      return me === d.personId && me !== d.enrolledBy
        ? `confirm your enrolment by ${d.enrolledBy} with this key`
        : `enrol ${d.personId} (${d.name}, ${d.unit}) cleared to ${d.clearance}`;
    }
    case 'RotatePersonKey': {
      const d = command.data;
      return me === d.personId ? `confirm your new key, rotated by ${d.rotatedBy}` : `rotate the key of ${d.personId}`;
    }
    case 'AdoptPolicy':
      return `adopt policy ${command.data.policy.name} version ${command.data.policy.version}`;
    default:
      return undefined;
  }
}
