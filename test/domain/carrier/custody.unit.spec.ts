import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../src/domain/policy/policy.js';
import { registered } from '../fixtures.js';
import { given, statesAfter } from './spec.js';

const transfer = (giver: string, receiver: string, location = 'Office 12') => ({
  type: 'TransferCustody' as const,
  data: { carrierId: 'C1', giver, receiver, location },
});

const transferred = (from: string, to: string, atRegistry: boolean, location = 'Office 12') => ({
  carrierId: 'C1',
  event: { type: 'CustodyTransferred' as const, data: { from, to, location, atRegistry } },
});

describe('custody transfer', () => {
  it('R-HOLD-3 records a hand-over from the holder to a cleared receiver', () => {
    given([registered('C1')]).when(transfer('clerk1', 'reader1')).then([transferred('clerk1', 'reader1', false)]);
  });

  it('R-HOLD-1 lets any clerk of the registry hand on a carrier the registry took in', () => {
    given([registered('C1')]).when(transfer('clerk2', 'reader1')).then([transferred('clerk2', 'reader1', false)]);
  });

  it('R-HOLD-1 refuses a hand-over by someone who does not hold the carrier', () => {
    given([registered('C1'), transferred('clerk1', 'reader2', false)])
      .when(transfer('reader1', 'reader3'))
      .thenRefused('R-HOLD-1', /reader1 does not hold C1/);
  });

  it('R-HOLD-1 refuses a hand-over by a clerk once the carrier left the registry', () => {
    given([registered('C1'), transferred('clerk1', 'reader2', false)])
      .when(transfer('clerk2', 'reader1'))
      .thenRefused('R-HOLD-1');
  });

  it('R-HOLD-1 refuses a clerk of another registry', () => {
    given([registered('C1')]).when(transfer('clerkB', 'reader1')).thenRefused('R-HOLD-1');
  });

  it('R-HOLD-2 refuses a receiver cleared below the classification', () => {
    given([registered('C1', { classification: 'top-secret' })])
      .when(transfer('clerk1', 'reader1'))
      .thenRefused('R-HOLD-2', /reader1 is cleared to secret and may not hold a top-secret carrier/);
  });

  it('R-HOLD-2 refuses a receiver who is not enrolled', () => {
    given([registered('C1')]).when(transfer('clerk1', 'stranger')).thenRefused('R-HOLD-2', /stranger is not an enrolled/);
  });

  it('R-HOLD-3 refuses a hand-over to oneself: giver and receiver are two people', () => {
    given([registered('C1', {}, 'reader2')]).when(transfer('reader2', 'reader2')).thenRefused('R-HOLD-3');
  });

  it('R-HOLD-1 moves custody: the receiver is the one holder from the act on, and joins the custody chain', () => {
    const states = statesAfter([registered('C1'), transferred('clerk1', 'reader1', false), transferred('reader1', 'reader2', false)]);
    const c1 = states.get('C1');
    expect(c1).toMatchObject({ status: 'held', holders: ['reader2'], atRegistry: false, location: 'Office 12' });
    expect(c1 && 'custodyChain' in c1 ? c1.custodyChain : []).toEqual(['clerk1', 'reader1', 'reader2']);
  });

  it('R-REG-4 delivers a personal item only to its addressee or a designated proxy', () => {
    const personal = { personal: { addressee: 'reader2', proxies: ['leader1'] } };
    given([registered('C1', personal)]).when(transfer('clerk1', 'reader2')).then([transferred('clerk1', 'reader2', false)]);
    given([registered('C1', personal)]).when(transfer('clerk1', 'leader1')).then([transferred('clerk1', 'leader1', false)]);
    given([registered('C1', personal)])
      .when(transfer('clerk1', 'reader1'))
      .thenRefused('R-REG-4', /marked personal for reader2/);
  });

  it('R-REG-4 lets the registry pass a personal item between its own clerks', () => {
    given([registered('C1', { personal: { addressee: 'reader2', proxies: [] } })])
      .when(transfer('clerk1', 'clerk2', 'R1/safe-2'))
      .then([transferred('clerk1', 'clerk2', true, 'R1/safe-2')]);
  });
});

describe('duty handover at a key location', () => {
  const handover = (carrierIds: string[], outgoing = 'clerk1', incoming = 'clerk2', location = 'R1/safe-1') => ({
    type: 'HandOverDuty' as const,
    data: { carrierIds, location, outgoing, incoming },
  });

  it('R-INV-2 records one signed act over every carrier held at the location, one event per carrier', () => {
    const event = { type: 'DutyHandedOver' as const, data: { location: 'R1/safe-1', outgoing: 'clerk1', incoming: 'clerk2' } };
    given([registered('C1'), registered('C2')])
      .when(handover(['C1', 'C2']))
      .then([
        { carrierId: 'C1', event },
        { carrierId: 'C2', event },
      ]);
  });

  it('R-INV-2 refuses a handover of a carrier recorded at another location', () => {
    given([registered('C1')]).when(handover(['C1'], 'clerk1', 'clerk2', 'R1/safe-9')).thenRefused('R-INV-2');
  });

  it('R-INV-2 refuses a handover to oneself', () => {
    given([registered('C1')]).when(handover(['C1'], 'clerk1', 'clerk1')).thenRefused('R-INV-2');
  });

  it('R-BATCH-1 refuses the whole handover when one carrier is not held by the outgoing officer', () => {
    given([registered('C1'), registered('C2', {}, 'reader2')])
      .when(handover(['C1', 'C2']))
      .thenRefused('R-HOLD-1', /C2 is held by reader2/);
  });

  it('R-BATCH-1 refuses an act over more carriers than the policy allows', () => {
    const history = [registered('C1'), registered('C2'), registered('C3')];
    given(history, { policy: { ...defaultPolicy, maxCarriersPerAct: 2 } })
      .when(handover(['C1', 'C2', 'C3']))
      .thenRefused('R-BATCH-1', /at most 2 carriers/);
  });
});
