import { z } from 'zod';
import { CarrierId, type IsoTime } from '../../domain/primitives.js';
import { stateOf } from '../custody/model.js';
import { relativesOf } from '../loss/relatives.js';
import type { Models } from '../models.js';
import { DAY_MS, HOUR_MS, humanDuration, isoOf } from '../time.js';
import { endOfWorkingDay, yearEndAfter, yearEndNoticeFrom } from './calendar.js';

export const WATCH_RULES = [
  'R-CIRC-4',
  'R-HOLD-5',
  'R-HOLD-6',
  'R-TRANSPORT-4',
  'R-TRANSPORT-5',
  'R-LOSS-2',
  'R-LOSS-3',
  'R-INV-1',
] as const;
export type WatchRule = (typeof WATCH_RULES)[number];
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What `alerts` may be asked: a clock reading (default: the projections' clock), some WATCH rules, one carrier. */
export const AlertsQuery = z
  .object({ now: z.string().optional(), rules: z.array(z.enum(WATCH_RULES)).optional(), carrierId: CarrierId.optional() })
  .strict();
export type AlertsQuery = z.input<typeof AlertsQuery>;

/** An open WATCH rule on one carrier: since when it applies, why, and how bad. */
export type Alert = { rule: WatchRule; carrierId: CarrierId; since: IsoTime; detail: string; severity: Severity };

type Raise = (rule: WatchRule, carrierId: CarrierId, sinceMs: number, severity: Severity, detail: string) => void;

/** R-CIRC-4: a reader keeps a circulated carrier past the deadline the registry set. */
function overdueReadings({ custody, lookup }: Models, nowMs: number, raise: Raise): void {
  for (const id of custody.circulating) {
    const c = stateOf(custody, id);
    const circulation = c?.circulation;
    if (!c || !circulation?.reader || !circulation.dueBy || c.status === 'lost' || c.status === 'destroyed') continue;
    const due = Date.parse(circulation.dueBy);
    if (nowMs <= due) continue;
    const reader = `${lookup.name(circulation.reader)} (${circulation.reader})`;
    raise('R-CIRC-4', id, due, circulation.urgent ? 'high' : 'medium',
      `reader ${reader} has had it since ${c.since} in circulation ${circulation.id}; ` +
        `it was due back at ${circulation.dueBy} (${humanDuration(nowMs - due)} late)`);
  }
}

/** R-TRANSPORT-5: a transport not delivered by the time it was expected. */
function lateTransports({ custody }: Models, nowMs: number, raise: Raise): void {
  for (const [transportId, ids] of custody.transports) {
    for (const id of ids) {
      const t = stateOf(custody, id)?.transport;
      const due = t ? Date.parse(t.expectedBy) : Number.POSITIVE_INFINITY;
      if (!t || nowMs <= due) continue;
      raise('R-TRANSPORT-5', id, due, 'high',
        `transport ${transportId} with ${t.couriers.join(' and ')} was expected by ${t.expectedBy} ` +
          `and is not delivered (${humanDuration(nowMs - due)} late)`);
    }
  }
}

/** R-HOLD-5 and R-HOLD-6: carriers out of a registry past the end of the day, or with a leader past the year end. */
function outOfRegistry(models: Models, nowMs: number, raise: Raise): void {
  for (const [id, since] of models.alerts.awayFromRegistry) {
    const due = endOfWorkingDay(Date.parse(since), models.policyAt(since).registryDayEndsAtUtcHour);
    if (nowMs <= due) continue;
    const holders = models.custody.carriers.get(id)?.view.holders ?? [];
    raise('R-HOLD-5', id, due, 'high',
      `held by ${holders.join(' and ')} since ${since}, not back at a registry by the end of the ` +
        `working day ${isoOf(due)} (${humanDuration(nowMs - due)} late)`);
  }
  for (const [id, held] of models.alerts.withLeader) {
    const sinceMs = Date.parse(held.since);
    const due = yearEndAfter(sinceMs);
    const notice = Math.max(yearEndNoticeFrom(sinceMs), sinceMs);
    const issued = `issued to leader ${held.leader} on ${held.since}`;
    if (nowMs > due) {
      raise('R-HOLD-6', id, due, 'medium', `${issued}; the year-end return was due ${isoOf(due)} (${humanDuration(nowMs - due)} late)`);
    } else if (nowMs >= notice) {
      raise('R-HOLD-6', id, notice, 'low', `${issued}; to be returned by the year end, ${isoOf(due)}`);
    }
  }
}

/** R-TRANSPORT-4 and R-INV-1: what arrived or was found other than the ledger says. */
function findings({ alerts }: Models, raise: Raise): void {
  for (const [id, seal] of alerts.brokenSeals) {
    const state = seal.seen === null ? 'missing' : seal.seen === seal.expected ? 'broken' : `replaced by ${seal.seen}`;
    raise('R-TRANSPORT-4', id, Date.parse(seal.at), 'high',
      `seal ${seal.expected} of transport ${seal.transportId} arrived ${state}; received by ${seal.receiver}`);
  }
  for (const [id, d] of alerts.discrepancies) {
    const what = {
      'not-sighted': `not sighted at ${d.location}, where the ledger places it`,
      elsewhere: `sighted at ${d.location}, but the ledger places it at ${d.ledgerLocation}`,
      'unexpected-status': `sighted at ${d.location}, but the ledger has it ${d.ledgerStatus}`,
    }[d.finding];
    raise('R-INV-1', id, Date.parse(d.at), d.finding === 'elsewhere' ? 'medium' : 'high', `inventory ${d.inventoryId}: ${what}`);
  }
}

/** R-LOSS-2 and R-LOSS-3: every open case, its relatives to review, and its deadlines once passed. */
function openCases(models: Models, nowMs: number, raise: Raise): void {
  for (const id of models.loss.open) {
    const c = models.loss.cases.get(id)?.at(-1);
    if (!c) continue;
    const policy = models.policyAt(c.reportedAt);
    const reportDue = c.reportedMs + policy.lossReportHours * HOUR_MS;
    const concludeDue = c.reportedMs + policy.lossConclusionDays * DAY_MS;
    const informed = c.securityInformedAt === null
      ? `report to the security office due ${isoOf(reportDue)}`
      : `security office informed ${c.securityInformedAt}`;
    raise('R-LOSS-2', id, c.reportedMs, 'critical',
      `reported missing by ${c.reportedBy} at ${c.reportedAt}: ${c.circumstances}; ${informed}; to be concluded by ${isoOf(concludeDue)}`);
    if (c.securityInformedAt === null && nowMs > reportDue) {
      raise('R-LOSS-3', id, reportDue, 'critical',
        `the report has not reached the security office; it was due within ${policy.lossReportHours} h, ` +
          `by ${isoOf(reportDue)} (${humanDuration(nowMs - reportDue)} late)`);
    }
    if (nowMs > concludeDue) {
      raise('R-LOSS-3', id, concludeDue, 'high',
        `the case is still open; it should have been concluded within ${policy.lossConclusionDays} days, ` +
          `by ${isoOf(concludeDue)} (${humanDuration(nowMs - concludeDue)} late)`);
    }
    for (const relative of relativesOf(models, id)) {
      if (relative.status === 'destroyed') continue;
      const who = { copy: 'a copy', parent: 'the parent', sibling: 'a sibling copy' }[relative.relation];
      raise('R-LOSS-2', relative.carrierId, c.reportedMs, 'medium', `${who} of missing ${id}: review it`);
    }
  }
}

/**
 * Every open alert at `nowMs`. A deadline passes strictly after its instant: a carrier due back at
 * 18:00 is on time at 18:00:00.000. The cost is the number of open items, never the ledger's size.
 */
export function alertsAt(models: Models, nowMs: number): Alert[] {
  const alerts: Alert[] = [];
  const raise: Raise = (rule, carrierId, sinceMs, severity, detail) =>
    alerts.push({ rule, carrierId, since: isoOf(sinceMs), detail, severity });
  overdueReadings(models, nowMs, raise);
  lateTransports(models, nowMs, raise);
  outOfRegistry(models, nowMs, raise);
  findings(models, raise);
  openCases(models, nowMs, raise);
  return alerts.sort(bySinceRuleCarrier);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const bySinceRuleCarrier = (a: Alert, b: Alert) =>
  compare(a.since, b.since) || compare(a.rule, b.rule) || compare(a.carrierId, b.carrierId);
