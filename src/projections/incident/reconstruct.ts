import type { CarrierStatus } from '../../domain/carrier/state.js';
import { clearedFor, type CarrierId, type Classification, type IsoTime, type PersonId } from '../../domain/primitives.js';
import { entriesBetween, involvedBetween, type AccessEntry } from '../access/model.js';
import { isPhysical, partiesOf, type AccessRole } from '../access/parties.js';
import { membersDuring } from '../as-of/membership.js';
import { heldBy, holdingRole } from '../as-of/model.js';
import { intervalIndexAt } from '../as-of/queries.js';
import { stateOf } from '../custody/model.js';
import { requireCarrier } from '../custody/queries.js';
import type { Models } from '../models.js';
import { isoOf } from '../time.js';
import type { IncidentQuery } from './query.js';

export type IncidentSpan = {
  from: IsoTime;
  to: IsoTime;
  status: CarrierStatus;
  holders: PersonId[];
  location: string;
  role: 'held' | 'carried' | 'read';
};

export type IncidentCarrier = {
  carrierId: CarrierId;
  title: string;
  classification: Classification;
  registry: string;
  /** Who held it when the window opened, or null if it entered the ledger inside the window. */
  atStart: { status: CarrierStatus; holders: PersonId[]; location: string; since: IsoTime } | null;
  /** Custody within the window, clipped to it. */
  spans: IncidentSpan[];
};

export type IncidentAct = {
  time: IsoTime;
  actId: string;
  commandType: string;
  carriers: Array<{ carrierId: CarrierId; revision: number; eventType: string }>;
  signers: Array<{ personId: PersonId; name: string }>;
  parties: Array<{ personId: PersonId; role: AccessRole }>;
  /** Where the act happened or sent the carriers, and the seal it names, when it names them. */
  location: string | null;
  seal: string | null;
  summary: string;
};

export type IncidentPerson = {
  personId: PersonId;
  name: string;
  roles: AccessRole[];
  carrierIds: CarrierId[];
  first: IsoTime;
  last: IsoTime;
};

/** What ties a report to a state anyone can verify: the ledger, its newest signed checkpoint, who asked. */
export type IncidentProvenance = {
  ledgerId: string;
  /** The newest checkpoint the server had signed when the report was made; null if none yet. */
  checkpoint: { size: number; root: string; time: IsoTime } | null;
  madeBy: { personId: PersonId; name: string };
};

export type IncidentReport = {
  query: IncidentQuery;
  /** When the report was made: nothing after it is known, so spans stop here even if `query.to` is later. */
  madeAt: IsoTime;
  /** The end of what is drawn: the earlier of `query.to` and `madeAt`. */
  drawnTo: IsoTime;
  provenance?: IncidentProvenance;
  carriers: IncidentCarrier[];
  /** Every act on those carriers in the window, in time order (log order among equal times). */
  timeline: IncidentAct[];
  /** Everyone who could have had access in the window: held, carried, read or handled one of the carriers. */
  people: IncidentPerson[];
  /** The timeline stopped at `query.maxActs`. */
  truncated: boolean;
};

/** The carriers the filters select: each filter narrows (AND); none given means every carrier. */
function candidates(models: Models, q: IncidentQuery, fromMs: number, toMs: number): CarrierId[] {
  let selected: Set<CarrierId> | null = null;
  const narrow = (ids: Set<CarrierId>) => {
    selected = selected === null ? ids : new Set([...selected].filter((id) => ids.has(id)));
  };
  if (q.carrierIds) narrow(new Set(q.carrierIds.map((id) => requireCarrier(models.custody, id).id)));
  if (q.person !== undefined) {
    const held = models.asOf.persons.get(q.person);
    const ids = held ? membersDuring(held, fromMs, toMs) : new Set<CarrierId>();
    for (const id of involvedBetween(models.access, q.person, fromMs, toMs)) ids.add(id);
    narrow(ids);
  }
  if (q.location !== undefined) {
    const placed = models.asOf.locations.get(q.location);
    narrow(placed ? membersDuring(placed, fromMs, toMs) : new Set());
  }
  return [...(selected ?? models.custody.carriers.keys())].sort();
}

