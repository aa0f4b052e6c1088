import { DAY_MS, HOUR_MS } from '../time.js';

/**
 * R-HOLD-5: the end of the registry's working day on which a carrier left it. Taken out before the
 * day ends (`hour` UTC), it is due back by then; taken out after hours, it is still due back the
 * same calendar day, by midnight UTC.
 */
export function endOfWorkingDay(ms: number, hour: number): number {
  const midnight = Math.floor(ms / DAY_MS) * DAY_MS;
  const dayEnd = midnight + hour * HOUR_MS;
  return ms < dayEnd ? dayEnd : midnight + DAY_MS;
}

/** R-HOLD-6: carriers issued to leaders are returned at year end (清退): by 1 January 00:00 UTC. */
export function yearEndAfter(ms: number): number {
  return Date.UTC(new Date(ms).getUTCFullYear() + 1, 0, 1);
}

/** The year-end return is announced from 1 December of the year it falls due. */
export function yearEndNoticeFrom(ms: number): number {
  return Date.UTC(new Date(ms).getUTCFullYear(), 11, 1);
}
