import { describe, expect, it } from 'vitest';
import { CarrierEvent } from '../../../src/domain/carrier/events.js';
import type { Carrier } from '../../../src/domain/carrier/state.js';
import { defaultPolicy } from '../../../src/domain/policy/policy.js';
import { description, registered } from '../fixtures.js';
import { given, statesAfter } from './spec.js';

//// Builders //////////////////////////////////////////////////////////////

const on = (event: CarrierEvent, carrierId = 'C1') => ({ carrierId, event });

const requested = (copies = 2, requestedBy = 'reader1') =>
  on({ type: 'CopyRequested', data: { requestId: 'CR-1', copies, reason: 'for the planning group', requestedBy } });
const approved = (copies = 2, approvedBy = 'unitHead') =>
  on({ type: 'CopyApproved', data: { requestId: 'CR-1', copies, approvedBy } });
const loaned = on({
  type: 'ArchiveLoanIssued',
  data: { loanId: 'L-1', borrower: 'reader2', issuedBy: 'clerk1', approvedBy: 'leader1', readingRoom: 'archive reading room' },
});

const request = (data: Record<string, unknown> = {}) => ({
  type: 'RequestCopies' as const,
  data: { carrierId: 'C1', requestId: 'CR-1', copies: 2, reason: 'for the planning group', requestedBy: 'reader1', ...data },
});
const approve = (approvedBy: string, data: Record<string, unknown> = {}) => ({
  type: 'ApproveCopies' as const,
  data: { carrierId: 'C1', requestId: 'CR-1', approvedBy, ...data },
});
const copyList = (...numbers: number[]) => numbers.map((n) => ({ carrierId: `C1-copy-${n}`, copyNumber: n }));
const make = (numbers: number[], data: Record<string, unknown> = {}) => ({
  type: 'MakeCopies' as const,
  data: { carrierId: 'C1', requestId: 'CR-1', copies: copyList(...numbers), holder: 'clerk2', location: 'R1/safe-2', madeBy: 'clerk1', ...data },
});

const topSecret = { classification: 'top-secret' as const };

//// Requesting ////////////////////////////////////////////////////////////

describe('requesting copies', () => {
  it('R-COPY-1 records a request by anyone cleared for the carrier', () => {
    given([registered('C1')]).when(request()).then([requested()]);
  });

  it('R-HOLD-2 refuses a request by someone not cleared for the classification', () => {
    given([registered('C1')]).when(request({ requestedBy: 'reader3' })).thenRefused('R-HOLD-2', /reader3/);
  });

  it('R-COPY-3 refuses a second request under the same id (it would reset the count made)', () => {
    given([registered('C1'), requested()]).when(request()).thenRefused('R-COPY-3', /already has a copy request CR-1/);
  });

  it('R-COPY-4 refuses a copy request for archive material on loan', () => {
    given([registered('C1', { archive: true }), loaned]).when(request()).thenRefused('R-COPY-4', /on loan \(L-1 to reader2\)/);
  });

  it('R-LOSS-2 refuses a copy request for a carrier reported missing', () => {
    const missing = on({ type: 'CarrierReportedMissing', data: { reportedBy: 'clerk1', circumstances: 'not in safe-1' } });
    given([registered('C1'), missing]).when(request()).thenRefused('R-LOSS-2', /C1 is missing/);
  });
});

//// Approving /////////////////////////////////////////////////////////////

