import { NotFound } from '../domain/errors.js';
import { adoptionAt, type PolicyAdoption } from '../domain/policy/history.js';
import { defaultPolicy, type Policy } from '../domain/policy/policy.js';
import { CarrierId, Location, PersonId, type IsoTime } from '../domain/primitives.js';
import type { EventStore, RecordedEvent } from '../store/port.js';
import { accessRecord, type AccessRecord } from './access/queries.js';
import { AlertsQuery, alertsAt, type Alert } from './alerts/rules.js';
import { atLocationAt, custodyAt, holdingsAt, type CustodyAt } from './as-of/queries.js';
import {
  atLocationNow,
  custodyOf,
  holdingsNow,
  openItems,
  requireCarrier,
  type CarrierCustody,
  type CarrierSummary,
  type OpenItems,
} from './custody/queries.js';
import { parseIncidentQuery } from './incident/query.js';
import { checkedField, parsed } from './input.js';
import { reconstructIncident, type IncidentReport } from './incident/reconstruct.js';
import { renderIncident, type IncidentFormat } from './incident/render.js';
import { startFeed, type AlsoRebuild, type RebuildProgress } from './lifecycle.js';
import { lineageOf, type Lineage } from './lineage/queries.js';
import { traceLoss, type LossTrace } from './loss/trace.js';
import { createModels, snapshotModels } from './models.js';
import { parseInstant, policyResolver, type PolicyAt } from './time.js';

export type PolicyView = { at: IsoTime; inForce: Policy; since: IsoTime | null; adoptedBy: string | null; history: PolicyAdoption[] };

export type ProjectionOptions = {
  store: EventStore;
  /** The policy, or the policy in force at each instant (a past act is judged by its time's policy). */
  policy?: Policy | PolicyAt;
  /** "Now" for alerts and traces when a query names none. */
  clock?: () => IsoTime;
  /** Events per page while rebuilding. */
  pageSize?: number;
  /** Also handed every event the rebuild reads, in order: another model can fold from the same pass. */
  alsoRebuild?: AlsoRebuild;
  /** Told after each page of the rebuild how far it has read, and where the log ended when it began. */
  onRebuildProgress?: (progress: RebuildProgress) => void;
};

/** Every read model behind one object: the surface the API and the CLI call. */
export type ProjectionSet = Awaited<ReturnType<typeof createProjections>>;

/**
 * Rebuilds every read model from the store (reading all events in pages), then follows new events
 * as they are appended. Resolves once the rebuild is done. Queries never change what is recorded;
 * bad input is a ValidationError naming the field, an unknown carrier or person a NotFound.
 */
