import type { Carrier, CarrierStatus } from '../../domain/carrier/state.js';
import { NotFound } from '../../domain/errors.js';
import type { CarrierId, Classification, IsoTime, PersonId } from '../../domain/primitives.js';
import { membersAt, type Membership } from '../as-of/membership.js';
import { stateOf, type CustodyModel } from './model.js';

/** One line of a holdings or location list. */
export type CarrierSummary = {
  carrierId: CarrierId;
  title: string;
  kind: Carrier['description']['kind'];
  classification: Classification;
  registry: string;
  status: CarrierStatus;
  holders: PersonId[];
  location: string;
  since: IsoTime;
};

export const summarise = (c: Carrier): CarrierSummary => ({
  carrierId: c.id,
  title: c.description.title,
  kind: c.description.kind,
  classification: c.description.classification,
  registry: c.description.registry,
  status: c.status,
  holders: [...c.holders],
  location: c.location,
  since: c.since,
});

export function requireCarrier(model: CustodyModel, carrierId: CarrierId): Carrier {
  const carrier = stateOf(model, carrierId);
  if (!carrier) throw new NotFound('carrier', carrierId);
  return carrier;
}

/** Where a carrier is now and who holds it, with whatever is open on it. */
export type CarrierCustody = CarrierSummary & {
  description: Carrier['description'];
  parentId: CarrierId | null;
  atRegistry: boolean;
  circulation: { id: string; reader: PersonId | null; dueBy: IsoTime | null; readers: PersonId[] } | null;
  transport: { transportId: string; couriers: PersonId[]; expectedBy: IsoTime; seal: string | null } | null;
  loan: { loanId: string; borrower: PersonId; readingRoom: string } | null;
  missing: { reportedBy: PersonId; reportedAt: IsoTime } | null;
};

export function custodyOf(model: CustodyModel, carrierId: CarrierId): CarrierCustody {
  const c = requireCarrier(model, carrierId);
  const { circulation, transport, loan, missing } = c;
  return {
    ...summarise(c),
    description: c.description,
    parentId: c.parentId,
    atRegistry: c.atRegistry,
    circulation: circulation && {
      id: circulation.id,
      reader: circulation.reader,
      dueBy: circulation.dueBy,
      readers: [...circulation.readers],
    },
    transport: transport && {
      transportId: transport.transportId,
      couriers: [...transport.couriers],
      expectedBy: transport.expectedBy,
      seal: transport.seal,
    },
    loan: loan && { loanId: loan.id, borrower: loan.borrower, readingRoom: loan.readingRoom },
    missing: missing && { reportedBy: missing.reportedBy, reportedAt: missing.reportedAt },
  };
}

const byId = (a: CarrierSummary, b: CarrierSummary) => (a.carrierId < b.carrierId ? -1 : a.carrierId > b.carrierId ? 1 : 0);

const carriersOf = (model: CustodyModel, ids: Iterable<CarrierId>): Carrier[] =>
  [...ids].sort().flatMap((id) => {
    const carrier = stateOf(model, id);
    return carrier ? [carrier] : [];
  });

/**
 * What a person holds now (alone, or as one of a courier pair): their membership after every change.
 * A carrier reported missing or declared lost stays on its last holder's account, as in the ledger.
 */
export const holdingsNow = (model: CustodyModel, held: Membership | undefined): CarrierSummary[] =>
  held ? carriersOf(model, membersAt(held, Number.POSITIVE_INFINITY)).map(summarise).sort(byId) : [];

/** What the ledger places at a location now: what an inventory or a duty handover should find. */
export const atLocationNow = (model: CustodyModel, placed: Membership | undefined): CarrierSummary[] =>
  placed ? carriersOf(model, membersAt(placed, Number.POSITIVE_INFINITY)).map(summarise).sort(byId) : [];

export type OpenCirculation = {
  carrierId: CarrierId;
  circulationId: string;
  /** Who has it now, or null while it is back at the registry between readers. */
  reader: PersonId | null;
  dueBy: IsoTime | null;
  readers: PersonId[];
  returnedBy: PersonId[];
};

export type OpenTransport = {
  transportId: string;
  carrierIds: CarrierId[];
  couriers: PersonId[];
  from: PersonId;
  destination: { registry: string | null; person: PersonId | null };
  expectedBy: IsoTime;
  seal: string | null;
  /** Since when the current couriers hold it: the dispatch, or the last hand-over on the way. */
  couriersSince: IsoTime;
};

export type OpenLoan = { carrierId: CarrierId; loanId: string; borrower: PersonId; readingRoom: string; since: IsoTime };

export type OpenItems = { circulations: OpenCirculation[]; transports: OpenTransport[]; loans: OpenLoan[] };

export function openItems(model: CustodyModel): OpenItems {
  const circulations = carriersOf(model, model.circulating).flatMap((c): OpenCirculation[] => {
    const k = c.circulation;
    if (!k) return [];
    const { reader, dueBy } = k;
    return [{ carrierId: c.id, circulationId: k.id, reader, dueBy, readers: [...k.readers], returnedBy: [...k.returnedBy] }];
  });
  const transports = [...model.transports.keys()].sort().flatMap((transportId): OpenTransport[] => {
    const members = carriersOf(model, model.transports.get(transportId) ?? []);
    const t = members[0]?.transport;
    if (!t) return [];
    const { couriers, from, destination, expectedBy, seal } = t;
    const carrierIds = members.map((c) => c.id);
    return [{ transportId, carrierIds, couriers: [...couriers], from, destination, expectedBy, seal, couriersSince: latestSince(members) }];
  });
  const loans = carriersOf(model, model.loans).flatMap((c): OpenLoan[] => {
    const loan = c.loan;
    return loan ? [{ carrierId: c.id, loanId: loan.id, borrower: loan.borrower, readingRoom: loan.readingRoom, since: c.since }] : [];
  });
  return { circulations, transports, loans };
}

/** Since when the current couriers hold the transport: its last signed hand-over (or the dispatch). */
const latestSince = (carriers: Carrier[]): IsoTime => carriers.map((c) => c.since).reduce((a, b) => (a > b ? a : b));
