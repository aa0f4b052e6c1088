import type { CarrierEvent } from '../../domain/carrier/events.js';
import type { CarrierId, PersonId } from '../../domain/primitives.js';
import type { CustodyTransition } from '../custody/model.js';
import type { CarrierFact } from '../facts.js';
import { upperBound, upperBoundBy } from '../time.js';

/**
 * The access record (R-ACCESS-1): per carrier, every event on it in order, kept small (no copy of
 * the act: its id, time, signers and the event's own data, names shared), and who took which part
 * is read from the event when asked (`partiesOf`). A carrier's acts are in time order (the ledger
 * refuses one dated before its stream's head), so a window of them is two binary searches away.
 * Incident reconstruction reads it too.
 */
export type AccessEntry = {
  /** Log order within this process: breaks ties between acts at the same instant. */
  seq: number;
  ms: number;
  revision: number;
  actId: string;
  commandType: string;
  signers: readonly PersonId[];
} & CarrierEvent;

/**
 * Per person, the carriers whose acts they signed without holding them (witnesses, inventory takers,
 * approvers, a clerk handing on a registry carrier): holdings over time are in the as-of model, and
 * together the two answer "what did this person touch between T1 and T2" without scanning the ledger.
 */
export type Involvement = { ms: number[]; carrier: CarrierId[] };

export type AccessModel = { entries: Map<CarrierId, AccessEntry[]>; involvement: Map<PersonId, Involvement> };

export const createAccessModel = (): AccessModel => ({ entries: new Map(), involvement: new Map() });

export function evolveAccess(model: AccessModel, fact: CarrierFact, transition: CustodyTransition): void {
  const { seq, ms, revision, actId, commandType, signers, event } = fact;
  const entry = { seq, ms, revision, actId, commandType, signers, type: event.type, data: event.data } as AccessEntry;
  const list = model.entries.get(fact.carrierId);
  if (list) list.push(entry);
  else model.entries.set(fact.carrierId, [entry]);
  // Everyone whose part an act records signs it (L-2): the signers who neither held it before nor
  // hold it after took part otherwise. Reading the signers, not the parties, keeps the fold cheap.
  const { was, now } = transition;
  for (const personId of fact.signers) {
    if (was?.holders.includes(personId) || now.holders.includes(personId)) continue;
    involve(model, personId, fact.ms, fact.carrierId);
  }
}

function involve(model: AccessModel, personId: PersonId, ms: number, carrierId: CarrierId): void {
  let inv = model.involvement.get(personId);
  if (!inv) {
    inv = { ms: [], carrier: [] };
    model.involvement.set(personId, inv);
  }
  const last = inv.carrier.length - 1;
  if (last >= 0 && inv.carrier[last] === carrierId && inv.ms[last] === ms) return;
  if (last < 0 || inv.ms[last]! <= ms) {
    inv.ms.push(ms);
    inv.carrier.push(carrierId);
    return;
  }
  const i = upperBound(inv.ms, ms);
  inv.ms.splice(i, 0, ms);
  inv.carrier.splice(i, 0, carrierId);
}

/** The carriers a person took part in, without holding them, between fromMs and toMs inclusive. */
export function involvedBetween(model: AccessModel, personId: PersonId, fromMs: number, toMs: number): Set<CarrierId> {
  const inv = model.involvement.get(personId);
  if (!inv) return new Set();
  const start = upperBound(inv.ms, fromMs - 1);
  const end = upperBound(inv.ms, toMs);
  return new Set(inv.carrier.slice(start, end));
}

/** A carrier's entries with fromMs <= ms <= toMs (both inclusive: an act at the edge is inside). */
export function entriesBetween(model: AccessModel, carrierId: CarrierId, fromMs: number, toMs: number): AccessEntry[] {
  const list = model.entries.get(carrierId) ?? [];
  const start = upperBoundBy(list, fromMs - 1, (e) => e.ms);
  const end = upperBoundBy(list, toMs, (e) => e.ms);
  return list.slice(start, end);
}

export function snapshotAccess(model: AccessModel): unknown {
  const sorted = <V>(map: Map<string, V>) => [...map.keys()].sort().map((k) => [k, map.get(k)]);
  // seq is the order this process applied events in, not part of what was recorded.
  const entries = [...model.entries.keys()].sort().map((k) => [k, model.entries.get(k)!.map(({ seq: _seq, ...rest }) => rest)]);
  return { entries, involvement: sorted(model.involvement) };
}
