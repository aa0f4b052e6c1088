import { describe, expect, it } from 'vitest';
import { registered } from '../fixtures.js';
import { given, statesAfter } from './spec.js';

const inventory = (sighted: string[], notSighted: string[], takenBy = ['clerk1', 'clerk2'], location = 'R1/safe-1') => ({
  type: 'TakeInventory' as const,
  data: { inventoryId: 'INV-1', location, sighted, notSighted, takenBy },
});

const taken = (carrierId: string, sighted: boolean, takenBy = ['clerk1', 'clerk2'], location = 'R1/safe-1') => ({
  carrierId,
  event: { type: 'InventoryTaken' as const, data: { inventoryId: 'INV-1', location, sighted, takenBy } },
});

const destroyed = (carrierId: string) => ({
  carrierId,
  event: {
    type: 'CarrierDestroyed' as const,
    data: { requestId: 'D-1', method: 'shred', destroyedBy: 'clerk1', witness: 'officer', location: 'R1/shredder' },
  },
});

describe('inventory (R-INV-1 is WATCH: recorded, never refused)', () => {
  it('R-INV-1 records one event per carrier, sighted ones first, then the ones nobody sighted', () => {
    given([registered('C1'), registered('C2'), registered('C3')])
      .when(inventory(['C1', 'C3'], ['C2']))
      .then([taken('C1', true), taken('C3', true), taken('C2', false)]);
  });

  it('R-INV-1 records a sighting at another location than the ledger places the carrier, as is', () => {
    given([registered('C1')])
      .when(inventory(['C1'], [], ['clerk1'], 'R1/safe-9'))
      .then([taken('C1', true, ['clerk1'], 'R1/safe-9')]);
  });

  it('R-INV-1 records a sighting of a carrier the ledger holds as missing, without closing the case', () => {
    const history = [
      registered('C1'),
      { carrierId: 'C1', event: { type: 'CarrierReportedMissing' as const, data: { reportedBy: 'reader1', circumstances: 'not in the safe' } } },
    ];
    given(history).when(inventory(['C1'], [])).then([taken('C1', true)]);
    const after = statesAfter([...history, taken('C1', true)]).get('C1');
    expect(after).toMatchObject({ status: 'missing', holders: ['clerk1'] });
  });

  it('R-INV-1 lets anyone enrolled take an inventory, whatever their role', () => {
    given([registered('C1')]).when(inventory(['C1'], [], ['reader3'])).then([taken('C1', true, ['reader3'])]);
  });

  it('R-INV-1 changes nobody\'s custody: an inventory leaves holder and location as they were', () => {
    const before = statesAfter([registered('C1')]).get('C1');
    const after = statesAfter([registered('C1'), taken('C1', false, ['clerk2'], 'R1/safe-9')]).get('C1');
    expect(after).toMatchObject({ holders: ['clerk1'], location: 'R1/safe-1', since: (before as { since: string }).since });
  });

  it('R-BATCH-1 refuses a carrier listed both as sighted and as not sighted', () => {
    given([registered('C1'), registered('C2')])
      .when(inventory(['C1', 'C2'], ['C2']))
      .thenRefused('R-BATCH-1', /C2 is listed both as sighted and as not sighted/);
  });

  it('R-BATCH-1 refuses a carrier sighted twice in one act', () => {
    given([registered('C1')]).when(inventory(['C1', 'C1'], [])).thenRefused('R-BATCH-1', /C1 is listed twice/);
  });

  it('R-BATCH-1 refuses an empty inventory: there is no stream to append it to', () => {
    given([registered('C1')]).when(inventory([], [])).thenRefused('R-BATCH-1', /INV-1 names no carrier/);
  });

  it('R-BATCH-1 appends to all carriers or none: one unknown carrier refuses the whole act', () => {
    given([registered('C1')]).when(inventory(['C1'], ['C9'])).thenNotFound('C9');
  });

  it('L-2 refuses an inventory taken by someone who is not an active person', () => {
    given([registered('C1')])
      .when(inventory(['C1'], [], ['clerk1', 'retired']))
      .thenRefused('L-2', /retired is not an enrolled, active person/);
  });

  it('R-DESTROY-2 refuses an inventory finding on a destroyed carrier', () => {
    given([registered('C1'), registered('C2'), destroyed('C2')])
      .when(inventory(['C1'], ['C2']))
      .thenRefused('R-DESTROY-2', /C2 was destroyed/);
  });
});
