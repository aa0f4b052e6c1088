import { ValidationError } from '../domain/errors.js';
import type { Policy } from '../domain/policy/policy.js';
import type { IsoTime } from '../domain/primitives.js';

/** The policy in force at an instant: a past act is judged by the policy of its time (RULES.md, Policy). */
export type PolicyAt = (time: IsoTime) => Policy;

export const policyResolver = (policy: Policy | PolicyAt): PolicyAt =>
  typeof policy === 'function' ? policy : () => policy;

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Date.parse rolls 30 February over into March and takes 24:00; a person who typed it made a mistake. */
function realCalendarTime(match: RegExpExecArray): boolean {
  const [y, mo, d, h] = [1, 2, 3, 4].map((i) => Number(match[i]));
  const probe = new Date(Date.UTC(y!, mo! - 1, d!));
  return h! < 24 && probe.getUTCMonth() === mo! - 1 && probe.getUTCDate() === d!;
}

/**
 * A query's instant, from what a person types: ISO 8601 with a `Z` or an offset, seconds and
 * fractions optional. Returned as the ledger's one time format (UTC, milliseconds). Anything else is
 * a ValidationError naming the field, never a guess.
 */
export function parseInstant(input: unknown, field: string): IsoTime {
  const match = typeof input === 'string' ? INSTANT.exec(input) : null;
  const ms = match && realCalendarTime(match) ? Date.parse(match[0]) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ValidationError(`invalid ${field}`, [
      {
        path: [field],
        code: 'invalid_instant',
        message: `${field} must be an ISO 8601 instant with a time zone, e.g. 2026-11-23T09:00:00Z`,
      },
    ]);
  }
  return new Date(ms).toISOString();
}

export const isoOf = (ms: number): IsoTime => new Date(ms).toISOString();

function digit(s: string, i: number): number {
  return s.charCodeAt(i) - 48;
}
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * An act's time in epoch milliseconds. Acts carry the ledger's one format (YYYY-MM-DDTHH:mm:ss.sssZ),
 * read here digit by digit: a rebuild converts a million of them, and this is twice Date.parse's speed.
 */
export function msOf(iso: IsoTime): number {
  if (!CANONICAL.test(iso)) return Date.parse(iso);
  return Date.UTC(
    twoDigits(iso, 0) * 100 + twoDigits(iso, 2),
    twoDigits(iso, 5) - 1,
    twoDigits(iso, 8),
    twoDigits(iso, 11),
    twoDigits(iso, 14),
    twoDigits(iso, 17),
    digit(iso, 20) * 100 + twoDigits(iso, 21),
  );
}

function twoDigits(s: string, i: number): number {
  return digit(s, i) * 10 + digit(s, i + 1);
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Number of entries with key <= `value` in `sorted` (ascending): the index just past the last one. */
export function upperBound(sorted: ArrayLike<number>, value: number, end = sorted.length): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Same as `upperBound` over objects, comparing `key(item)`. */
export function upperBoundBy<T>(sorted: readonly T[], value: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(sorted[mid]!) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** "3 d 4 h", "45 min": a duration as a person reads it in a report. */
export function humanDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [days > 0 ? `${days} d` : '', hours > 0 ? `${hours} h` : '', days === 0 && rest > 0 ? `${rest} min` : ''];
  return parts.filter(Boolean).join(' ') || 'under a minute';
}

/** A running deadline judged against a clock: what the loss trace and the alerts report. */
export type Deadline = {
  due: IsoTime;
  /** When it was met, or null while it runs. */
  metAt: IsoTime | null;
  state: 'met' | 'running' | 'overdue';
  /** Time left before `due` (negative once overdue); 0 once met. */
  msLeft: number;
  summary: string;
};

export function deadline(dueMs: number, metAt: IsoTime | null, nowMs: number): Deadline {
  const due = isoOf(dueMs);
  if (metAt !== null) {
    const late = Date.parse(metAt) > dueMs;
    return { due, metAt, state: 'met', msLeft: 0, summary: late ? `met late, at ${metAt}` : `met at ${metAt}` };
  }
  const msLeft = dueMs - nowMs;
  return msLeft >= 0
    ? { due, metAt, state: 'running', msLeft, summary: `${humanDuration(msLeft)} left (due ${due})` }
    : { due, metAt, state: 'overdue', msLeft, summary: `overdue by ${humanDuration(msLeft)} (was due ${due})` };
}
