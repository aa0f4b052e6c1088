import { beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { createProjections, type Alert, type ProjectionSet, type WatchRule } from '../../src/projections/index.js';
import { officeCast } from './cast.js';
import { anchorsOnly, at, buildScenario } from './scenario.js';
import { caught, createWorld } from './world.js';

let projections: ProjectionSet;

beforeAll(async () => {
  ({ projections } = await buildScenario());
});

const alertsAt = (now: string, rules?: WatchRule[]) => anchorsOnly(projections.alerts({ now, ...(rules ? { rules } : {}) }));
const keys = (alerts: Alert[]) => alerts.map((a) => `${a.rule} ${a.carrierId} ${a.severity}`);

describe('WATCH alerts against a clock passed in', () => {
  it('on Wednesday evening: the late transport, the broken seal, the open case and its relatives, inventory findings, the overdue reading, top-secret and cipher telegrams still out', () => {
    expect(keys(alertsAt(at('wed', '19:00')))).toEqual([
      'R-TRANSPORT-4 TS1 high',
      'R-TRANSPORT-5 LATE-1 high',
      'R-LOSS-2 D-ORIG medium',
      'R-LOSS-2 D-ORIG-c1 medium',
      'R-LOSS-2 D-ORIG-c2 critical',
      'R-INV-1 R2-ELSE medium',
      'R-INV-1 R2-GONE high',
      'R-CIRC-4 URG-1 high',
      'R-HOLD-5 CT-1 high',
      'R-HOLD-5 TS-READ high',
    ]);
  });

  it('each alert says since when and why', () => {
    const [seal] = alertsAt(at('wed', '19:00'), ['R-TRANSPORT-4']);
    expect(seal).toEqual({ rule: 'R-TRANSPORT-4', carrierId: 'TS1', since: at('tue', '14:00'), severity: 'high', detail: 'seal SEAL-77 of transport T-SEAL arrived broken; received by r2clerk1' });
    const [inventory] = alertsAt(at('wed', '19:00'), ['R-INV-1']);
    expect(inventory?.detail).toBe('inventory INV-3: sighted at R2/safe-1, but the ledger places it at R2/safe-2');
  });

  it('R-CIRC-4: a reading is overdue only after its deadline has passed', () => {
    const overdue = (now: string) => alertsAt(now, ['R-CIRC-4']).map((a) => a.carrierId);
    expect(overdue(at('wed', '14:00'))).toEqual([]);
    expect(overdue(at('wed', '14:00', ':00.001Z'))).toEqual(['URG-1']);
    expect(alertsAt(at('wed', '15:00'), ['R-CIRC-4'])[0]).toMatchObject({ since: at('wed', '14:00'), detail: expect.stringContaining('reader07') });
  });

  it('R-HOLD-5: top-secret and cipher telegrams are due back by the end of the working day (after hours: by midnight); another registry\'s clerk counts as a registry', () => {
    const out = (now: string) => alertsAt(now, ['R-HOLD-5']).map((a) => a.carrierId);
    expect(out(at('wed', '18:00'))).toEqual([]);
    expect(out(at('wed', '18:00', ':00.001Z'))).toEqual(['CT-1', 'TS-READ']);
    expect(out(at('wed', '23:59'))).not.toContain('TS-LATE-OUT');
    expect(out(at('thu', '00:00', ':00.001Z'))).toEqual(['CT-1', 'TS-READ', 'TS-LATE-OUT']);
    expect(out(at('thu', '10:00'))).not.toContain('TS1');
  });

  it('R-HOLD-6: carriers issued to a leader are announced from 1 December and overdue after the year end', () => {
    const leader = (now: string) => alertsAt(now, ['R-HOLD-6']).map((a) => `${a.carrierId} ${a.severity} ${a.since}`);
    expect(leader('2026-11-30T23:59:59.999Z')).toEqual([]);
    expect(leader('2026-12-01T00:00:00.000Z')).toEqual(['LEAD-1 low 2026-12-01T00:00:00.000Z']);
    expect(leader('2027-01-01T00:00:00.000Z')).toEqual(['LEAD-1 low 2026-12-01T00:00:00.000Z']);
    expect(leader('2027-01-01T00:00:00.001Z')).toEqual(['LEAD-1 medium 2027-01-01T00:00:00.000Z']);
  });

  it('R-LOSS-3: a report that has not reached the security office in 24 h, and a case open past 90 days', () => {
    const loss3 = (now: string) => keys(alertsAt(now, ['R-LOSS-3']));
    expect(loss3(at('thu', '09:30'))).toEqual([]);
    expect(loss3(at('thu', '09:30', ':00.001Z'))).toEqual(['R-LOSS-3 D-ORIG-c2 critical']);
    expect(loss3('2027-02-23T09:30:00.001Z')).toEqual(['R-LOSS-3 D-ORIG-c2 critical', 'R-LOSS-3 D-ORIG-c2 high']);
  });

  it('resolved causes raise nothing: concluded cases, a seal whose carrier was sighted where the ledger has it, an inventory finding overtaken by the report', () => {
    const now = alertsAt(at('wed', '19:00'));
    expect(now.filter((a) => ['MISS-2', 'MISS-3', 'TS2', 'DEST-1'].includes(a.carrierId))).toEqual([]);
    expect(now.filter((a) => a.rule === 'R-INV-1' && a.carrierId === 'D-ORIG-c2')).toEqual([]);
  });

  it('filters by rule and by carrier, and refuses a rule that is not a WATCH rule', () => {
    expect(projections.alerts({ now: at('wed', '19:00'), carrierId: 'D-ORIG-c2' }).map((a) => a.rule)).toEqual(['R-LOSS-2']);
    const refusal = caught(() => projections.alerts({ now: at('wed', '19:00'), rules: ['R-HOLD-1' as WatchRule] }));
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).issues[0]?.path).toEqual(['rules', 0]);
    const notAList = caught(() => projections.alerts({ rules: 'R-HOLD-5' as unknown as WatchRule[] }));
    expect((notAList as ValidationError).issues[0]?.path).toEqual(['rules']);
  });
});

