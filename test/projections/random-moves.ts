import type { Carrier } from '../../src/domain/carrier/state.js';
import { DESTRUCTION_METHODS } from '../../src/domain/carrier/description.js';
import { hasRole, isClerkOf, type Person } from '../../src/domain/person/state.js';
import { defaultPolicy } from '../../src/domain/policy/policy.js';
import { CLASSIFICATIONS, clearedFor, type Classification } from '../../src/domain/primitives.js';
import type { Random } from './seeded.js';
import type { World } from './world.js';

export type { Random };

/**
 * Candidate commands for a random but plausible history, read off the ledger's own write model.
 * A candidate may still be refused (the ledger is the judge); the driver then simply tries another.
 */

export type Move = { type: string; data: Record<string, unknown>; carriers: string[] };

export const pick = <T>(random: Random, list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)];

export function movesContext(world: World, random: Random, prefix: string, registries: string[], people: string[], next: () => number) {
  const model = world.ledger.model;
  const persons = [...model.directory.values()];
  const pool = persons.filter((p) => people.includes(p.id));
  const clerks = (registry: string) => persons.filter((p) => isClerkOf(p, registry));
  const withRole = (role: Parameters<typeof hasRole>[1]) => persons.filter((p) => hasRole(p, role));
  const cleared = (level: Classification, among: Person[] = pool) => among.filter((p) => clearedFor(p.clearance, level));
  const carriers = [...model.carriers.values()].filter((c): c is Carrier => c.status !== 'none' && c.id.startsWith(prefix));
  const inHand = carriers.filter((c) => c.status === 'held');
  const level = (c: Carrier) => c.description.classification;
  const registryClerk = (c: Carrier) => pick(random, clerks(c.description.registry))?.id;
  /** Who may hand a carrier on: its holder, or a clerk of its registry when the registry has it. */
  const giver = (c: Carrier) => (c.atRegistry && random() < 0.5 ? registryClerk(c) : c.holders[0]);
  return { model, persons, pool, clerks, withRole, cleared, carriers, inHand, level, registryClerk, giver, prefix, registries, next };
}

type Ctx = ReturnType<typeof movesContext>;
export function registerMove(ctx: Ctx, random: Random): Move | null {
  const registry = pick(random, ctx.registries)!;
  const clerk = pick(random, ctx.clerks(registry));
  if (!clerk) return null;
  const classification = pick(random, CLASSIFICATIONS)!;
  const holder = random() < 0.8 ? clerk.id : pick(random, ctx.cleared(classification))?.id ?? clerk.id;
  const carrierId = `${ctx.prefix}${ctx.next()}`;
  const description = {
    kind: random() < 0.1 ? 'draft' : 'document',
    classification,
    title: `Paper ${carrierId}`,
    originator: 'Central Office',
    reference: `CO-${carrierId}`,
    copyNumber: 1,
    itemCount: 1 + Math.floor(random() * 20),
    registry,
    cipherTelegram: random() < 0.1,
    archive: random() < 0.15,
  };
  const location = `${registry}/safe-${1 + Math.floor(random() * 2)}`;
  return { type: 'RegisterCarrier', data: { carrierId, description, holder, location, registeredBy: clerk.id }, carriers: [carrierId] };
}

/** A security officer adopts the next version with other thresholds (the world's ledger starts on the seed's). */
export function policyMove(ctx: Ctx, random: Random): Move | null {
  const officer = pick(random, ctx.withRole('security-officer'));
  if (!officer) return null;
  const current = ctx.model.policies.at(-1)?.policy ?? defaultPolicy;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const policy = {
    ...current,
    name: 'random-policy',
    version: current.version + 1,
    circulationMaxHours: between(8, 72),
    urgentCirculationHours: between(1, 8),
    registryDayEndsAtUtcHour: between(14, 20),
    lossReportHours: between(6, 48),
    transportExpectedHours: between(4, 48),
  };
  return { type: 'AdoptPolicy', data: { policy, adoptedBy: officer.id }, carriers: [] };
}

