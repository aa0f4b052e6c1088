import type { IsoTime, PersonId } from '../primitives.js';
import type { CarrierDescription } from './description.js';
import type { CarrierEvent } from './events.js';
import type { Carrier, CarrierState } from './state.js';

export type RecordedCarrierEvent = CarrierEvent & { time: IsoTime };

/** Folds one recorded carrier event into the state. Pure; `time` is the act's time. */
export function evolveCarrier(state: CarrierState, event: RecordedCarrierEvent): CarrierState {
  if (state.status === 'none') {
    switch (event.type) {
      case 'CarrierRegistered':
        return registered(event.data.carrierId, event.data.description, null, event.data.registeredBy, event);
      case 'CarrierReceived':
        return registered(event.data.carrierId, event.data.description, null, event.data.receivedBy, event);
      case 'CopyRegistered':
        return registered(event.data.carrierId, event.data.description, event.data.parentId, event.data.madeBy, event);
      default:
        return state;
    }
  }
  const next = apply(state, event);
  // apply builds a new object for every change it makes: stamp the version on that one rather than
  // copying the whole state a second time (rebuilding a million events spends its time here).
  return next === state ? { ...state, version: state.version + 1 } : Object.assign(next, { version: state.version + 1 });
}

function registered(
  id: string,
  description: CarrierDescription,
  parentId: string | null,
  registeredBy: PersonId,
  event: RecordedCarrierEvent & { data: { holder: PersonId; location: string; atRegistry: boolean } },
): Carrier {
  return {
    status: 'held',
    id,
    description,
    parentId,
    registeredAt: event.time,
    registeredBy,
    holders: [event.data.holder],
    atRegistry: event.data.atRegistry,
    location: event.data.location,
    since: event.time,
    custodyChain: [event.data.holder],
    circulation: null,
    copyRequests: {},
    copies: [],
    transport: null,
    loan: null,
    media: { exitApprovedBy: null, custodian: null, sanitised: false, repairApprovedBy: null },
    missing: null,
    destruction: null,
    version: 1,
  };
}

/** A change of holder: the one place custody moves, so `since` and the chain stay right. */
const heldBy = (c: Carrier, holders: PersonId[], location: string, atRegistry: boolean, time: IsoTime): Carrier => ({
  ...c,
  holders,
  location,
  atRegistry,
  since: time,
  custodyChain: [...c.custodyChain, ...holders.filter((h) => !c.custodyChain.includes(h))],
});