describe('approving copies', () => {
  it('R-COPY-2 lets a unit head approve copies of a secret carrier, for the number requested by default', () => {
    const history = [registered('C1'), requested()];
    const decision = given(history).when(approve('unitHead')).then([approved()]);
    const carrier = statesAfter([...history, ...decision]).get('C1') as Carrier;
    expect(carrier.copyRequests['CR-1']).toEqual({ requestedBy: 'reader1', requested: 2, approvedBy: 'unitHead', approved: 2, made: 0 });
  });

  it('R-COPY-2 lets the originating authority approve copies of a secret carrier as well', () => {
    given([registered('C1'), requested()]).when(approve('originAuth')).then([approved(2, 'originAuth')]);
  });

  it('R-COPY-2 refuses an approval by someone who holds no approval authority', () => {
    given([registered('C1'), requested()])
      .when(approve('clerk1'))
      .thenRefused('R-COPY-2', /need a unit head \(or the originating authority of Central Office\); clerk1 is neither/);
  });

  it('R-COPY-2 refuses a unit head for a top-secret carrier: only its originating authority approves', () => {
    given([registered('C1', topSecret), requested(2, 'reader2')])
      .when(approve('unitHead'))
      .thenRefused('R-COPY-2', /need the originating authority of Central Office; unitHead is not/);
  });

  it('R-COPY-2 refuses the originating authority of another originator for a top-secret carrier', () => {
    given([registered('C1', { ...topSecret, originator: 'Other Ministry' }), requested(2, 'reader2')])
      .when(approve('originAuth'))
      .thenRefused('R-COPY-2', /originating authority of Other Ministry/);
  });

  it('R-COPY-2 follows the policy in force, not a constant', () => {
    const lenient = { ...defaultPolicy, copyApproval: { ...defaultPolicy.copyApproval, 'top-secret': 'unit-head' as const } };
    given([registered('C1', topSecret), requested(2, 'reader2')], { policy: lenient })
      .when(approve('unitHead'))
      .then([approved()]);
    const strict = { ...defaultPolicy, copyApproval: { ...defaultPolicy.copyApproval, secret: 'originating-authority' as const } };
    given([registered('C1'), requested()], { policy: strict }).when(approve('unitHead')).thenRefused('R-COPY-2');
  });

  it('R-COPY-3 lets the approver allow fewer copies than requested, never more', () => {
    given([registered('C1'), requested(3)]).when(approve('unitHead', { copies: 1 })).then([approved(1)]);
    given([registered('C1'), requested(3)])
      .when(approve('unitHead', { copies: 4 }))
      .thenRefused('R-COPY-3', /asked for 3 copies; 4 may not be approved/);
  });

  it('R-COPY-3 refuses a second approval of the same request', () => {
    given([registered('C1'), requested(), approved()])
      .when(approve('leader1', { copies: 2 }))
      .thenRefused('R-COPY-3', /already approved by unitHead for 2 copies/);
  });

  it('R-COPY-1 refuses to approve a request that was never made', () => {
    given([registered('C1')]).when(approve('unitHead')).thenRefused('R-COPY-1', /C1 has no copy request CR-1/);
  });
});

//// Making ////////////////////////////////////////////////////////////////

