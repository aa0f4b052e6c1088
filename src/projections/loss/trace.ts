import type { CarrierStatus } from '../../domain/carrier/state.js';
import type { CarrierId, Classification, IsoTime, PersonId } from '../../domain/primitives.js';
import { heldBy, holdingRole, type CustodyInterval } from '../as-of/model.js';
import { requireCarrier } from '../custody/queries.js';
import type { Models } from '../models.js';
import { DAY_MS, HOUR_MS, deadline, isoOf, type Deadline } from '../time.js';
import { relativesOf, type Relative } from './relatives.js';
import { remainingSteps, type Step } from './steps.js';
import type { MissingCase, Sighting } from './model.js';

export type CustodianPeriod = { from: IsoTime; to: IsoTime; role: 'held' | 'carried' | 'read'; actId: string };

export type Custodian = {
  personId: PersonId;
  name: string;
  periods: CustodianPeriod[];
  /** Had it at some point of the exposure window. */
  inExposureWindow: boolean;
};

/** What an investigator needs first about a missing carrier (R-LOSS-*), judged against a clock. */
export type LossTrace = {
  carrierId: CarrierId;
  title: string;
  classification: Classification;
  status: CarrierStatus;
  at: IsoTime;
  /** The latest missing case, or null if it was never reported missing (the trace then runs to `at`). */
  case: (Omit<MissingCase, 'reportedMs'> & { concluded: boolean }) | null;
  /** The custody in force when it went missing: the last hand-over someone signed for. */
  lastSignedCustody: {
    holders: PersonId[];
    location: string;
    since: IsoTime;
    actId: string;
    revision: number;
    eventType: string;
    signers: PersonId[];
  } | null;
  lastSighting: Omit<Sighting, 'ms'> | null;
  /** From the last moment it was positively known to exist (signed custody or sighting) to the report. */
  exposure: { from: IsoTime; to: IsoTime; basis: 'signed-custody' | 'inventory-sighting'; hours: number };
  /** Everyone who held, carried or read it since the last sighting (or since registration, if never sighted). */
  custodians: { since: IsoTime; basis: 'inventory-sighting' | 'registration'; people: Custodian[] };
  relatives: Relative[];
  deadlines: { report: Deadline; conclusion: Deadline } | null;
  remaining: Step[];
};

/** The last element with revision < `revision` (lists are in revision order). */
function lastBefore<T extends { revision: number }>(list: readonly T[], revision: number): T | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.revision < revision) lo = mid + 1;
    else hi = mid;
  }
  return list[lo - 1];
}

export function traceLoss(models: Models, carrierId: CarrierId, at: IsoTime, nowMs: number): LossTrace {
  const carrier = requireCarrier(models.custody, carrierId);
  const intervals = models.asOf.intervals.get(carrierId) ?? [];
  const latest = models.loss.cases.get(carrierId)?.at(-1) ?? null;
  // Without a report, everything up to now counts; with one, everything before the report.
  const cut = latest ? latest.revision : Number.POSITIVE_INFINITY;
  const endMs = latest ? latest.reportedMs : nowMs;
  const custody = lastBefore(intervals, cut);
  const sighting = lastBefore(models.loss.sightings.get(carrierId) ?? [], cut) ?? null;

  const custodyMs = custody?.ms ?? Date.parse(carrier.registeredAt);
  const bySighting = sighting !== null && sighting.ms > custodyMs;
  const exposureFromMs = bySighting ? sighting.ms : custodyMs;
  const sinceMs = sighting?.ms ?? Date.parse(carrier.registeredAt);
  const people = custodiansBetween(models, intervals, cut, sinceMs, endMs, exposureFromMs);

  const deadlines = latest ? caseDeadlines(models, latest, nowMs) : null;
  const relatives = relativesOf(models, carrierId);
  return {
    carrierId,
    title: carrier.description.title,
    classification: carrier.description.classification,
    status: carrier.status,
    at,
    case: latest && caseView(latest),
    lastSignedCustody: custody ? custodyView(custody) : null,
    lastSighting: sighting && sightingView(sighting),
    exposure: {
      from: isoOf(exposureFromMs),
      to: isoOf(endMs),
      basis: bySighting ? 'inventory-sighting' : 'signed-custody',
      hours: Math.round(((endMs - exposureFromMs) / HOUR_MS) * 10) / 10,
    },
    custodians: { since: isoOf(sinceMs), basis: sighting ? 'inventory-sighting' : 'registration', people },
    relatives,
    deadlines,
    remaining: remainingSteps({ carrier, latest, custody: custody ?? null, people, relatives, deadlines }),
  };
}

function caseView({ reportedMs: _internal, ...rest }: MissingCase): NonNullable<LossTrace['case']> {
  return { ...rest, concluded: rest.recovered !== null || rest.declaredLost !== null };
}

const custodyView = (i: CustodyInterval): NonNullable<LossTrace['lastSignedCustody']> => ({
  holders: [...i.holders],
  location: i.location,
  since: isoOf(i.ms),
  actId: i.actId,
  revision: i.revision,
  eventType: i.eventType,
  signers: [...i.signers],
});

const sightingView = ({ ms: _internal, ...rest }: Sighting): NonNullable<LossTrace['lastSighting']> => ({ ...rest, takenBy: [...rest.takenBy] });

/** R-LOSS-3: both deadlines run from the report, under the policy in force when it was made. */
function caseDeadlines(models: Models, c: MissingCase, nowMs: number) {
  const policy = models.policyAt(c.reportedAt);
  const concludedAt = c.recovered?.at ?? c.declaredLost?.at ?? null;
  return {
    report: deadline(c.reportedMs + policy.lossReportHours * HOUR_MS, c.securityInformedAt, nowMs),
    conclusion: deadline(c.reportedMs + policy.lossConclusionDays * DAY_MS, concludedAt, nowMs),
  };
}

/** Holders of every custody interval that overlaps [sinceMs, endMs], before the report's own interval. */
function custodiansBetween(
  models: Models,
  intervals: readonly CustodyInterval[],
  cut: number,
  sinceMs: number,
  endMs: number,
  exposureFromMs: number,
): Custodian[] {
  const people = new Map<PersonId, Custodian>();
  for (let i = 0; i < intervals.length; i++) {
    const interval = intervals[i]!;
    if (interval.revision >= cut) break;
    const next = intervals[i + 1];
    const last = !next || next.revision >= cut;
    const toMs = last ? endMs : next.ms;
    if (toMs < sinceMs || interval.status === 'destroyed') continue;
    for (const personId of heldBy(interval)) {
      let person = people.get(personId);
      if (!person) {
        person = { personId, name: models.lookup.name(personId), periods: [], inExposureWindow: false };
        people.set(personId, person);
      }
      const fromMs = Math.max(interval.ms, sinceMs);
      person.periods.push({ from: isoOf(fromMs), to: isoOf(toMs), role: holdingRole(interval), actId: interval.actId });
      // Whoever handed it on exactly when the window opens signed it away: they are outside it.
      person.inExposureWindow ||= last || toMs > exposureFromMs;
    }
  }
  return [...people.values()];
}