function apply(c: Carrier, event: RecordedCarrierEvent): Carrier {
  const { time } = event;
  switch (event.type) {
    case 'CarrierRegistered':
    case 'CarrierReceived':
    case 'CopyRegistered':
      return c; // a second registration is refused by decide; nothing to fold
    case 'CarrierEventCorrected': {
      const { location, ...description } = event.data.changes;
      return {
        ...c,
        description: { ...c.description, ...description },
        location: location ?? c.location,
      };
    }
    case 'CustodyTransferred':
      return heldBy(c, [event.data.to], event.data.location, event.data.atRegistry, time);
    case 'DutyHandedOver':
      return heldBy(c, [event.data.incoming], event.data.location, c.atRegistry, time);
    case 'CirculationOpened':
      return {
        ...c,
        circulation: {
          id: event.data.circulationId,
          readers: event.data.readers,
          purpose: event.data.purpose,
          urgent: event.data.urgent,
          readingHours: event.data.readingHours,
          reader: null,
          dueBy: null,
          returnedBy: [],
        },
      };
    case 'CirculationWidened':
      return c.circulation
        ? { ...c, circulation: { ...c.circulation, readers: [...c.circulation.readers, ...event.data.addedReaders] } }
        : c;
    case 'CarrierIssuedToReader':
      return c.circulation
        ? {
            ...heldBy(c, [event.data.reader], c.location, false, time),
            circulation: { ...c.circulation, reader: event.data.reader, dueBy: event.data.dueBy },
          }
        : c;
    case 'CarrierReturnedByReader':
      return c.circulation
        ? {
            ...heldBy(c, [event.data.receivedBy], c.location, true, time),
            circulation: {
              ...c.circulation,
              reader: null,
              dueBy: null,
              returnedBy: [...c.circulation.returnedBy, event.data.reader],
            },
          }
        : c;
    case 'CirculationClosed':
      return { ...c, circulation: null };
    case 'CopyRequested':
      return {
        ...c,
        copyRequests: {
          ...c.copyRequests,
          [event.data.requestId]: {
            requestedBy: event.data.requestedBy,
            requested: event.data.copies,
            approvedBy: null,
            approved: 0,
            made: 0,
          },
        },
      };
    case 'CopyApproved': {
      const request = c.copyRequests[event.data.requestId];
      if (!request) return c;
      const approved = { ...request, approvedBy: event.data.approvedBy, approved: event.data.copies };
      return { ...c, copyRequests: { ...c.copyRequests, [event.data.requestId]: approved } };
    }
    case 'CopiesMade': {
      const request = c.copyRequests[event.data.requestId];
      if (!request) return c;
      const made = { ...request, made: request.made + event.data.copies.length };
      return {
        ...c,
        copyRequests: { ...c.copyRequests, [event.data.requestId]: made },
        copies: [...c.copies, ...event.data.copies.map((copy) => copy.carrierId)],
      };
    }
    case 'TransportDispatched':
      return {
        ...heldBy(c, event.data.couriers, `in transit (${event.data.transportId})`, false, time),
        status: 'in-transit',
        transport: event.data,
        // An approval covers one exit (R-MEDIA-1) and one repair (R-MEDIA-2): the trip uses it up.
        media: {
          ...c.media,
          ...(event.data.leavesPremises ? { exitApprovedBy: null, custodian: null } : {}),
          ...(event.data.purpose === 'repair' ? { repairApprovedBy: null } : {}),
        },
      };
    case 'TransportHandedOver':
      return c.transport
        ? {
            ...heldBy(c, event.data.toCouriers, c.location, false, time),
            transport: { ...c.transport, couriers: event.data.toCouriers },
          }
        : c;
    case 'TransportDelivered':
      return {
        ...heldBy(c, [event.data.receiver], event.data.location, event.data.atRegistry, time),
        status: 'held',
        transport: null,
      };
    case 'ArchiveLoanIssued':
      return {
        ...heldBy(c, [event.data.borrower], event.data.readingRoom, false, time),
        status: 'on-loan',
        loan: {
          id: event.data.loanId,
          borrower: event.data.borrower,
          approvedBy: event.data.approvedBy,
          readingRoom: event.data.readingRoom,
        },
      };
    case 'ArchiveLoanReturned':
      return {
        ...heldBy(c, [event.data.receivedBy], event.data.location, true, time),
        status: 'held',
        loan: null,
      };
    case 'MediaExitApproved':
      return { ...c, media: { ...c.media, exitApprovedBy: event.data.approvedBy, custodian: event.data.custodian } };
    case 'MediaSanitised':
      return { ...c, media: { ...c.media, sanitised: true } };
    case 'MediaRepairApproved':
      return { ...c, media: { ...c.media, repairApprovedBy: event.data.approvedBy } };
    case 'InventoryTaken':
      return c; // a sighting changes no custody; projections judge it (R-INV-1)
    case 'CarrierReportedMissing':
      return {
        ...c,
        status: 'missing',
        missing: { reportedBy: event.data.reportedBy, reportedAt: time, statusBefore: c.status },
      };
    case 'CarrierRecovered':
      return {
        ...heldBy(c, [event.data.holder], event.data.location, event.data.atRegistry, time),
        status: 'held',
        missing: null,
        circulation: null,
        transport: null,
        loan: null,
      };
    case 'CarrierDeclaredLost':
      return { ...c, status: 'lost' };
    case 'DestructionRequested':
      return {
        ...c,
        destruction: {
          requestId: event.data.requestId,
          requestedBy: event.data.requestedBy,
          method: event.data.method,
          approvedBy: null,
        },
      };
    case 'DestructionApproved':
      return c.destruction ? { ...c, destruction: { ...c.destruction, approvedBy: event.data.approvedBy } } : c;
    case 'CarrierDestroyed':
      return { ...c, status: 'destroyed', holders: [], location: event.data.location, since: time };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
