import type { CarrierId } from '../../domain/primitives.js';
import type { CarrierFact } from '../facts.js';

/**
 * Lineage: which carrier each copy was made from, under which approved request (R-COPY-3). Small:
 * it grows with copies only. Status and holders come from current custody when asked.
 */
export type LineageModel = {
  parents: Map<CarrierId, { parentId: CarrierId; requestId: string }>;
  children: Map<CarrierId, CarrierId[]>;
};

export const createLineageModel = (): LineageModel => ({ parents: new Map(), children: new Map() });

export function evolveLineage(model: LineageModel, fact: CarrierFact): void {
  if (fact.event.type !== 'CopyRegistered') return;
  const { carrierId, parentId, requestId } = fact.event.data;
  if (model.parents.has(carrierId)) return;
  model.parents.set(carrierId, { parentId, requestId });
  const siblings = model.children.get(parentId);
  if (siblings) siblings.push(carrierId);
  else model.children.set(parentId, [carrierId]);
}

export function snapshotLineage(model: LineageModel): unknown {
  return [...model.parents.keys()].sort().map((id) => [id, model.parents.get(id)]);
}
