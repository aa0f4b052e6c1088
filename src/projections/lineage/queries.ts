import type { CarrierId } from '../../domain/primitives.js';
import type { CustodyModel } from '../custody/model.js';
import { requireCarrier, summarise, type CarrierSummary } from '../custody/queries.js';
import type { LineageModel } from './model.js';

export type LineageNode = CarrierSummary & {
  copyNumber: number;
  /** The copy request it was made under, or null for an original. */
  requestId: string | null;
  copies: LineageNode[];
};

/** A carrier's parent (and the parent's parents up to the original) and all its copies, recursively. */
export type Lineage = {
  carrierId: CarrierId;
  parent: LineageNode | null;
  /** Parent first, the original last. */
  ancestors: LineageNode[];
  /** The carrier itself, with its copies and theirs. */
  tree: LineageNode;
};

function node(custody: CustodyModel, lineage: LineageModel, id: CarrierId, withCopies: boolean, seen: Set<CarrierId>): LineageNode {
  const carrier = requireCarrier(custody, id);
  seen.add(id);
  const children = withCopies ? (lineage.children.get(id) ?? []).filter((c) => !seen.has(c)) : [];
  return {
    ...summarise(carrier),
    copyNumber: carrier.description.copyNumber,
    requestId: lineage.parents.get(id)?.requestId ?? null,
    copies: children.map((child) => node(custody, lineage, child, true, seen)),
  };
}

export function lineageOf(lineage: LineageModel, custody: CustodyModel, carrierId: CarrierId): Lineage {
  const tree = node(custody, lineage, carrierId, true, new Set());
  const ancestors: LineageNode[] = [];
  const seen = new Set<CarrierId>([carrierId]);
  // A copy's parent exists before it, so the chain ends; `seen` guards a damaged store all the same.
  for (let up = lineage.parents.get(carrierId); up && !seen.has(up.parentId); up = lineage.parents.get(up.parentId)) {
    seen.add(up.parentId);
    ancestors.push(node(custody, lineage, up.parentId, false, new Set()));
  }
  return { carrierId, parent: ancestors[0] ?? null, ancestors, tree };
}

/** The copies made from the same parent, besides the carrier itself (R-LOSS-2 flags them for review). */
export function siblingsOf(lineage: LineageModel, carrierId: CarrierId): CarrierId[] {
  const parent = lineage.parents.get(carrierId)?.parentId;
  return parent === undefined ? [] : (lineage.children.get(parent) ?? []).filter((id) => id !== carrierId);
}
