import { describe, expect, it } from 'vitest';
import type { CarrierCommandInput } from '../../../src/domain/carrier/commands.js';
import type { CarrierEvent } from '../../../src/domain/carrier/events.js';
import { isRegistered } from '../../../src/domain/carrier/state.js';
import { registered } from '../fixtures.js';
import { given, statesAfter } from './spec.js';

type History = Array<{ carrierId: string; event: CarrierEvent }>;

const disk = registered('D1', { kind: 'disk' });
const document = registered('C1');

const approveExit = (data: Record<string, unknown> = {}): CarrierCommandInput => ({
  type: 'ApproveMediaExit',
  data: { carrierId: 'D1', approvedBy: 'leader1', custodian: 'courier1', ...data },
});
const sanitise = (data: Record<string, unknown> = {}): CarrierCommandInput => ({
  type: 'RecordSanitisation',
  data: { carrierId: 'D1', sanitisedBy: 'clerk1', method: 'secure overwrite', ...data },
});
const approveRepair = (data: Record<string, unknown> = {}): CarrierCommandInput => ({
  type: 'ApproveMediaRepair',
  data: { carrierId: 'D1', approvedBy: 'leader1', repairer: 'Repair Co', ...data },
});

const sanitised = {
  carrierId: 'D1',
  event: { type: 'MediaSanitised' as const, data: { sanitisedBy: 'clerk1', method: 'secure overwrite' } },
};

describe('media exit approval (R-MEDIA-1)', () => {
  it('R-MEDIA-1 allows a leader to approve a disk leaving and designate its custodian', () => {
    const events = given([disk])
      .when(approveExit())
      .then([{ carrierId: 'D1', event: { type: 'MediaExitApproved', data: { approvedBy: 'leader1', custodian: 'courier1' } } }]);
    const after = statesAfter([disk, ...events]).get('D1');
    expect(after && isRegistered(after) ? after.media : null).toMatchObject({ exitApprovedBy: 'leader1', custodian: 'courier1' });
  });

  it('R-MEDIA-1 allows an approver who is not a leader', () => {
    const [event] = given([disk]).when(approveExit({ approvedBy: 'unitHead' })).events();
    expect(event?.event).toMatchObject({ type: 'MediaExitApproved', data: { approvedBy: 'unitHead' } });
  });

  it('R-MEDIA-1 refuses an exit approval for something that is not a disk', () => {
    given([document]).when(approveExit({ carrierId: 'C1' })).thenRefused('R-MEDIA-1', /C1 is a document, not a disk/);
  });

  it('R-MEDIA-1 refuses an approval by someone who is neither leader nor approver', () => {
    given([disk]).when(approveExit({ approvedBy: 'clerk1' })).thenRefused('R-MEDIA-1', /clerk1 is neither a leader nor an approver/);
  });

  it('R-MEDIA-1 refuses a custodian who is not an active person', () => {
    given([disk]).when(approveExit({ custodian: 'retired' })).thenRefused('R-MEDIA-1', /retired is not an enrolled, active person/);
  });

  it('R-HOLD-2 refuses a custodian not cleared for the disk', () => {
    given([disk]).when(approveExit({ custodian: 'reader3' })).thenRefused('R-HOLD-2', /reader3 is cleared to confidential/);
  });

  it('R-DESTROY-2 refuses an approval for a destroyed disk', () => {
    const destroyed: History = [
      disk,
      {
        carrierId: 'D1',
        event: {
          type: 'CarrierDestroyed',
          data: { requestId: 'X-1', method: 'degauss', destroyedBy: 'clerk1', witness: 'officer', location: 'R1/shredder' },
        },
      },
    ];
    given(destroyed).when(approveExit()).thenRefused('R-DESTROY-2');
  });
});

describe('sanitisation (R-MEDIA-2)', () => {
  it('R-MEDIA-2 records the holder\'s sanitisation of a disk', () => {
    const events = given([disk]).when(sanitise()).then([sanitised]);
    const after = statesAfter([disk, ...events]).get('D1');
    expect(after && isRegistered(after) ? after.media.sanitised : null).toBe(true);
  });

  it('R-MEDIA-2 lets a clerk of the registry record it for a disk someone else holds', () => {
    const [event] = given([registered('D1', { kind: 'disk' }, 'reader2')]).when(sanitise({ sanitisedBy: 'clerk2' })).events();
    expect(event?.event).toMatchObject({ type: 'MediaSanitised', data: { sanitisedBy: 'clerk2' } });
  });

  it('R-MEDIA-2 refuses a sanitisation recorded by someone neither holding it nor a clerk of its registry', () => {
    given([disk]).when(sanitise({ sanitisedBy: 'clerkB' })).thenRefused('R-MEDIA-2', /clerkB neither holds D1 nor is a clerk of R1/);
  });

  it('R-MEDIA-2 refuses to record sanitisation of something that is not a disk', () => {
    given([document]).when(sanitise({ carrierId: 'C1' })).thenRefused('R-MEDIA-2', /C1 is a document, not a disk/);
  });
});

describe('repair approval (R-MEDIA-2)', () => {
  it('R-MEDIA-2 refuses a repair approval before the sanitisation is recorded', () => {
    given([disk]).when(approveRepair()).thenRefused('R-MEDIA-2', /D1 has no recorded sanitisation/);
  });

  it('R-MEDIA-2 allows a leader to approve the repair of a sanitised disk', () => {
    const history: History = [disk, sanitised];
    const events = given(history)
      .when(approveRepair())
      .then([{ carrierId: 'D1', event: { type: 'MediaRepairApproved', data: { approvedBy: 'leader1', repairer: 'Repair Co' } } }]);
    const after = statesAfter([...history, ...events]).get('D1');
    expect(after && isRegistered(after) ? after.media : null).toMatchObject({ sanitised: true, repairApprovedBy: 'leader1' });
  });

  it('R-MEDIA-2 refuses a repair approval by someone who is neither leader nor approver', () => {
    given([disk, sanitised]).when(approveRepair({ approvedBy: 'officer' })).thenRefused('R-MEDIA-2', /officer is neither a leader nor an approver/);
  });

  it('R-MEDIA-2 refuses a repair approval for something that is not a disk', () => {
    given([document]).when(approveRepair({ carrierId: 'C1' })).thenRefused('R-MEDIA-2', /not a disk/);
  });

  it('refuses an approval for an unknown carrier as not found', () => {
    given().when(approveRepair({ carrierId: 'D9' })).thenNotFound('D9');
  });
});
