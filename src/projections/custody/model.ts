import { evolveCarrier } from '../../domain/carrier/evolve.js';
import { initialCarrierState, isRegistered, type Carrier, type CarrierStatus } from '../../domain/carrier/state.js';
import type { CarrierId, IsoTime, PersonId } from '../../domain/primitives.js';
import type { CarrierFact } from '../facts.js';

/**
 * Current custody: every carrier's state as the domain's own `evolveCarrier` folds it (so the read
 * side can never disagree with the rules), and what is open (circulations, transports, archive
 * loans). Who holds what and what is where right now are the as-of model's memberships read at the
 * end of time: one index serves both "now" and "then", and the fold updates it once.
 *
 * Like every read model here, `evolve` is deterministic, has no clock and no I/O, and updates the
 * model in place: a million events would not survive a fresh copy per event.
 */
export type CustodyModel = {
  /** One slot per carrier, updated in place: one lookup per event however many things it updates. */
  carriers: Map<CarrierId, CarrierSlot>;
  circulating: Set<CarrierId>;
  transports: Map<string, Set<CarrierId>>;
  loans: Set<CarrierId>;
};

export const createCustodyModel = (): CustodyModel => ({
  carriers: new Map(),
  circulating: new Set(),
  transports: new Map(),
  loans: new Set(),
});

/** Who holds a carrier, where, in what status: the part of its state that custody intervals record. */
export type CustodyView = {
  status: CarrierStatus;
  holders: readonly PersonId[];
  location: string;
  atRegistry: boolean;
  /** Where the ledger places it for inventories and duty handovers: held or on loan there, else nowhere. */
  placedAt: string | null;
  since: IsoTime;
};

/**
 * A carrier's current state as the domain folds it, and its custody as a small object of one shape
 * (the domain's states come in many shapes, one per way an event rebuilds them).
 */
export type CarrierSlot = { state: Carrier; view: CustodyView };

/** The current state of a carrier, if the ledger knows it. */
export const stateOf = (model: CustodyModel, id: CarrierId): Carrier | undefined => model.carriers.get(id)?.state;

/** What one carrier event did to custody; the other read models fold it alongside the event. */
export type CustodyTransition = {
  before: Carrier | null;
  after: Carrier;
  was: CustodyView | null;
  now: CustodyView;
  /** Holders, location, status or the registry flag changed: a new custody interval starts. */
  custodyChanged: boolean;
};

function sameHolders(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function evolveCustody(model: CustodyModel, fact: CarrierFact): CustodyTransition | null {
  const id = fact.carrierId;
  const slot = model.carriers.get(id);
  const before = slot?.state ?? null;
  const after = evolveCarrier(before ?? initialCarrierState(), fact.event);
  // decide never lets an event reach an unregistered carrier's stream first; if one did, there is nothing to place.
  if (!isRegistered(after)) return null;
  // Each field of the new state is read once: reading the domain's many-shaped states costs more than a local.
  const { status, holders, location, atRegistry } = after;
  const was = slot?.view ?? null;
  const custodyChanged =
    was === null ||
    was.status !== status ||
    was.location !== location ||
    was.atRegistry !== atRegistry ||
    !sameHolders(was.holders, holders);
  const now = custodyChanged
    ? { status, holders, location, atRegistry, placedAt: status === 'held' || status === 'on-loan' ? location : null, since: after.since }
    : was;
  if (slot) {
    slot.state = after;
    slot.view = now;
  } else model.carriers.set(id, { state: after, view: now });
  syncOpen(model, id, before, after);
  return { before, after, was, now, custodyChanged };
}

function syncOpen(model: CustodyModel, id: CarrierId, before: Carrier | null, after: Carrier): void {
  if (after.circulation) model.circulating.add(id);
  else if (before?.circulation) model.circulating.delete(id);
  if (after.loan) model.loans.add(id);
  else if (before?.loan) model.loans.delete(id);
  const was = before?.transport?.transportId;
  const now = after.transport?.transportId;
  if (was !== now) {
    if (was !== undefined) remove(model.transports, was, id);
    if (now !== undefined) add(model.transports, now, id);
  }
}

function add<K>(index: Map<K, Set<CarrierId>>, key: K, id: CarrierId): void {
  const set = index.get(key);
  if (set) set.add(id);
  else index.set(key, new Set([id]));
}

function remove<K>(index: Map<K, Set<CarrierId>>, key: K, id: CarrierId): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) index.delete(key);
}

/** The model as plain, ordered data: what "rebuilt equals live" compares. */
export function snapshotCustody(model: CustodyModel): unknown {
  const sortedKeys = <V>(map: Map<string, V>) => [...map.keys()].sort();
  const ids = (set: Set<string> | undefined) => [...(set ?? [])].sort();
  return {
    carriers: sortedKeys(model.carriers).map((id) => model.carriers.get(id)!.state),
    circulating: ids(model.circulating),
    transports: sortedKeys(model.transports).map((t) => [t, ids(model.transports.get(t))]),
    loans: ids(model.loans),
  };
}
