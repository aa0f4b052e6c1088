import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../src/domain/policy/policy.js';
import { registered } from '../fixtures.js';
import { given, statesAfter } from './spec.js';

//// Commands and events ///////////////////////////////////////////////////////

const request = (requestedBy: string, carrierIds = ['C1'], method = 'shred', requestId = 'D-1') => ({
  type: 'RequestDestruction' as const,
  data: { carrierIds, requestId, method, reason: 'superseded by the 2027 plan', requestedBy },
});
const requested = (carrierId: string, requestedBy: string, method = 'shred', requestId = 'D-1') => ({
  carrierId,
  event: {
    type: 'DestructionRequested' as const,
    data: { requestId, method, reason: 'superseded by the 2027 plan', requestedBy },
  },
});

const approve = (approvedBy: string, carrierIds = ['C1'], requestId = 'D-1') => ({
  type: 'ApproveDestruction' as const,
  data: { carrierIds, requestId, approvedBy },
});
const approved = (carrierId: string, approvedBy: string, requestId = 'D-1') => ({
  carrierId,
  event: { type: 'DestructionApproved' as const, data: { requestId, approvedBy } },
});

const destroy = (destroyedBy: string, witness: string, carrierIds = ['C1']) => ({
  type: 'DestroyCarriers' as const,
  data: { carrierIds, requestId: 'D-1', destroyedBy, witness, location: 'R1/shredder' },
});
const destroyed = (carrierId: string, destroyedBy: string, witness: string, method = 'shred') => ({
  carrierId,
  event: {
    type: 'CarrierDestroyed' as const,
    data: { requestId: 'D-1', method, destroyedBy, witness, location: 'R1/shredder' },
  },
});

const transfer = (carrierId: string, from: string, to: string) => ({
  carrierId,
  event: {
    type: 'CustodyTransferred' as const,
    data: { from, to, location: 'R1/safe-1', atRegistry: to.startsWith('clerk') },
  },
});

//// Stories ///////////////////////////////////////////////////////////////////

/** A secret carrier held by clerk1, requested by clerk2, approved by unitHead. */
const approvedStory = [registered('C1'), requested('C1', 'clerk2'), approved('C1', 'unitHead')];
/** The same, but reader2 once held it: reader2 is in the custody chain. */
const onceHeldByReader2 = [
  registered('C1'),
  transfer('C1', 'clerk1', 'reader2'),
  transfer('C1', 'reader2', 'clerk1'),
  requested('C1', 'clerk2'),
  approved('C1', 'unitHead'),
];
const destroyedStory = [...approvedStory, destroyed('C1', 'clerk1', 'officer')];
const chainExcluded = { policy: { ...defaultPolicy, witnessMayBeInCustodyChain: false } };

describe('requesting destruction (登记)', () => {
  it('R-DESTROY-1 lets a clerk of the registry register a destruction request for a batch', () => {
    given([registered('C1'), registered('C2')])
      .when(request('clerk2', ['C1', 'C2']))
      .then([requested('C1', 'clerk2'), requested('C2', 'clerk2')]);
  });

  it('R-DESTROY-1 lets the holder request the destruction of what they hold', () => {
    given([registered('C1', {}, 'reader1')]).when(request('reader1')).then([requested('C1', 'reader1')]);
  });

  it('R-DESTROY-1 lets a security officer request destruction', () => {
    given([registered('C1')]).when(request('officer')).then([requested('C1', 'officer')]);
  });

  it('R-DESTROY-1 refuses a request by someone who neither holds it, clerks its registry, nor is a security officer', () => {
    given([registered('C1')])
      .when(request('clerkB'))
      .thenRefused('R-DESTROY-1', /clerkB is neither the holder of C1, a clerk of R1, nor a security officer/);
  });

  it('R-DESTROY-1 refuses a second request while one is pending', () => {
    given([registered('C1'), requested('C1', 'clerk2')])
      .when(request('clerk1', ['C1'], 'burn', 'D-2'))
      .thenRefused('R-DESTROY-1', /C1 already has destruction request D-1 pending/);
  });

  it('R-DESTROY-1 records the pending request on the carrier', () => {
    expect(statesAfter([registered('C1'), requested('C1', 'clerk2', 'pulp')]).get('C1')).toMatchObject({
      destruction: { requestId: 'D-1', requestedBy: 'clerk2', method: 'pulp', approvedBy: null },
    });
  });

  it('R-DESTROY-3 refuses selling as waste paper as a method', () => {
    given([registered('C1')])
      .when(request('clerk1', ['C1'], 'sell-as-waste-paper'))
      .thenRefused('R-DESTROY-3', /'sell-as-waste-paper' is not a destruction method/);
  });

  it('R-DESTROY-3 accepts each recorded method, e.g. degaussing a disk', () => {
    given([registered('C1', { kind: 'disk' })])
      .when(request('clerk1', ['C1'], 'degauss'))
      .then([requested('C1', 'clerk1', 'degauss')]);
  });

  it('R-LOSS-2 refuses to request destruction of a carrier that is missing', () => {
    const missing = { carrierId: 'C1', event: { type: 'CarrierReportedMissing' as const, data: { reportedBy: 'reader1', circumstances: 'gone' } } };
    given([registered('C1'), missing]).when(request('clerk1')).thenRefused('R-LOSS-2');
  });

  it('R-BATCH-1 refuses the whole batch when one carrier fails (here under R-DESTROY-1)', () => {
    given([registered('C1'), registered('C2', {}, 'reader1')])
      .when(request('reader1', ['C2', 'C1']))
      .thenRefused('R-DESTROY-1', /reader1 is neither the holder of C1/);
  });
});

