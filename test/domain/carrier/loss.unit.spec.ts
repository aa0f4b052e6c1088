import { describe, expect, it } from 'vitest';
import { registered } from '../fixtures.js';
import { given, statesAfter } from './spec.js';

const report = (reportedBy: string, carrierId = 'C1') => ({
  type: 'ReportMissing' as const,
  data: { carrierId, reportedBy, circumstances: 'not in safe-1 at the morning check' },
});
const reported = (reportedBy: string, carrierId = 'C1') => ({
  carrierId,
  event: {
    type: 'CarrierReportedMissing' as const,
    data: { reportedBy, circumstances: 'not in safe-1 at the morning check' },
  },
});

const recover = (recoveredBy: string, holder: string) => ({
  type: 'RecoverCarrier' as const,
  data: { carrierId: 'C1', recoveredBy, holder, location: 'R1/safe-1', circumstances: 'found behind the safe' },
});
const recovered = (recoveredBy: string, holder: string, atRegistry: boolean) => ({
  carrierId: 'C1',
  event: {
    type: 'CarrierRecovered' as const,
    data: { recoveredBy, holder, location: 'R1/safe-1', atRegistry, circumstances: 'found behind the safe' },
  },
});

const declare = (declaredBy: string) => ({
  type: 'DeclareLost' as const,
  data: { carrierId: 'C1', declaredBy, reason: 'search concluded without result' },
});
const declared = (declaredBy: string) => ({
  carrierId: 'C1',
  event: { type: 'CarrierDeclaredLost' as const, data: { declaredBy, reason: 'search concluded without result' } },
});

const topSecret = registered('C1', { classification: 'top-secret' });
const missing = [topSecret, reported('reader1')];
const lost = [...missing, declared('officer')];

describe('reporting a carrier missing (R-LOSS-1)', () => {
  it('R-LOSS-1 lets reader3 (confidential, no role) report a top-secret carrier missing, with no approval', () => {
    given([topSecret]).when(report('reader3')).then([reported('reader3')]);
  });

  it('R-LOSS-1 opens a case: the carrier becomes missing and remembers who reported it when', () => {
    const state = statesAfter([topSecret, { ...reported('reader3'), time: '2026-11-23T10:00:00.000Z' }]).get('C1');
    expect(state).toMatchObject({
      status: 'missing',
      missing: { reportedBy: 'reader3', reportedAt: '2026-11-23T10:00:00.000Z', statusBefore: 'held' },
    });
  });

  it('R-LOSS-1 accepts a report on a carrier that is in transit: a report may come from any status', () => {
    const dispatched = {
      carrierId: 'C1',
      event: {
        type: 'TransportDispatched' as const,
        data: {
          transportId: 'T-1',
          from: 'clerk1',
          couriers: ['courier1', 'courier2'],
          destination: { registry: 'R2', person: null },
          leavesPremises: true,
          seal: null,
          expectedBy: '2026-11-24T09:00:00.000Z',
          purpose: 'delivery' as const,
        },
      },
    };
    given([topSecret, dispatched]).when(report('clerkB')).then([reported('clerkB')]);
  });

  it('R-LOSS-1 refuses a report by someone who is not an active person', () => {
    given([topSecret]).when(report('retired')).thenRefused('R-LOSS-1', /retired is not an enrolled, active person/);
  });

  it('R-LOSS-2 refuses a second report while the case is open', () => {
    given(missing).when(report('reader2')).thenRefused('R-LOSS-2', /already missing .*reported by reader1.*open case/);
  });

  it('R-LOSS-2 refuses a report on a carrier already declared lost', () => {
    given(lost).when(report('reader2')).thenRefused('R-LOSS-2', /already lost/);
  });
});

describe('recovery (R-LOSS-2)', () => {
  it('R-LOSS-2 closes a missing case with where, by whom and the new holder; a clerk of the registry takes it in', () => {
    given(missing).when(recover('reader3', 'clerk2')).then([recovered('reader3', 'clerk2', true)]);
  });

  it('R-LOSS-2 recovers a carrier declared lost, to a holder outside the registry', () => {
    given(lost).when(recover('officer', 'reader2')).then([recovered('officer', 'reader2', false)]);
  });

  it('R-LOSS-2 after recovery the carrier is held again by the new holder, the case closed', () => {
    const state = statesAfter([...missing, recovered('reader3', 'clerk2', true)]).get('C1');
    expect(state).toMatchObject({ status: 'held', holders: ['clerk2'], atRegistry: true, missing: null, location: 'R1/safe-1' });
  });

  it('R-LOSS-2 refuses to recover a carrier that is not missing', () => {
    given([topSecret]).when(recover('clerk1', 'clerk2')).thenRefused('R-LOSS-2', /C1 is held, not missing or lost/);
  });

  it('R-LOSS-2 refuses a recovery by someone who is not an active person', () => {
    given(missing).when(recover('retired', 'clerk2')).thenRefused('R-LOSS-2', /retired is not an enrolled/);
  });

  it('R-HOLD-2 refuses a recovered top-secret carrier to a holder cleared only to confidential', () => {
    given(missing).when(recover('reader3', 'reader3')).thenRefused('R-HOLD-2', /reader3 is cleared to confidential/);
  });

  it('R-HOLD-2 allows the finder to keep it when cleared', () => {
    given(missing).when(recover('reader2', 'reader2')).then([recovered('reader2', 'reader2', false)]);
  });
});

describe('declaring a carrier lost (R-LOSS-2)', () => {
  it('R-LOSS-2 lets a security officer conclude a missing case as lost', () => {
    given(missing).when(declare('officer')).then([declared('officer')]);
    expect(statesAfter([...missing, declared('officer')]).get('C1')).toMatchObject({ status: 'lost' });
  });

  it('R-LOSS-2 refuses a declaration of loss by someone who is not a security officer', () => {
    given(missing).when(declare('investigator')).thenRefused('R-LOSS-2', /investigator does not have the role security-officer/);
  });

  it('R-LOSS-2 refuses to declare lost a carrier that was never reported missing', () => {
    given([topSecret]).when(declare('officer')).thenRefused('R-LOSS-2', /C1 is held, not missing/);
  });

  it('R-LOSS-2 refuses to declare lost a carrier already declared lost', () => {
    given(lost).when(declare('officer')).thenRefused('R-LOSS-2', /C1 is lost, not missing/);
  });

  it('refuses a report on an unknown carrier as not found', () => {
    given().when(report('reader1', 'C404')).thenNotFound('C404');
  });
});
