import type { CarrierStatus } from '../../domain/carrier/state.js';
import type { CarrierId, IsoTime, PersonId } from '../../domain/primitives.js';
import { stateOf } from '../custody/model.js';
import { siblingsOf } from '../lineage/queries.js';
import type { Models } from '../models.js';

/** R-LOSS-2: the parent and copies of a missing carrier are flagged for review. */
export type Relative = {
  carrierId: CarrierId;
  relation: 'parent' | 'sibling' | 'copy';
  status: CarrierStatus;
  holders: PersonId[];
  location: string;
  since: IsoTime;
};

/** The parent, the other copies of the same parent, and every copy made from this carrier (recursively). */
export function relativesOf(models: Models, carrierId: CarrierId): Relative[] {
  const ids: Array<[CarrierId, Relative['relation']]> = [];
  const parent = models.lineage.parents.get(carrierId)?.parentId;
  if (parent !== undefined) ids.push([parent, 'parent']);
  for (const sibling of siblingsOf(models.lineage, carrierId)) ids.push([sibling, 'sibling']);
  const seen = new Set<CarrierId>([carrierId]);
  const queue = [...(models.lineage.children.get(carrierId) ?? [])];
  while (queue.length > 0) {
    const copy = queue.shift()!;
    if (seen.has(copy)) continue;
    seen.add(copy);
    ids.push([copy, 'copy']);
    queue.push(...(models.lineage.children.get(copy) ?? []));
  }
  return ids.flatMap(([id, relation]) => {
    const c = stateOf(models.custody, id);
    return c ? [{ carrierId: id, relation, status: c.status, holders: [...c.holders], location: c.location, since: c.since }] : [];
  });
}