describe('approving destruction (审批)', () => {
  const pending = [registered('C1'), registered('C2'), requested('C1', 'clerk2'), requested('C2', 'clerk2')];

  it('R-DESTROY-1 lets an approver approve a pending request for the whole batch', () => {
    given(pending).when(approve('unitHead', ['C1', 'C2'])).then([approved('C1', 'unitHead'), approved('C2', 'unitHead')]);
  });

  it('R-DESTROY-1 lets a security officer approve', () => {
    given(pending).when(approve('officer')).then([approved('C1', 'officer')]);
  });

  it('R-DESTROY-1 refuses an approval by someone with neither an approver nor a security-officer role', () => {
    given(pending).when(approve('reader2')).thenRefused('R-DESTROY-1', /reader2 is neither an approver nor a security officer/);
  });

  it('R-DESTROY-1 refuses an approval by the requester', () => {
    given([registered('C1'), requested('C1', 'officer')])
      .when(approve('officer'))
      .thenRefused('R-DESTROY-1', /officer requested the destruction of C1 and cannot also approve it/);
  });

  it('R-DESTROY-1 refuses an approval of a request that does not exist', () => {
    given(pending).when(approve('unitHead', ['C1'], 'D-9')).thenRefused('R-DESTROY-1', /C1 has no destruction request D-9 \(its pending request is D-1\)/);
  });

  it('R-DESTROY-1 refuses an approval when nothing was requested', () => {
    given([registered('C1')]).when(approve('unitHead')).thenRefused('R-DESTROY-1', /C1 has no destruction request D-1/);
  });

  it('R-DESTROY-1 refuses approving the same request twice', () => {
    given(approvedStory).when(approve('leader1')).thenRefused('R-DESTROY-1', /already approved by unitHead/);
  });
});