export function custodyMoves(ctx: Ctx, random: Random): Array<() => Move | null> {
  const one = (list: Carrier[]) => pick(random, list);
  const place = (c: Carrier) => pick(random, ['Office 1', 'Office 2', `${c.description.registry}/safe-1`, `${c.description.registry}/safe-2`])!;
  return [
    () => {
      const c = one(ctx.inHand.filter((x) => !x.circulation));
      const receiver = c && pick(random, ctx.cleared(ctx.level(c), [...ctx.pool, ...ctx.clerks(c.description.registry)]).filter((p) => !c.holders.includes(p.id)));
      return c && receiver ? { type: 'TransferCustody', data: { carrierId: c.id, giver: ctx.giver(c), receiver: receiver.id, location: place(c) }, carriers: [c.id] } : null;
    },
    () => {
      const c = one(ctx.inHand.filter((x) => x.atRegistry && !x.circulation));
      const readers = c ? [...new Set([pick(random, ctx.cleared(ctx.level(c))), pick(random, ctx.cleared(ctx.level(c)))])].flatMap((p) => (p ? [p.id] : [])) : [];
      if (!c || readers.length === 0) return null;
      return { type: 'OpenCirculation', data: { carrierId: c.id, circulationId: `circ-${ctx.next()}`, readers, urgent: random() < 0.2, openedBy: ctx.registryClerk(c) }, carriers: [c.id] };
    },
    () => {
      const c = one(ctx.inHand.filter((x) => x.circulation && x.circulation.reader === null && x.atRegistry));
      return c?.circulation ? { type: 'IssueToReader', data: { carrierId: c.id, circulationId: c.circulation.id, reader: pick(random, c.circulation.readers), issuedBy: ctx.registryClerk(c) }, carriers: [c.id] } : null;
    },
    () => {
      const c = one(ctx.carriers.filter((x) => x.circulation?.reader && x.status === 'held'));
      const reader = c?.circulation?.reader;
      return c && reader ? { type: 'ReturnFromReader', data: { carrierId: c.id, circulationId: c.circulation!.id, reader, readerName: ctx.model.directory.get(reader)?.name ?? reader, receivedBy: ctx.registryClerk(c) }, carriers: [c.id] } : null;
    },
    () => {
      const c = one(ctx.inHand.filter((x) => x.circulation && x.circulation.reader === null && x.atRegistry));
      return c?.circulation ? { type: 'CloseCirculation', data: { carrierId: c.id, circulationId: c.circulation.id, closedBy: ctx.registryClerk(c) }, carriers: [c.id] } : null;
    },
    () => {
      // R-INV-2: everything one officer holds at a location goes to the incoming officer in one act.
      const c = one(ctx.inHand.filter((x) => !x.circulation && x.holders.length === 1));
      const outgoing = c?.holders[0];
      const here = c ? ctx.inHand.filter((x) => x.location === c.location && x.holders[0] === outgoing && !x.circulation) : [];
      const level = here.some((x) => ctx.level(x) === 'top-secret') ? 'top-secret' : here.some((x) => ctx.level(x) === 'secret') ? 'secret' : 'confidential';
      const incoming = c && pick(random, ctx.cleared(level, ctx.clerks(c.description.registry)).filter((p) => p.id !== outgoing));
      if (!c || !incoming) return null;
      return { type: 'HandOverDuty', data: { carrierIds: here.map((x) => x.id), location: c.location, outgoing, incoming: incoming.id }, carriers: here.map((x) => x.id) };
    },
    () => {
      // L-1: a clerk strikes through the last entry's place and writes the right one.
      const c = one(ctx.carriers.filter((x) => x.status !== 'destroyed'));
      const head = c && ctx.model.heads.get(`carrier-${c.id}`);
      const clerk = c && ctx.registryClerk(c);
      if (!c || !head || !clerk) return null;
      const changes = { location: `${c.description.registry}/safe-${1 + Math.floor(random() * 2)}` };
      return { type: 'CorrectCarrierEvent', data: { carrierId: c.id, correctsRevision: head.revision, correctsHash: head.hash, changes, reason: 'wrong safe written', correctedBy: clerk }, carriers: [c.id] };
    },
    () => {
      const c = one(ctx.inHand.filter((x) => !x.circulation && x.description.archive));
      const borrower = c && pick(random, ctx.cleared(ctx.level(c)).filter((p) => !c.holders.includes(p.id)));
      const approver = borrower && pick(random, ctx.withRole('leader').filter((p) => p.id !== borrower.id));
      return c && borrower && approver ? { type: 'IssueArchiveLoan', data: { carrierId: c.id, loanId: `loan-${ctx.next()}`, borrower: borrower.id, issuedBy: ctx.giver(c), approvedBy: approver.id, readingRoom: `${c.description.registry}/reading-room` }, carriers: [c.id] } : null;
    },
    () => {
      const c = one(ctx.carriers.filter((x) => x.status === 'on-loan' && x.loan));
      return c?.loan ? { type: 'ReturnArchiveLoan', data: { carrierId: c.id, loanId: c.loan.id, borrower: c.loan.borrower, receivedBy: ctx.registryClerk(c), location: `${c.description.registry}/safe-1` }, carriers: [c.id] } : null;
    },
  ];
}