export async function createProjections(options: ProjectionOptions) {
  const models = createModels(policyResolver(options.policy ?? defaultPolicy));
  // Pages of about a thousand keep the parsed page small next to the young generation: larger
  // pages survive scavenges and cost more in copying than they save in round trips.
  const feed = await startFeed(options.store, models, {
    pageSize: options.pageSize ?? 1_000,
    ...(options.alsoRebuild ? { alsoRebuild: options.alsoRebuild } : {}),
    ...(options.onRebuildProgress ? { onProgress: options.onRebuildProgress } : {}),
  });
  const clock = options.clock ?? (() => new Date().toISOString());

  /** Every query first: a stopped feed answers with its error, not with stale data. */
  const live = () => {
    if (feed.failure) throw feed.failure;
    return models;
  };
  const carrier = (id: unknown) => checkedField(CarrierId, id, 'carrierId');
  const place = (location: unknown) => checkedField(Location, location, 'location');
  const person = (id: unknown) => {
    const personId = checkedField(PersonId, id, 'personId');
    if (!live().persons.persons.has(personId)) throw new NotFound('person', personId);
    return personId;
  };
  const instant = (value: unknown, field: string) => {
    const iso = parseInstant(value, field);
    return { iso, ms: Date.parse(iso) };
  };
  const now = (value: unknown) => instant(value ?? clock(), 'now');
  /** "As the ledger stood at K": only acts it recorded at or before K count. */
  const knownMs = (value: string | undefined): number | undefined => (value === undefined ? undefined : instant(value, 'knownAt').ms);

  return {
    /** The store position of the last event applied. */
    get position(): bigint {
      return feed.position;
    },

    /** Resolves once the event at `position` (e.g. from a submit result) is applied: read your own writes. */
    waitFor(position: bigint, options: { timeoutMs?: number } = {}): Promise<void> {
      return feed.waitFor(position, options.timeoutMs ?? 10_000);
    },

    /** Where a carrier is now, who holds it, since when, under which act, and what is open on it. */
    where(carrierId: string): CarrierCustody & { act: CustodyAt['act'] | null } {
      const id = carrier(carrierId);
      const view = custodyOf(live().custody, id);
      const last = models.asOf.intervals.get(id)?.at(-1);
      const act = last && { actId: last.actId, revision: last.revision, eventType: last.eventType, signers: [...last.signers] };
      return { ...view, act: act ?? null };
    },

    /**
     * Where a carrier was at `at` and who held it; null if it was not yet registered. Inclusive:
     * at exactly the time an act took effect, the act has happened. With `knownAt`: as the ledger
     * stood then, counting only the acts it had recorded by that instant.
     */
    whereAt(carrierId: string, at: string, knownAt?: string): CustodyAt | null {
      const id = carrier(carrierId);
      const t = instant(at, 'at');
      const known = knownMs(knownAt);
      requireCarrier(live().custody, id);
      return custodyAt(models.asOf, id, t.iso, t.ms, known);
    },

    holdings(personId: string): { personId: string; name: string; carriers: CarrierSummary[] } {
      const id = person(personId);
      return { personId: id, name: models.lookup.name(id), carriers: holdingsNow(models.custody, models.asOf.persons.get(id)) };
    },

    holdingsAt(personId: string, at: string, knownAt?: string): { personId: string; name: string; at: IsoTime; carriers: CustodyAt[] } {
      const id = person(personId);
      const t = instant(at, 'at');
      const known = knownMs(knownAt);
      return { personId: id, name: models.lookup.name(id), at: t.iso, carriers: holdingsAt(models.asOf, id, t.iso, t.ms, known) };
    },

    atLocation(location: string): { location: string; carriers: CarrierSummary[] } {
      const where = place(location);
      return { location: where, carriers: atLocationNow(live().custody, models.asOf.locations.get(where)) };
    },

    atLocationAt(location: string, at: string, knownAt?: string): { location: string; at: IsoTime; carriers: CustodyAt[] } {
      const where = place(location);
      const t = instant(at, 'at');
      const known = knownMs(knownAt);
      return { location: where, at: t.iso, carriers: atLocationAt(live().asOf, where, t.iso, t.ms, known) };
    },

    /** Open circulations, transports and archive loans. */
    open(): OpenItems {
      return openItems(live().custody);
    },

    /** R-ACCESS-1: everyone who held, carried, read, copied or witnessed it, with when and in which act. */
    access(carrierId: string): AccessRecord {
      return accessRecord(live().access, models.custody, models.lookup, carrier(carrierId));
    },

    /** The parent chain and every copy, recursively, each with status and holder. */
    lineage(carrierId: string): Lineage {
      return lineageOf(live().lineage, models.custody, carrier(carrierId));
    },

    /** R-LOSS-*: the lost-carrier trace, deadlines judged at `now` (default: the clock). */
    trace(carrierId: string, nowAt?: string): LossTrace {
      const t = now(nowAt);
      return traceLoss(live(), carrier(carrierId), t.iso, t.ms);
    },

    /** Every open WATCH alert at `now` (default: the clock), optionally for some rules or one carrier. */
    alerts(filter: AlertsQuery = {}): Alert[] {
      const { now: at, rules, carrierId } = parsed(AlertsQuery, filter, 'alerts query');
      const t = now(at);
      const wanted = (a: Alert) => (!rules || rules.includes(a.rule)) && (carrierId === undefined || a.carrierId === carrierId);
      return alertsAt(live(), t.ms).filter(wanted);
    },

    /**
     * The policy in force at `at` (default: the clock), since when and by whom, and every adoption
     * the ledger records, oldest first. Before the first adoption the base is in force (since: null).
     */
    policy(at?: string): PolicyView {
      const t = instant(at ?? clock(), 'at');
      const { history } = live().policy;
      const inForce = models.policyAt(t.iso);
      const adoption = adoptionAt(history, t.iso) ?? null;
      return { at: t.iso, inForce, since: adoption?.from ?? null, adoptedBy: adoption?.adoptedBy ?? null, history: [...history] };
    },

    /** Incident reconstruction over a window (input as the API receives it; see IncidentQueryInput). */
    incident(query: unknown): IncidentReport {
      return reconstructIncident(live(), parseIncidentQuery(query), clock());
    },

    renderIncident(report: IncidentReport, format: IncidentFormat): string {
      return renderIncident(report, format);
    },

    /** Every model as plain ordered data (caches left out): for tests and diagnostics. */
    snapshot(): unknown {
      return snapshotModels(live());
    },

    close(): void {
      feed.close();
    },
  };
}
