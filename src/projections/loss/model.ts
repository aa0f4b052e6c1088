import type { CarrierId, IsoTime, PersonId } from '../../domain/primitives.js';
import type { CarrierFact } from '../facts.js';
import type { PersonLookup } from '../persons/model.js';

/** An inventory that saw the carrier (R-INV-1): the last independent proof that it existed, and where. */
export type Sighting = {
  time: IsoTime;
  ms: number;
  location: string;
  inventoryId: string;
  takenBy: PersonId[];
  actId: string;
  revision: number;
};

/** A missing-carrier case (R-LOSS-2), from the report to its conclusion. */
export type MissingCase = {
  reportedAt: IsoTime;
  reportedMs: number;
  reportedBy: PersonId;
  circumstances: string;
  actId: string;
  revision: number;
  /**
   * When the case demonstrably reached the security office (R-LOSS-3): the first act on the carrier,
   * from the report on, that a security officer signed (their own report, a declaration of loss, a
   * recovery). The domain has no separate "report received" act yet.
   */
  securityInformedAt: IsoTime | null;
  declaredLost: { at: IsoTime; by: PersonId; reason: string; actId: string } | null;
  recovered: { at: IsoTime; by: PersonId; holder: PersonId; location: string; actId: string } | null;
};

export type LossModel = {
  sightings: Map<CarrierId, Sighting[]>;
  cases: Map<CarrierId, MissingCase[]>;
  /** Carriers whose latest case is neither recovered nor declared lost. */
  open: Set<CarrierId>;
};

export const createLossModel = (): LossModel => ({ sightings: new Map(), cases: new Map(), open: new Set() });

export const isConcluded = (c: MissingCase): boolean => c.recovered !== null || c.declaredLost !== null;

export function evolveLoss(model: LossModel, fact: CarrierFact, persons: PersonLookup): void {
  const { event, carrierId } = fact;
  const act = fact;
  if (event.type === 'InventoryTaken') {
    if (!event.data.sighted) return;
    const sighting: Sighting = {
      time: act.time,
      ms: act.ms,
      location: event.data.location,
      inventoryId: event.data.inventoryId,
      takenBy: event.data.takenBy,
      actId: act.actId,
      revision: fact.revision,
    };
    const list = model.sightings.get(carrierId);
    if (list) list.push(sighting);
    else model.sightings.set(carrierId, [sighting]);
    return;
  }
  if (event.type === 'CarrierReportedMissing') {
    const opened: MissingCase = {
      reportedAt: act.time,
      reportedMs: act.ms,
      reportedBy: event.data.reportedBy,
      circumstances: event.data.circumstances,
      actId: act.actId,
      revision: fact.revision,
      securityInformedAt: null,
      declaredLost: null,
      recovered: null,
    };
    const list = model.cases.get(carrierId);
    if (list) list.push(opened);
    else model.cases.set(carrierId, [opened]);
    model.open.add(carrierId);
  }
  const current = model.cases.get(carrierId)?.at(-1);
  if (!current) return;
  // A lost carrier may still be found: recovery is recorded on the same case.
  const open = current.recovered === null && (current.declaredLost === null || event.type === 'CarrierRecovered');
  if (open && current.securityInformedAt === null && act.signers.some((s) => persons.isSecurityOfficer(s))) {
    current.securityInformedAt = act.time;
  }
  if (event.type === 'CarrierDeclaredLost') {
    current.declaredLost = { at: act.time, by: event.data.declaredBy, reason: event.data.reason, actId: act.actId };
    model.open.delete(carrierId);
  } else if (event.type === 'CarrierRecovered') {
    const { recoveredBy, holder, location } = event.data;
    current.recovered = { at: act.time, by: recoveredBy, holder, location, actId: act.actId };
    model.open.delete(carrierId);
  }
}

export function snapshotLoss(model: LossModel): unknown {
  const sorted = <V>(map: Map<string, V>) => [...map.keys()].sort().map((k) => [k, map.get(k)]);
  return { sightings: sorted(model.sightings), cases: sorted(model.cases), open: [...model.open].sort() };
}