describe('making copies', () => {
  const ready = [registered('C1'), requested(), approved()];

  it('R-COPY-3 makes each copy a new carrier with the parent\'s classification, its own number and a link to the parent', () => {
    const decision = given(ready)
      .when(make([2, 3]))
      .then([
        on({ type: 'CopiesMade', data: { requestId: 'CR-1', copies: copyList(2, 3), madeBy: 'clerk1' } }),
        ...[2, 3].map((n) =>
          on(
            {
              type: 'CopyRegistered',
              data: {
                carrierId: `C1-copy-${n}`,
                parentId: 'C1',
                requestId: 'CR-1',
                description: description({ kind: 'copy', copyNumber: n }),
                holder: 'clerk2',
                location: 'R1/safe-2',
                atRegistry: true,
                madeBy: 'clerk1',
              },
            },
            `C1-copy-${n}`,
          ),
        ),
      ]);
    const states = statesAfter([...ready, ...decision]);
    const parent = states.get('C1') as Carrier;
    const copy = states.get('C1-copy-3') as Carrier;
    expect(parent.copies).toEqual(['C1-copy-2', 'C1-copy-3']);
    expect(parent.copyRequests['CR-1']?.made).toBe(2);
    expect(copy).toMatchObject({ status: 'held', parentId: 'C1', holders: ['clerk2'], atRegistry: true });
    expect(copy.description).toMatchObject({ kind: 'copy', classification: 'secret', copyNumber: 3, originator: 'Central Office' });
  });

  it('R-COPY-3 records a copy held outside the registry as not at the registry', () => {
    const [, second] = given(ready).when(make([2], { holder: 'reader1' })).events();
    expect(second?.event).toMatchObject({ type: 'CopyRegistered', data: { holder: 'reader1', atRegistry: false } });
  });

  it('R-COPY-1 refuses to make copies without a request', () => {
    given([registered('C1')]).when(make([2])).thenRefused('R-COPY-1', /no copy request CR-1/);
  });

  it('R-COPY-1 refuses to make copies before the approval is recorded', () => {
    given([registered('C1'), requested()]).when(make([2])).thenRefused('R-COPY-1', /has not been approved/);
  });

  it('R-COPY-3 refuses more copies than approved, counted across acts', () => {
    given(ready).when(make([2, 3, 4])).thenRefused('R-COPY-3', /allows 2 copies and 0 were made; 3 more/);
    const once = [...ready, ...given(ready).when(make([2])).events()];
    expect(given(once).when(make([3])).events().map((d) => d.carrierId)).toEqual(['C1', 'C1-copy-3']);
    given(once).when(make([3, 4])).thenRefused('R-COPY-3', /allows 2 copies and 1 were made; 2 more/);
  });

  it('R-COPY-3 refuses a copy id that is already registered, or ids and numbers repeated in one act', () => {
    given([...ready, registered('C1-copy-2')]).when(make([2])).thenRefused('R-COPY-3', /C1-copy-2 is already registered/);
    given(ready)
      .when(make([2], { copies: [{ carrierId: 'X', copyNumber: 2 }, { carrierId: 'X', copyNumber: 3 }] }))
      .thenRefused('R-COPY-3', /own carrier id/);
    given(ready)
      .when(make([2], { copies: [{ carrierId: 'X', copyNumber: 2 }, { carrierId: 'Y', copyNumber: 2 }] }))
      .thenRefused('R-COPY-3', /own copy number/);
  });

  it('R-HOLD-2 refuses a copy holder not cleared for the classification', () => {
    given(ready).when(make([2], { holder: 'reader3' })).thenRefused('R-HOLD-2', /reader3/);
  });

  it('R-HOLD-1 refuses copies made by someone who does not hold the parent', () => {
    given(ready).when(make([2], { madeBy: 'reader2' })).thenRefused('R-HOLD-1', /reader2 does not hold C1/);
  });

  it('R-COPY-4 refuses to copy archive material on loan', () => {
    given([registered('C1', { archive: true }), requested(), approved(), loaned])
      .when(make([2], { madeBy: 'reader2' }))
      .thenRefused('R-COPY-4', /archive material on loan/);
  });

  it('R-COPY-4 allows approved copies of archive material that is not on loan', () => {
    const decision = given([registered('C1', { archive: true }), requested(), approved()]).when(make([2])).events();
    expect(decision.map((d) => d.event.type)).toEqual(['CopiesMade', 'CopyRegistered']);
  });

  it('R-DESTROY-2 refuses to copy a destroyed carrier', () => {
    const destroyed = on({
      type: 'CarrierDestroyed',
      data: { requestId: 'D-1', method: 'shred', destroyedBy: 'clerk1', witness: 'officer', location: 'R1/shredder' },
    });
    given([...ready, destroyed]).when(make([2])).thenRefused('R-DESTROY-2', /C1 was destroyed/);
  });
});

//// The whole story ///////////////////////////////////////////////////////

describe('copying a top-secret carrier', () => {
  it('R-COPY-1 R-COPY-2 R-COPY-3 request → no copy before approval → wrong authority → right authority → 2 of 2 → no third', () => {
    const history: Parameters<typeof given>[0] = [registered('C1', topSecret)];
    const step = (command: Parameters<ReturnType<typeof given>['when']>[0]) => {
      history.push(...given(history).when(command).events());
    };

    step(request({ requestedBy: 'reader2' }));
    given(history).when(make([2, 3])).thenRefused('R-COPY-1', /has not been approved/);
    given(history).when(approve('unitHead')).thenRefused('R-COPY-2', /originating authority of Central Office/);
    step(approve('originAuth'));
    step(make([2, 3]));
    given(history).when(make([4])).thenRefused('R-COPY-3', /allows 2 copies and 2 were made/);

    // Every event decided along the way is exactly what the schema accepts (strict objects).
    for (const { event } of history) expect(CarrierEvent.parse(event)).toEqual(event);
    const states = statesAfter(history);
    expect((states.get('C1') as Carrier).copyRequests['CR-1']).toEqual({
      requestedBy: 'reader2',
      requested: 2,
      approvedBy: 'originAuth',
      approved: 2,
      made: 2,
    });
    for (const n of [2, 3]) {
      expect((states.get(`C1-copy-${n}`) as Carrier).description).toEqual(
        description({ ...topSecret, kind: 'copy', copyNumber: n }),
      );
    }
  });
});