describe('destroying (监毁)', () => {
  it('R-DESTROY-1 records the destruction signed by the destroyer and a witness, with the method of the request', () => {
    const story = [registered('C1'), requested('C1', 'clerk2', 'burn'), approved('C1', 'unitHead')];
    given(story).when(destroy('clerk1', 'officer')).then([destroyed('C1', 'clerk1', 'officer', 'burn')]);
  });

  it('R-DESTROY-1 the carrier is destroyed afterwards: no holder, at the place of destruction', () => {
    expect(statesAfter(destroyedStory).get('C1')).toMatchObject({ status: 'destroyed', holders: [], location: 'R1/shredder' });
  });

  it('R-DESTROY-1 lets another clerk of the registry destroy it', () => {
    given(approvedStory).when(destroy('clerk2', 'officer')).then([destroyed('C1', 'clerk2', 'officer')]);
  });

  it('R-DESTROY-1 refuses to destroy before approval', () => {
    given([registered('C1'), requested('C1', 'clerk2')])
      .when(destroy('clerk1', 'officer'))
      .thenRefused('R-DESTROY-1', /D-1 for C1 has not been approved/);
  });

  it('R-DESTROY-1 refuses to destroy without any request', () => {
    given([registered('C1')]).when(destroy('clerk1', 'officer')).thenRefused('R-DESTROY-1', /C1 has no destruction request D-1/);
  });

  it('R-DESTROY-1 refuses a destroyer who neither holds it nor clerks its registry', () => {
    given(approvedStory)
      .when(destroy('reader2', 'officer'))
      .thenRefused('R-DESTROY-1', /reader2 is neither the holder of C1 nor a clerk of R1/);
  });

  it('R-DESTROY-1 refuses a witness who is not an active person', () => {
    given(approvedStory).when(destroy('clerk1', 'retired')).thenRefused('R-DESTROY-1', /retired is not an enrolled, active person/);
  });

  it('R-DESTROY-1 refuses the whole batch if one carrier is not approved', () => {
    const story = [...approvedStory, registered('C2'), requested('C2', 'clerk2')];
    given(story).when(destroy('clerk1', 'officer', ['C1', 'C2'])).thenRefused('R-DESTROY-1', /D-1 for C2 has not been approved/);
  });

  it('R-DESTROY-4 refuses the destroyer as their own witness', () => {
    given(approvedStory).when(destroy('clerk1', 'clerk1')).thenRefused('R-DESTROY-4', /clerk1 cannot witness their own destruction/);
  });

  it('R-DESTROY-4 refuses the requester as witness', () => {
    given(approvedStory).when(destroy('clerk1', 'clerk2')).thenRefused('R-DESTROY-4', /clerk2 requested the destruction of C1 and cannot witness it/);
  });

  it('R-DESTROY-4 allows a former holder as witness under the default policy', () => {
    given(onceHeldByReader2).when(destroy('clerk1', 'reader2')).then([destroyed('C1', 'clerk1', 'reader2')]);
  });

  it('R-DESTROY-4 refuses a former holder as witness when the policy excludes the custody chain', () => {
    given(onceHeldByReader2, chainExcluded)
      .when(destroy('clerk1', 'reader2'))
      .thenRefused('R-DESTROY-4', /reader2 once held C1 and policy seed-default excludes the custody chain/);
  });

  it('R-DESTROY-4 allows a witness outside the custody chain when the policy excludes it', () => {
    given(onceHeldByReader2, chainExcluded).when(destroy('clerk1', 'officer')).then([destroyed('C1', 'clerk1', 'officer')]);
  });

  it('R-HOLD-2 refuses a witness not cleared for the classification: a witness sees the carrier', () => {
    given(approvedStory).when(destroy('clerk1', 'reader3')).thenRefused('R-HOLD-2', /reader3 is cleared to confidential and may not hold a secret/);
  });

  it('R-HOLD-2 allows a witness cleared exactly to the classification', () => {
    given(approvedStory).when(destroy('clerk1', 'reader1')).then([destroyed('C1', 'clerk1', 'reader1')]);
  });
});

describe('after destruction (R-DESTROY-2)', () => {
  it('R-DESTROY-2 refuses a custody transfer of a destroyed carrier', () => {
    given(destroyedStory)
      .when({ type: 'TransferCustody', data: { carrierId: 'C1', giver: 'clerk1', receiver: 'clerk2', location: 'R1/safe-1' } })
      .thenRefused('R-DESTROY-2', /C1 was destroyed; its stream is closed/);
  });

  it('R-DESTROY-2 refuses a missing report on a destroyed carrier', () => {
    given(destroyedStory)
      .when({ type: 'ReportMissing', data: { carrierId: 'C1', reportedBy: 'reader1', circumstances: 'not in the safe' } })
      .thenRefused('R-DESTROY-2');
  });

  it('R-DESTROY-2 refuses destroying it a second time', () => {
    given(destroyedStory).when(destroy('clerk1', 'officer')).thenRefused('R-DESTROY-2');
  });

  it('R-DESTROY-2 refuses a new destruction request on a destroyed carrier', () => {
    given(destroyedStory).when(request('officer', ['C1'], 'burn', 'D-2')).thenRefused('R-DESTROY-2');
  });
});
