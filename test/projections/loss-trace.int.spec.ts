import { beforeAll, describe, expect, it } from 'vitest';
import { NotFound } from '../../src/domain/errors.js';
import type { ProjectionSet } from '../../src/projections/index.js';
import { at, buildScenario } from './scenario.js';

let projections: ProjectionSet;

beforeAll(async () => {
  ({ projections } = await buildScenario());
});

const periods = (trace: ReturnType<ProjectionSet['trace']>) =>
  Object.fromEntries(trace.custodians.people.map((p) => [p.personId, p.periods.map((x) => `${x.role} ${x.from.slice(8, 16)}-${x.to.slice(8, 16)}`)]));

describe('R-LOSS-*: the trace of a document that went missing after a circulation', () => {
  const trace = () => projections.trace('D-ORIG-c2', at('wed', '12:00'));

  it('starts from the open case: who reported it, when, why', () => {
    expect(trace().case).toMatchObject({
      reportedAt: at('wed', '09:30'),
      reportedBy: 'r1clerk1',
      circumstances: 'not found at the inventory after circulation CIRC-M',
      revision: 9,
      securityInformedAt: null,
      concluded: false,
    });
    expect(trace()).toMatchObject({ carrierId: 'D-ORIG-c2', status: 'missing', classification: 'secret', at: at('wed', '12:00') });
  });

  it('names the last signed custody (the return to the registry) and the last inventory sighting before the report', () => {
    expect(trace().lastSignedCustody).toMatchObject({
      holders: ['r1clerk1'],
      location: 'R1/safe-1',
      since: at('tue', '15:00'),
      eventType: 'CarrierReturnedByReader',
      signers: ['r1clerk1', 'reader05'],
      revision: 6,
    });
    expect(trace().lastSighting).toMatchObject({ time: at('tue', '09:00'), location: 'R1/safe-1', inventoryId: 'INV-1', takenBy: ['r1clerk2'], revision: 1 });
  });

  it('sets the exposure window from the last time it was positively known to exist to the report', () => {
    expect(trace().exposure).toEqual({ from: at('tue', '15:00'), to: at('wed', '09:30'), basis: 'signed-custody', hours: 18.5 });
  });

  it('names everyone who held or read it since the sighting, and who had it inside the window', () => {
    const t = trace();
    expect(t.custodians.since).toBe(at('tue', '09:00'));
    expect(t.custodians.basis).toBe('inventory-sighting');
    expect(periods(t)).toEqual({
      r1clerk1: ['held 24T09:00-24T10:00', 'held 24T15:00-25T09:30'],
      reader03: ['read 24T10:00-24T12:00'],
      r1clerk2: ['held 24T12:00-24T13:00'],
      reader05: ['read 24T13:00-24T15:00'],
    });
    expect(t.custodians.people.filter((p) => p.inExposureWindow).map((p) => p.personId)).toEqual(['r1clerk1']);
  });

  it('flags the parent and the sibling copy for review (R-LOSS-2)', () => {
    expect(trace().relatives).toEqual([
      { carrierId: 'D-ORIG', relation: 'parent', status: 'held', holders: ['r1clerk1'], location: 'R1/safe-1', since: at('tue', '08:00') },
      { carrierId: 'D-ORIG-c1', relation: 'sibling', status: 'held', holders: ['r1clerk1'], location: 'R1/safe-1', since: at('tue', '08:03') },
    ]);
  });

  it('R-LOSS-3 runs both deadlines from the report under the policy: 24 h to report, 90 days to conclude', () => {
    expect(trace().deadlines).toEqual({
      report: { due: at('thu', '09:30'), metAt: null, state: 'running', msLeft: 21.5 * 3_600_000, summary: `21 h 30 min left (due ${at('thu', '09:30')})` },
      conclusion: expect.objectContaining({ due: '2027-02-23T09:30:00.000Z', state: 'running' }),
    });
    const late = projections.trace('D-ORIG-c2', at('thu', '10:00')).deadlines!.report;
    expect(late).toMatchObject({ state: 'overdue', msLeft: -30 * 60_000, summary: `overdue by 30 min (was due ${at('thu', '09:30')})` });
    expect(projections.trace('D-ORIG-c2', at('thu', '09:30')).deadlines!.report.state).toBe('running');
  });

  it('says what remains to be done, in order, with the deadlines', () => {
    const steps = trace().remaining;
    expect(steps.map((s) => [s.rule, s.due])).toEqual([
      ['R-LOSS-3', at('thu', '09:30')],
      ['R-LOSS-2', null],
      ['R-LOSS-2', null],
      ['R-LOSS-2', null],
      ['R-LOSS-2', null],
      ['R-LOSS-3', '2027-02-23T09:30:00.000Z'],
    ]);
    expect(steps[1]!.step).toContain('Search R1/safe-1');
    expect(steps[2]!.step).toContain('Li Na (r1clerk1)');
    expect(steps[3]!.step).toMatch(/reader03.*r1clerk2.*reader05/);
    expect(steps[4]!.step).toContain('parent D-ORIG');
  });
});

describe('R-LOSS-*: concluded cases and carriers never reported', () => {
  it('a carrier the security officer recovered: the case is concluded, the report deadline met, nothing remains', () => {
    const trace = projections.trace('MISS-2', at('wed', '12:00'));
    expect(trace.case).toMatchObject({ reportedBy: 'reader06', concluded: true, securityInformedAt: at('tue', '18:30'), recovered: { by: 'officer', holder: 'r2clerk2', location: 'R2/safe-1' } });
    expect(trace.deadlines?.report).toMatchObject({ state: 'met', metAt: at('tue', '18:30') });
    expect(trace.deadlines?.conclusion).toMatchObject({ state: 'met', metAt: at('tue', '18:30') });
    expect(trace.remaining).toEqual([]);
    expect(trace.lastSignedCustody).toMatchObject({ holders: ['r2clerk2'], eventType: 'CarrierRegistered' });
    expect(trace.exposure).toMatchObject({ to: at('tue', '17:30'), basis: 'signed-custody' });
  });

  it('a carrier declared lost: concluded by the declaration', () => {
    const trace = projections.trace('MISS-3', at('wed', '12:00'));
    expect(trace.case).toMatchObject({ concluded: true, declaredLost: { by: 'officer', reason: 'search concluded without result' } });
    expect(trace.status).toBe('lost');
    expect(trace.remaining).toEqual([]);
  });

  it('a carrier never reported missing: no case, the window runs to the clock, everyone who had it since registration', () => {
    const trace = projections.trace('TS1', at('wed', '12:00'));
    expect(trace.case).toBeNull();
    expect(trace.deadlines).toBeNull();
    expect(trace.remaining).toEqual([]);
    expect(trace.custodians.basis).toBe('registration');
    expect(trace.exposure).toMatchObject({ from: at('tue', '14:00'), to: at('wed', '12:00') });
    expect(trace.custodians.people.map((p) => [p.personId, p.periods.map((x) => x.role)])).toEqual([
      ['r1clerk1', ['held']],
      ['courier1', ['carried']],
      ['courier2', ['carried']],
      ['courier3', ['carried']],
      ['courier4', ['carried']],
      ['r2clerk1', ['held']],
    ]);
  });

  it('an unknown carrier cannot be traced: "not found"', () => {
    expect(() => projections.trace('NO-SUCH', at('wed', '12:00'))).toThrow(NotFound);
  });
});
