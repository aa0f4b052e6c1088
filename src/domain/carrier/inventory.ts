import { require } from '../errors.js';
import type { CarrierCommandOf } from './commands.js';
import { activePerson, notDestroyed, registeredCarrier, type CarrierContext, type Decision } from './context.js';
import type { CarrierStates } from './state.js';

/**
 * R-BATCH-1: each carrier's stream gets exactly one event from an act, so a carrier named twice
 * (sighted and not sighted, or sighted twice) would make the act contradict itself.
 */
function requireEachCarrierOnce(sighted: string[], notSighted: string[]): void {
  const seen = new Set<string>();
  for (const carrierId of [...sighted, ...notSighted]) {
    require(
      !seen.has(carrierId),
      'R-BATCH-1',
      sighted.includes(carrierId) && notSighted.includes(carrierId)
        ? `${carrierId} is listed both as sighted and as not sighted; an inventory records one finding per carrier`
        : `${carrierId} is listed twice; an inventory records one finding per carrier`,
    );
    seen.add(carrierId);
  }
}

/**
 * R-INV-1 is WATCH: an inventory records what was (not) sighted where, as found. A sighting the
 * ledger disagrees with (another location, a carrier reported missing, one in transit) is recorded
 * as is, because that disagreement is exactly what the projection must surface. Only what is not an
 * inventory at all is refused.
 */
export function decideTakeInventory(
  command: CarrierCommandOf<'TakeInventory'>,
  states: CarrierStates,
  ctx: CarrierContext,
): Decision {
  const { inventoryId, location, sighted, notSighted, takenBy } = command.data;
  require(
    sighted.length + notSighted.length > 0,
    'R-BATCH-1',
    `inventory ${inventoryId} names no carrier: an act appends to at least one carrier's stream`,
  );
  requireEachCarrierOnce(sighted, notSighted);
  // The takers sign for what they saw (L-2); a sighting by someone the ledger cannot hold to account is worthless.
  for (const taker of takenBy) activePerson(ctx, taker, 'L-2');
  const finding = (carrierId: string, wasSighted: boolean): Decision[number] => {
    notDestroyed(registeredCarrier(states, carrierId));
    return {
      carrierId,
      event: { type: 'InventoryTaken', data: { inventoryId, location, sighted: wasSighted, takenBy } },
    };
  };
  return [...sighted.map((id) => finding(id, true)), ...notSighted.map((id) => finding(id, false))];
}