describe('alerts disappear when their cause is resolved', () => {
  it('R-CIRC-4 and R-HOLD-5 go away when the carriers come back to the registry', async () => {
    const world = await createWorld({ start: '2026-06-01T08:00:00.000Z' });
    const live = await createProjections({ store: world.store });
    await world.enrolAll(officeCast(6));
    await world.register('TOP', 'r1clerk1', { classification: 'top-secret' });
    await world.register('READ', 'r1clerk1');
    world.advanceMinutes(5);
    await world.transfer('TOP', 'r1clerk1', 'reader05', 'Office 5');
    await world.perform('OpenCirculation', { carrierId: 'READ', circulationId: 'C', readers: ['reader01'], urgent: true, openedBy: 'r1clerk1' });
    const issued = await world.perform('IssueToReader', { carrierId: 'READ', circulationId: 'C', reader: 'reader01', issuedBy: 'r1clerk2' });
    await live.waitFor(issued.events.at(-1)!.position);
    const evening = '2026-06-01T19:00:00.000Z';
    expect(keys(live.alerts({ now: evening }))).toEqual(['R-CIRC-4 READ high', 'R-HOLD-5 TOP high']);

    world.at('2026-06-01T18:30:00.000Z');
    await world.transfer('TOP', 'reader05', 'r1clerk1', 'R1/safe-1');
    const back = await world.perform('ReturnFromReader', { carrierId: 'READ', circulationId: 'C', reader: 'reader01', readerName: world.nameOf('reader01'), receivedBy: 'r1clerk1' });
    await live.waitFor(back.events.at(-1)!.position);
    expect(live.alerts({ now: evening })).toEqual([]);
    live.close();
  });
});
