import type { Carrier } from '../../domain/carrier/state.js';
import type { CarrierId, IsoTime, PersonId } from '../../domain/primitives.js';
import type { CustodyTransition } from '../custody/model.js';
import type { CarrierFact } from '../facts.js';
import type { PersonLookup } from '../persons/model.js';

/** R-INV-1: what an inventory found that the ledger disagrees with. */
export type Discrepancy = {
  at: IsoTime;
  inventoryId: string;
  location: string;
  finding: 'not-sighted' | 'elsewhere' | 'unexpected-status';
  ledgerLocation: string;
  ledgerStatus: Carrier['status'];
  actId: string;
};

/** R-TRANSPORT-4: a seal that arrived broken, missing or replaced. */
export type BrokenSeal = { at: IsoTime; transportId: string; expected: string; seen: string | null; receiver: PersonId; actId: string };

/**
 * The open WATCH items that the other read models do not already hold. Overdue circulations and
 * late transports are read straight from current custody, missing cases from the loss model; what
 * is kept here is what needs memory of the past: since when a carrier has been away from a registry
 * or with a leader, which seals arrived broken, which inventory findings disagree with the ledger.
 * Every entry is removed when its cause is resolved, so the model stays the size of what is open.
 */
export type AlertsModel = {
  /**
   * R-HOLD-5: top-secret and cipher-telegram carriers held (or on loan) by someone who is not a
   * registry clerk, since when. In transit the transport's own deadline applies (R-TRANSPORT-5);
   * a missing carrier is a loss case (R-LOSS-*).
   */
  awayFromRegistry: Map<CarrierId, IsoTime>;
  /** R-HOLD-6: carriers issued to a leader, since when. */
  withLeader: Map<CarrierId, { since: IsoTime; leader: PersonId }>;
  /** R-TRANSPORT-4: seals that arrived broken or different. */
  brokenSeals: Map<CarrierId, BrokenSeal>;
  /** R-INV-1: inventory findings the ledger disagrees with. */
  discrepancies: Map<CarrierId, Discrepancy>;
};

export const createAlertsModel = (): AlertsModel => ({
  awayFromRegistry: new Map(),
  withLeader: new Map(),
  brokenSeals: new Map(),
  discrepancies: new Map(),
});

export type AlertsContext = { persons: PersonLookup };

const inHands = (c: Carrier) => c.status === 'held' || c.status === 'on-loan';

/** R-HOLD-5: with its own registry, or in the hands of another registry's clerks (delivered there). */
function atRegistry(c: { atRegistry: boolean; holders: readonly PersonId[] }, persons: PersonLookup): boolean {
  if (c.atRegistry) return true;
  for (const holder of c.holders) if (!persons.isAnyClerk(holder)) return false;
  return c.holders.length > 0;
}

export function evolveAlerts(model: AlertsModel, fact: CarrierFact, transition: CustodyTransition, ctx: AlertsContext): void {
  const { after } = transition;
  if (fact.event.type === 'InventoryTaken') return inventoryFinding(model, fact, fact.event.data, after);
  if (fact.event.type === 'TransportDelivered' && fact.event.data.seal && !fact.event.data.seal.intact) {
    const { transportId, receiver, seal } = fact.event.data;
    const broken: BrokenSeal = { at: fact.time, transportId, expected: seal.expected, seen: seal.seen, receiver, actId: fact.actId };
    model.brokenSeals.set(fact.carrierId, broken);
  }
  if (!transition.custodyChanged) return;
  const id = fact.carrierId;
  const { now } = transition;
  // A signed custody act re-establishes where the carrier is: an inventory's disagreement is settled.
  model.discrepancies.delete(id);
  if (now.status === 'destroyed' || now.status === 'lost') model.brokenSeals.delete(id);

  const held = now.placedAt !== null;
  const sensitive = after.description.classification === 'top-secret' || after.description.cipherTelegram;
  if (sensitive && held && !atRegistry(now, ctx.persons)) {
    if (!model.awayFromRegistry.has(id)) model.awayFromRegistry.set(id, now.since);
  } else model.awayFromRegistry.delete(id);

  const leader = held ? leaderAmong(now.holders, ctx.persons) : undefined;
  if (leader === undefined) model.withLeader.delete(id);
  else if (model.withLeader.get(id)?.leader !== leader) model.withLeader.set(id, { since: now.since, leader });
}

function leaderAmong(holders: readonly PersonId[], persons: PersonLookup): PersonId | undefined {
  for (const holder of holders) if (persons.isLeader(holder)) return holder;
  return undefined;
}

type InventoryData = { inventoryId: string; location: string; sighted: boolean };

function inventoryFinding(model: AlertsModel, fact: CarrierFact, data: InventoryData, after: Carrier): void {
  const flag = (carrier: Carrier, finding: Discrepancy['finding']): void => {
    model.discrepancies.set(carrier.id, {
      at: fact.time,
      inventoryId: data.inventoryId,
      location: data.location,
      finding,
      ledgerLocation: carrier.location,
      ledgerStatus: carrier.status,
      actId: fact.actId,
    });
  };
  if (!data.sighted) return flag(after, 'not-sighted');
  if (!inHands(after)) return flag(after, 'unexpected-status');
  if (after.location !== data.location) return flag(after, 'elsewhere');
  model.discrepancies.delete(after.id);
  // Seen where the ledger has it: whatever the broken seal let happen, the carrier is accounted for.
  model.brokenSeals.delete(after.id);
}

export function snapshotAlerts(model: AlertsModel): unknown {
  const sorted = <V>(map: Map<string, V>) => [...map.keys()].sort().map((k) => [k, map.get(k)]);
  return {
    awayFromRegistry: sorted(model.awayFromRegistry),
    withLeader: sorted(model.withLeader),
    brokenSeals: sorted(model.brokenSeals),
    discrepancies: sorted(model.discrepancies),
  };
}