export function otherMoves(ctx: Ctx, random: Random): Array<() => Move | null> {
  const one = (list: Carrier[]) => pick(random, list);
  const couriers = () => {
    const all = ctx.withRole('courier');
    const a = pick(random, all);
    const b = pick(random, all.filter((p) => p !== a));
    return a && b ? [a.id, b.id] : [];
  };
  return [
    () => {
      const c = one(ctx.inHand.filter((x) => !x.circulation?.reader && x.description.kind !== 'disk'));
      const pair = couriers();
      const destination = pick(random, ctx.registries.filter((r) => r !== c?.description.registry)) ?? null;
      if (!c || pair.length < 2) return null;
      return { type: 'DispatchTransport', data: { carrierIds: [c.id], transportId: `tr-${ctx.next()}`, giver: c.holders[0], couriers: pair, destination: { registry: destination }, leavesPremises: random() < 0.5, seal: random() < 0.6 ? `seal-${ctx.next()}` : null }, carriers: [c.id] };
    },
    () => {
      const c = one(ctx.carriers.filter((x) => x.status === 'in-transit' && x.transport));
      const pair = couriers();
      return c?.transport && pair.length === 2 ? { type: 'HandOverInTransit', data: { carrierIds: [c.id], transportId: c.transport.transportId, fromCouriers: c.transport.couriers, toCouriers: pair }, carriers: [c.id] } : null;
    },
    () => {
      const c = one(ctx.carriers.filter((x) => x.status === 'in-transit' && x.transport));
      const t = c?.transport;
      const receiver = t?.destination.registry ? pick(random, ctx.clerks(t.destination.registry)) : undefined;
      if (!c || !t || !receiver) return null;
      const intact = random() < 0.8;
      return { type: 'DeliverTransport', data: { carrierIds: [c.id], transportId: t.transportId, couriers: t.couriers, receiver: receiver.id, location: `${t.destination.registry}/safe-1`, sealSeen: t.seal, sealIntact: intact }, carriers: [c.id] };
    },
    () => {
      const c = one(ctx.inHand);
      if (!c) return null;
      const here = ctx.inHand.filter((x) => x.location === c.location).map((x) => x.id);
      const seen = here.filter(() => random() < 0.8);
      const elsewhere = random() < 0.3 ? one(ctx.inHand.filter((x) => x.location !== c.location)) : undefined;
      const sighted = [...seen, ...(elsewhere ? [elsewhere.id] : [])];
      const notSighted = here.filter((id) => !seen.includes(id));
      return { type: 'TakeInventory', data: { inventoryId: `inv-${ctx.next()}`, location: c.location, sighted, notSighted, takenBy: [ctx.registryClerk(c)] }, carriers: [...sighted, ...notSighted] };
    },
    () => {
      const c = one(ctx.carriers.filter((x) => x.status === 'held' || x.status === 'in-transit' || x.status === 'on-loan'));
      const by = pick(random, ctx.persons);
      return c && by ? { type: 'ReportMissing', data: { carrierId: c.id, reportedBy: by.id, circumstances: 'not where the ledger has it' }, carriers: [c.id] } : null;
    },
    () => {
      const c = one(ctx.carriers.filter((x) => x.status === 'missing' || x.status === 'lost'));
      const by = pick(random, ctx.persons);
      const holder = c && ctx.registryClerk(c);
      return c && by && holder ? { type: 'RecoverCarrier', data: { carrierId: c.id, recoveredBy: by.id, holder, location: `${c.description.registry}/safe-1`, circumstances: 'found in a drawer' }, carriers: [c.id] } : null;
    },
    () => {
      const c = one(ctx.carriers.filter((x) => x.status === 'missing'));
      const officer = pick(random, ctx.withRole('security-officer'));
      return c && officer ? { type: 'DeclareLost', data: { carrierId: c.id, declaredBy: officer.id, reason: 'search concluded' }, carriers: [c.id] } : null;
    },
    () => {
      const c = one(ctx.inHand.filter((x) => !x.destruction && !x.circulation));
      return c ? { type: 'RequestDestruction', data: { carrierIds: [c.id], requestId: `dr-${ctx.next()}`, method: pick(random, DESTRUCTION_METHODS), reason: 'superseded', requestedBy: ctx.registryClerk(c) }, carriers: [c.id] } : null;
    },
    () => {
      const c = one(ctx.carriers.filter((x) => x.destruction && !x.destruction.approvedBy));
      const approver = c && pick(random, ctx.withRole('approver').filter((p) => p.id !== c.destruction!.requestedBy));
      return c && approver ? { type: 'ApproveDestruction', data: { carrierIds: [c.id], requestId: c.destruction!.requestId, approvedBy: approver.id }, carriers: [c.id] } : null;
    },
    () => {
      const c = one(ctx.inHand.filter((x) => x.destruction?.approvedBy));
      const destroyer = c && ctx.registryClerk(c);
      const witness = c && pick(random, ctx.cleared(ctx.level(c), ctx.persons).filter((p) => p.id !== destroyer && p.id !== c.destruction!.requestedBy));
      return c && destroyer && witness ? { type: 'DestroyCarriers', data: { carrierIds: [c.id], requestId: c.destruction!.requestId, destroyedBy: destroyer, witness: witness.id, location: `${c.description.registry}/shredder` }, carriers: [c.id] } : null;
    },
    () => {
      const c = one(ctx.inHand.filter((x) => !x.circulation));
      const requester = c && ctx.registryClerk(c);
      return c && requester ? { type: 'RequestCopies', data: { carrierId: c.id, requestId: `cr-${ctx.next()}`, copies: 1 + Math.floor(random() * 2), reason: 'for a second office', requestedBy: requester }, carriers: [c.id] } : null;
    },
    () => {
      const c = one(ctx.carriers.filter((x) => Object.values(x.copyRequests).some((r) => r.approvedBy === null)));
      const requestId = c && Object.entries(c.copyRequests).find(([, r]) => r.approvedBy === null)?.[0];
      const approver = pick(random, ctx.withRole('approver').filter((p) => p.roles.some((r) => r.role === 'approver' && r.authority === 'originating-authority')));
      return c && requestId && approver ? { type: 'ApproveCopies', data: { carrierId: c.id, requestId, approvedBy: approver.id }, carriers: [c.id] } : null;
    },
    () => {
      const c = one(ctx.inHand.filter((x) => Object.values(x.copyRequests).some((r) => r.approvedBy !== null && r.made < r.approved)));
      const requestId = c && Object.entries(c.copyRequests).find(([, r]) => r.approvedBy !== null && r.made < r.approved)?.[0];
      const clerk = c && ctx.registryClerk(c);
      if (!c || !requestId || !clerk) return null;
      const copyId = `${ctx.prefix}${ctx.next()}`;
      return { type: 'MakeCopies', data: { carrierId: c.id, requestId, copies: [{ carrierId: copyId, copyNumber: 2 }], holder: clerk, location: c.location, madeBy: ctx.giver(c) }, carriers: [c.id, copyId] };
    },
  ];
}
