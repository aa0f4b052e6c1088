import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { endOfWorkingDay, yearEndAfter, yearEndNoticeFrom } from '../../src/projections/alerts/calendar.js';
import { deadline, humanDuration, msOf, parseInstant } from '../../src/projections/time.js';
import { seeded } from './random-history.js';
import { caught } from './world.js';

const ms = (iso: string) => Date.parse(iso);

describe('instants as people type them', () => {
  it('normalises ISO 8601 with a zone to the ledger\'s one format', () => {
    expect(parseInstant('2026-11-24T10:00Z', 'at')).toBe('2026-11-24T10:00:00.000Z');
    expect(parseInstant('2026-11-24T18:00:00+08:00', 'at')).toBe('2026-11-24T10:00:00.000Z');
    expect(parseInstant('2026-11-24T10:00:00.5Z', 'at')).toBe('2026-11-24T10:00:00.500Z');
  });

  it('refuses anything without a zone or not an instant, naming the field', () => {
    for (const input of ['2026-11-24T10:00:00', '2026-11-24', 'tomorrow', 42, null, '2026-13-01T00:00Z', '2026-02-30T00:00Z', '2026-01-01T24:00Z']) {
      const error = caught(() => parseInstant(input, 'from'));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([expect.objectContaining({ path: ['from'], code: 'invalid_instant' })]);
    }
  });

  it('reads an act\'s time to the same millisecond as Date.parse', () => {
    const random = seeded(5);
    for (let i = 0; i < 2000; i++) {
      const iso = new Date(Math.floor(random() * 4e12)).toISOString();
      expect(msOf(iso)).toBe(Date.parse(iso));
    }
  });
});

describe('deadlines against a clock', () => {
  it('runs until its instant, is overdue after it, and is met once met (late or not)', () => {
    const due = ms('2026-11-26T09:30:00.000Z');
    expect(deadline(due, null, due)).toMatchObject({ state: 'running', msLeft: 0 });
    expect(deadline(due, null, due + 1)).toMatchObject({ state: 'overdue', msLeft: -1 });
    expect(deadline(due, '2026-11-26T09:00:00.000Z', due + 1)).toMatchObject({ state: 'met', summary: 'met at 2026-11-26T09:00:00.000Z' });
    expect(deadline(due, '2026-11-26T10:00:00.000Z', due + 1)).toMatchObject({ state: 'met', summary: 'met late, at 2026-11-26T10:00:00.000Z' });
  });

  it('says how long in words a reader takes in at a glance', () => {
    expect(humanDuration(45 * 60_000)).toBe('45 min');
    expect(humanDuration(-(26 * 3_600_000 + 5 * 60_000))).toBe('1 d 2 h');
    expect(humanDuration(30_000)).toBe('under a minute');
  });
});

describe('R-HOLD-5 and R-HOLD-6 calendars', () => {
  it('the working day ends at the policy hour; taken out after hours, it is due back by midnight', () => {
    expect(endOfWorkingDay(ms('2026-11-25T10:05:00.000Z'), 18)).toBe(ms('2026-11-25T18:00:00.000Z'));
    expect(endOfWorkingDay(ms('2026-11-25T18:00:00.000Z'), 18)).toBe(ms('2026-11-26T00:00:00.000Z'));
    expect(endOfWorkingDay(ms('2026-11-25T23:59:00.000Z'), 18)).toBe(ms('2026-11-26T00:00:00.000Z'));
    expect(endOfWorkingDay(ms('2026-11-25T01:00:00.000Z'), 0)).toBe(ms('2026-11-26T00:00:00.000Z'));
  });

  it('the year-end return falls due on 1 January and is announced from 1 December', () => {
    expect(yearEndAfter(ms('2026-03-01T00:00:00.000Z'))).toBe(ms('2027-01-01T00:00:00.000Z'));
    expect(yearEndAfter(ms('2026-12-31T23:59:59.999Z'))).toBe(ms('2027-01-01T00:00:00.000Z'));
    expect(yearEndNoticeFrom(ms('2026-03-01T00:00:00.000Z'))).toBe(ms('2026-12-01T00:00:00.000Z'));
  });
});
