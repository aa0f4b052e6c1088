import { describe, expect, it } from 'vitest';
import { CarrierEvent } from '../../../src/domain/carrier/events.js';
import type { Carrier } from '../../../src/domain/carrier/state.js';
import { registered } from '../fixtures.js';
import { given, statesAfter } from './spec.js';

//// Builders //////////////////////////////////////////////////////////////

const on = (event: CarrierEvent, carrierId = 'A1') => ({ carrierId, event });
const archived = (holder = 'clerk1') => registered('A1', { archive: true }, holder);

const loaned = (borrower = 'reader1', approvedBy = 'leader1', issuedBy = 'clerk1') =>
  on({
    type: 'ArchiveLoanIssued',
    data: { loanId: 'L-1', borrower, issuedBy, approvedBy, readingRoom: 'archive reading room' },
  });

const lend = (data: Record<string, unknown> = {}) => ({
  type: 'IssueArchiveLoan' as const,
  data: {
    carrierId: 'A1',
    loanId: 'L-1',
    borrower: 'reader1',
    issuedBy: 'clerk1',
    approvedBy: 'leader1',
    readingRoom: 'archive reading room',
    ...data,
  },
});
const giveBack = (data: Record<string, unknown> = {}) => ({
  type: 'ReturnArchiveLoan' as const,
  data: { carrierId: 'A1', loanId: 'L-1', borrower: 'reader1', receivedBy: 'clerk2', location: 'R1/archive', ...data },
});
const transfer = (giver: string, receiver: string) => ({
  type: 'TransferCustody' as const,
  data: { carrierId: 'A1', giver, receiver, location: 'office 12' },
});

//// Issuing a loan ////////////////////////////////////////////////////////

describe('lending archive material', () => {
  it('R-LOAN-1 lends archived material into the reading room with a responsible leader\'s approval', () => {
    const history = [archived()];
    const decision = given(history).when(lend()).then([loaned()]);
    expect(() => decision.forEach((d) => CarrierEvent.parse(d.event))).not.toThrow();
    const carrier = statesAfter([...history, ...decision]).get('A1') as Carrier;
    expect(carrier).toMatchObject({
      status: 'on-loan',
      holders: ['reader1'],
      location: 'archive reading room',
      atRegistry: false,
      loan: { id: 'L-1', borrower: 'reader1', approvedBy: 'leader1', readingRoom: 'archive reading room' },
    });
  });

  it('R-LOAN-1 accepts the approval of an approver as the responsible leader', () => {
    given([archived()]).when(lend({ approvedBy: 'unitHead' })).then([loaned('reader1', 'unitHead')]);
  });

  it('R-LOAN-1 refuses to lend material that is not archived', () => {
    given([registered('A1')]).when(lend()).thenRefused('R-LOAN-1', /A1 is not archive material/);
  });

  it('R-LOAN-1 refuses an approval by someone who is neither leader nor approver', () => {
    given([archived()]).when(lend({ approvedBy: 'officer' })).thenRefused('R-LOAN-1', /officer is neither leader nor approver/);
  });

  it('R-LOAN-1 refuses a leader approving their own loan', () => {
    given([archived()])
      .when(lend({ borrower: 'leader1', approvedBy: 'leader1' }))
      .thenRefused('R-LOAN-1', /leader1 may not approve their own loan/);
  });

  it('R-HOLD-2 refuses a borrower not cleared for the classification', () => {
    given([archived()]).when(lend({ borrower: 'reader3' })).thenRefused('R-HOLD-2', /reader3 is cleared to confidential/);
  });

  it('R-HOLD-1 refuses a loan issued by someone who neither holds it nor is its registry', () => {
    given([archived()]).when(lend({ issuedBy: 'clerkB' })).thenRefused('R-HOLD-1', /clerkB does not hold A1/);
  });

  it('R-HOLD-1 lets the holder outside the registry issue the loan', () => {
    given([archived('reader2')]).when(lend({ issuedBy: 'reader2' })).then([loaned('reader1', 'leader1', 'reader2')]);
  });

  it('R-CIRC-1 refuses to lend a carrier while it is in circulation', () => {
    const opened = on({
      type: 'CirculationOpened',
      data: { circulationId: 'CIRC-1', readers: ['reader2'], purpose: 'reading', urgent: false, readingHours: 48, openedBy: 'clerk1' },
    });
    given([archived(), opened]).when(lend()).thenRefused('R-CIRC-1', /in circulation CIRC-1/);
  });
});

//// Staying in the reading room ///////////////////////////////////////////

describe('borrowed material stays in the reading room', () => {
  it('R-LOAN-2 refuses the borrower handing it to anyone else', () => {
    given([archived(), loaned()]).when(transfer('reader1', 'reader2')).thenRefused('R-LOAN-2', /stays in the reading room/);
  });

  it('R-LOAN-2 refuses the registry moving it while it is on loan, or lending it again', () => {
    given([archived(), loaned()]).when(transfer('clerk1', 'clerk2')).thenRefused('R-LOAN-2');
    given([archived(), loaned()]).when(lend({ loanId: 'L-2', borrower: 'reader2' })).thenRefused('R-LOAN-2');
  });

  it('R-LOAN-2 lets it move again once it is returned', () => {
    const back = on({
      type: 'ArchiveLoanReturned',
      data: { loanId: 'L-1', borrower: 'reader1', receivedBy: 'clerk2', location: 'R1/archive' },
    });
    given([archived(), loaned(), back])
      .when(transfer('clerk2', 'reader2'))
      .then([on({ type: 'CustodyTransferred', data: { from: 'clerk2', to: 'reader2', location: 'office 12', atRegistry: false } })]);
  });
});

//// Returning a loan //////////////////////////////////////////////////////

describe('returning a loan', () => {
  it('R-LOAN-2 records the borrower giving it back to a clerk of the registry', () => {
    const history = [archived(), loaned()];
    const decision = given(history)
      .when(giveBack())
      .then([
        on({ type: 'ArchiveLoanReturned', data: { loanId: 'L-1', borrower: 'reader1', receivedBy: 'clerk2', location: 'R1/archive' } }),
      ]);
    const carrier = statesAfter([...history, ...decision]).get('A1') as Carrier;
    expect(carrier).toMatchObject({ status: 'held', holders: ['clerk2'], atRegistry: true, location: 'R1/archive', loan: null });
  });

  it('R-LOAN-2 refuses a return under another loan id, or of a carrier not on loan', () => {
    given([archived(), loaned()]).when(giveBack({ loanId: 'L-9' })).thenRefused('R-LOAN-2', /on loan L-1, not L-9/);
    given([archived()]).when(giveBack()).thenRefused('R-LOAN-2', /A1 is not on archive loan/);
  });

  it('R-LOAN-2 refuses a return received by someone who is not a clerk of the registry', () => {
    given([archived(), loaned()]).when(giveBack({ receivedBy: 'clerkB' })).thenRefused('R-LOAN-2', /clerkB is not a registry clerk of R1/);
  });

  it('R-HOLD-1 refuses a return by anyone but the borrower', () => {
    given([archived(), loaned()]).when(giveBack({ borrower: 'reader2' })).thenRefused('R-HOLD-1', /lent to reader1, not to reader2/);
  });

  it('R-LOSS-2 refuses a return of borrowed material reported missing: only recovery follows', () => {
    const missing = on({ type: 'CarrierReportedMissing', data: { reportedBy: 'reader1', circumstances: 'left the reading room' } });
    given([archived(), loaned(), missing]).when(giveBack()).thenRefused('R-LOSS-2', /A1 is missing/);
  });
});