export function reconstructIncident(models: Models, q: IncidentQuery, madeAt: IsoTime): IncidentReport {
  const fromMs = Date.parse(q.from);
  // Nothing after the report is known: a window reaching into the future ends when the report was made.
  const toMs = Math.max(fromMs, Math.min(Date.parse(q.to), Date.parse(madeAt)));
  const carriers: IncidentCarrier[] = [];
  const entries: Array<{ carrierId: CarrierId; entry: AccessEntry }> = [];
  const people = new Map<PersonId, IncidentPerson>();
  const meet = (personId: PersonId, role: AccessRole, carrierId: CarrierId, from: IsoTime, to: IsoTime) => {
    let p = people.get(personId);
    if (!p) {
      p = { personId, name: models.lookup.name(personId), roles: [], carrierIds: [], first: from, last: to };
      people.set(personId, p);
    }
    if (!p.roles.includes(role)) p.roles.push(role);
    if (!p.carrierIds.includes(carrierId)) p.carrierIds.push(carrierId);
    if (from < p.first) p.first = from;
    if (to > p.last) p.last = to;
  };

  for (const id of candidates(models, q, fromMs, toMs)) {
    const c = stateOf(models.custody, id);
    if (!c || (q.minClassification && !clearedFor(c.description.classification, q.minClassification))) continue;
    const list = models.asOf.intervals.get(id) ?? [];
    const first = intervalIndexAt(list, fromMs);
    const start = list[first];
    const inWindow = entriesBetween(models.access, id, fromMs, toMs);
    if ((!start || start.status === 'destroyed') && inWindow.length === 0) continue;
    const spans: IncidentSpan[] = [];
    for (let j = Math.max(first, 0); j < list.length && list[j]!.ms <= toMs; j++) {
      const interval = list[j]!;
      if (interval.status === 'destroyed') continue;
      const span: IncidentSpan = {
        from: isoOf(Math.max(interval.ms, fromMs)),
        to: isoOf(Math.min(list[j + 1]?.ms ?? toMs, toMs)),
        status: interval.status,
        holders: [...heldBy(interval)],
        location: interval.location,
        role: holdingRole(interval),
      };
      spans.push(span);
      for (const holder of span.holders) meet(holder, span.role, id, span.from, span.to);
    }
    carriers.push({
      carrierId: id,
      title: c.description.title,
      classification: c.description.classification,
      registry: c.description.registry,
      atStart:
        start && start.status !== 'destroyed'
          ? { status: start.status, holders: [...start.holders], location: start.location, since: isoOf(start.ms) }
          : null,
      spans,
    });
    for (const entry of inWindow) {
      entries.push({ carrierId: id, entry });
      const time = isoOf(entry.ms);
      for (const party of partiesOf(entry, entry.signers)) if (isPhysical(party.role)) meet(party.personId, party.role, id, time, time);
    }
  }
  const timeline = actsOf(models, entries);
  return {
    query: q,
    madeAt,
    drawnTo: isoOf(toMs),
    carriers,
    timeline: timeline.slice(0, q.maxActs),
    people: [...people.values()].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : a.personId < b.personId ? -1 : 1)),
    truncated: timeline.length > q.maxActs,
  };
}

/** One timeline line per act, however many of the selected carriers it covered (R-BATCH-1). */
function actsOf(models: Models, entries: Array<{ carrierId: CarrierId; entry: AccessEntry }>): IncidentAct[] {
  const acts = new Map<string, { seq: number; ms: number; act: IncidentAct }>();
  for (const { carrierId, entry } of entries) {
    let item = acts.get(entry.actId);
    if (!item) {
      const act: IncidentAct = {
        time: isoOf(entry.ms),
        actId: entry.actId,
        commandType: entry.commandType,
        carriers: [],
        signers: entry.signers.map((personId) => ({ personId, name: models.lookup.name(personId) })),
        parties: [],
        location: null,
        seal: null,
        summary: '',
      };
      item = { seq: entry.seq, ms: entry.ms, act };
      acts.set(entry.actId, item);
    }
    item.act.carriers.push({ carrierId, revision: entry.revision, eventType: entry.type });
    const place = placeAndSeal(entry.data);
    item.act.location ??= place.location;
    item.act.seal ??= place.seal;
    for (const party of partiesOf(entry, entry.signers)) {
      if (!item.act.parties.some((p) => p.personId === party.personId && p.role === party.role)) item.act.parties.push(party);
    }
  }
  return [...acts.values()]
    .sort((a, b) => a.ms - b.ms || a.seq - b.seq)
    .map(({ act }) => ({ ...act, summary: summarise(act) }));
}

/** The location (or destination) and seal an event names, whatever its type. */
function placeAndSeal(data: unknown): { location: string | null; seal: string | null } {
  const d = (data ?? {}) as Record<string, unknown>;
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  const destination = d.destination as Record<string, unknown> | string | undefined;
  const location =
    text(d.location) ?? text(destination) ?? (typeof destination === 'object' && destination ? text(destination.location) ?? text(destination.registry) : null);
  const seal = d.seal as Record<string, unknown> | string | null | undefined;
  return { location, seal: text(seal) ?? (typeof seal === 'object' && seal ? text(seal.expected) : null) };
}

/** What an event did to a carrier, in words, for the summary line. */
const DID: Record<string, string> = {
  CopiesMade: 'copied',
  CopyRegistered: 'made as a copy',
  CarrierRegistered: 'registered',
  CarrierDestroyed: 'destroyed',
  CarrierReportedMissing: 'reported missing',
  CarrierDeclaredLost: 'declared lost',
  CarrierRecovered: 'recovered',
};
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "MakeCopies: D-ORIG copied; D-ORIG-c1, D-ORIG-c2 made as a copy (...)": what happened to which carrier. */
function summarise(act: IncidentAct): string {
  const byRole = new Map<AccessRole, PersonId[]>();
  for (const { personId, role } of act.parties) byRole.set(role, [...(byRole.get(role) ?? []), personId]);
  const byEvent = new Map<string, CarrierId[]>();
  for (const c of act.carriers) byEvent.set(c.eventType, [...(byEvent.get(c.eventType) ?? []), c.carrierId]);
  const list = (ids: CarrierId[]) => (ids.length <= 3 ? ids.join(', ') : `${plural(ids.length, 'carrier')} (${ids.slice(0, 2).join(', ')}, ...)`);
  const what = [...byEvent]
    .map(([type, ids]) => (DID[type] ? `${list(ids)} ${DID[type]}` : byEvent.size === 1 ? list(ids) : `${list(ids)}: ${type}`))
    .join('; ');
  const who = [...byRole].map(([role, ids]) => `${role}: ${ids.join(', ')}`).join('; ');
  return `${act.commandType}: ${what}${who ? ` (${who})` : ''}`;
}
