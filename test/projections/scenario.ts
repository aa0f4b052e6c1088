import { createProjections } from '../../src/projections/index.js';
import { officeCast, readerIds } from './cast.js';
import { randomHistory } from './random-history.js';
import { createWorld, type World } from './world.js';

/**
 * A week in three registries, every act signed for real. Monday is background: 250 carriers
 * registered and 200 random valid acts on them (prefix N). Tuesday and Wednesday are the stories the
 * tests check, on carriers of their own:
 *
 * - D-ORIG is copied twice (D-ORIG-c1, D-ORIG-c2) and D-ORIG-c1 once more (D-ORIG-c1-c1).
 * - D-ORIG-c2 is sighted at Tuesday 09:00, circulated to reader03 (10:00-12:00) and reader05
 *   (13:00-15:00), returned to r1clerk1 at 15:00, missed at Wednesday's 09:00 inventory and reported
 *   missing at 09:30 by r1clerk1. No security officer has signed for the case.
 * - TS1 and TS2 (top-secret) leave R1 with courier1 and courier2 at 10:30, are handed to courier3 and
 *   courier4 at 11:30 and delivered to r2clerk1 at 14:00 with seal SEAL-77 broken.
 * - LATE-1 leaves at 16:00 with courier1, expected by 18:00, never delivered.
 * - and more: an archive loan, a supervised destruction, a recovered and a lost carrier, an urgent
 *   circulation never returned, top-secret and cipher-telegram carriers out of the registry,
 *   a carrier issued to a leader, inventory findings the ledger disagrees with.
 */
export const DAY = { mon: '2026-11-23', tue: '2026-11-24', wed: '2026-11-25', thu: '2026-11-26' };
export const at = (day: keyof typeof DAY, hhmm: string, rest = ':00.000Z') => `${DAY[day]}T${hhmm}${rest}`;

async function background(world: World) {
  world.at(at('mon', '08:00'));
  for (let i = 0; i < 250; i++) {
    const registry = ['R1', 'R2', 'R3'][i % 3]!;
    const clerk = { R1: 'r1clerk1', R2: 'r2clerk1', R3: 'r3clerk1' }[registry]!;
    const classification = (['confidential', 'secret', 'secret', 'top-secret'] as const)[i % 4];
    world.advanceMinutes(1);
    await world.register(`NB${i}`, clerk, { registry, classification, archive: i % 10 === 0 }, clerk, `${registry}/safe-${1 + (i % 2)}`);
  }
  await randomHistory(world, { seed: 2026, acts: 200, prefix: 'N', registries: ['R1', 'R2', 'R3'], people: [...readerIds(10, 24), 'leader2'], maxStepMinutes: 2 });
}

async function copies(world: World) {
  const p = world.perform;
  world.at(at('tue', '08:00'));
  await world.register('D-ORIG', 'r1clerk1', { title: 'Annual defence plan' });
  await p('RequestCopies', { carrierId: 'D-ORIG', requestId: 'REQ-1', copies: 2, reason: 'for the two deputies', requestedBy: 'r1clerk1' }, world.at(at('tue', '08:01')));
  await p('ApproveCopies', { carrierId: 'D-ORIG', requestId: 'REQ-1', approvedBy: 'unitHead' }, world.at(at('tue', '08:02')));
  const made = [{ carrierId: 'D-ORIG-c1', copyNumber: 2 }, { carrierId: 'D-ORIG-c2', copyNumber: 3 }];
  await p('MakeCopies', { carrierId: 'D-ORIG', requestId: 'REQ-1', copies: made, holder: 'r1clerk1', location: 'R1/safe-1', madeBy: 'r1clerk1' }, world.at(at('tue', '08:03')));
  await p('RequestCopies', { carrierId: 'D-ORIG-c1', requestId: 'REQ-2', copies: 1, reason: 'for the archive', requestedBy: 'r1clerk2' }, world.at(at('tue', '08:04')));
  await p('ApproveCopies', { carrierId: 'D-ORIG-c1', requestId: 'REQ-2', approvedBy: 'unitHead' }, world.at(at('tue', '08:05')));
  await p('MakeCopies', { carrierId: 'D-ORIG-c1', requestId: 'REQ-2', copies: [{ carrierId: 'D-ORIG-c1-c1', copyNumber: 4 }], holder: 'r1clerk2', location: 'R1/safe-2', madeBy: 'r1clerk1' }, world.at(at('tue', '08:06')));
}

async function registrations(world: World) {
  const list: Array<[string, string, Parameters<World['register']>[2], string?]> = [
    ['TS1', 'r1clerk1', { classification: 'top-secret' }],
    ['TS2', 'r1clerk1', { classification: 'top-secret' }],
    ['LATE-1', 'r1clerk1', {}],
    ['ARCH-1', 'r1clerk1', { archive: true }],
    ['DEST-1', 'r3clerk1', { classification: 'confidential', registry: 'R3' }],
    ['MISS-2', 'r2clerk2', { registry: 'R2' }],
    ['MISS-3', 'r2clerk2', { classification: 'confidential', registry: 'R2' }],
    ['URG-1', 'r1clerk1', {}],
    ['TS-READ', 'r3clerk1', { classification: 'top-secret', registry: 'R3' }],
    ['LEAD-1', 'r1clerk1', {}],
    ['R2-ELSE', 'r2clerk1', { registry: 'R2' }, 'R2/safe-2'],
    ['R2-GONE', 'r2clerk1', { registry: 'R2' }],
    ['TS-LATE-OUT', 'r1clerk1', { classification: 'top-secret' }],
    ['CT-1', 'r1clerk1', { classification: 'confidential', cipherTelegram: true }],
    ['XSS-1', 'r1clerk1', { classification: 'top-secret', title: '<script>alert("x")</script> & "minutes"' }],
  ];
  world.at(at('tue', '08:10'));
  for (const [id, clerk, d, location] of list) {
    world.advanceMinutes(1);
    await world.register(id, clerk, d, clerk, location);
  }
}

async function tuesday(world: World) {
  const p = (type: string, data: Record<string, unknown>, hhmm: string) => world.perform(type, data, world.at(at('tue', hhmm)));
  const circ = { carrierId: 'D-ORIG-c2', circulationId: 'CIRC-M' };
  const seal = { carrierIds: ['TS1', 'TS2'], transportId: 'T-SEAL' };
  await p('TakeInventory', { inventoryId: 'INV-1', location: 'R1/safe-1', sighted: ['D-ORIG', 'D-ORIG-c1', 'D-ORIG-c2'], notSighted: [], takenBy: ['r1clerk2'] }, '09:00');
  await p('OpenCirculation', { ...circ, readers: ['reader03', 'reader05'], openedBy: 'r1clerk1' }, '09:30');
  await p('IssueToReader', { ...circ, reader: 'reader03', issuedBy: 'r1clerk1' }, '10:00');
  await p('DispatchTransport', { ...seal, giver: 'r1clerk1', couriers: ['courier1', 'courier2'], destination: { registry: 'R2' }, leavesPremises: true, seal: 'SEAL-77', expectedBy: at('tue', '16:00') }, '10:30');
  await p('HandOverInTransit', { ...seal, fromCouriers: ['courier1', 'courier2'], toCouriers: ['courier3', 'courier4'] }, '11:30');
  await p('ReturnFromReader', { ...circ, reader: 'reader03', readerName: world.nameOf('reader03'), receivedBy: 'r1clerk2' }, '12:00');
  await p('IssueToReader', { ...circ, reader: 'reader05', issuedBy: 'r1clerk2' }, '13:00');
  await p('DeliverTransport', { ...seal, couriers: ['courier3', 'courier4'], receiver: 'r2clerk1', location: 'R2/safe-1', sealSeen: 'SEAL-77', sealIntact: false }, '14:00');
  await p('ReturnFromReader', { ...circ, reader: 'reader05', readerName: world.nameOf('reader05'), receivedBy: 'r1clerk1' }, '15:00');
  await p('CloseCirculation', { ...circ, closedBy: 'r1clerk1' }, '15:05');
  await p('DispatchTransport', { carrierIds: ['LATE-1'], transportId: 'T-LATE', giver: 'r1clerk1', couriers: ['courier1'], destination: { registry: 'R3' }, leavesPremises: false, expectedBy: at('tue', '18:00') }, '16:00');
  await p('IssueArchiveLoan', { carrierId: 'ARCH-1', loanId: 'LOAN-1', borrower: 'reader02', issuedBy: 'r1clerk1', approvedBy: 'leader1', readingRoom: 'R1/reading-room' }, '16:30');
  await p('RequestDestruction', { carrierIds: ['DEST-1'], requestId: 'DR-1', method: 'shred', reason: 'superseded', requestedBy: 'r3clerk1' }, '17:00');
  await p('ApproveDestruction', { carrierIds: ['DEST-1'], requestId: 'DR-1', approvedBy: 'unitHead' }, '17:05');
  await p('DestroyCarriers', { carrierIds: ['DEST-1'], requestId: 'DR-1', destroyedBy: 'r3clerk1', witness: 'officer', location: 'R3/shredder' }, '17:10');
  await p('ReportMissing', { carrierId: 'MISS-2', reportedBy: 'reader06', circumstances: 'left on a desk' }, '17:30');
  await p('ReportMissing', { carrierId: 'MISS-3', reportedBy: 'r2clerk2', circumstances: 'not in the safe' }, '17:40');
  await p('RecoverCarrier', { carrierId: 'MISS-2', recoveredBy: 'officer', holder: 'r2clerk2', location: 'R2/safe-1', circumstances: 'found in the meeting room' }, '18:30');
  await p('DeclareLost', { carrierId: 'MISS-3', declaredBy: 'officer', reason: 'search concluded without result' }, '18:40');
}

async function wednesday(world: World) {
  const p = (type: string, data: Record<string, unknown>, hhmm: string) => world.perform(type, data, world.at(at('wed', hhmm)));
  await p('TakeInventory', { inventoryId: 'INV-2', location: 'R1/safe-1', sighted: ['D-ORIG', 'D-ORIG-c1'], notSighted: ['D-ORIG-c2'], takenBy: ['r1clerk2'] }, '09:00');
  await p('ReportMissing', { carrierId: 'D-ORIG-c2', reportedBy: 'r1clerk1', circumstances: 'not found at the inventory after circulation CIRC-M' }, '09:30');
  await p('OpenCirculation', { carrierId: 'URG-1', circulationId: 'CIRC-O', readers: ['reader07'], urgent: true, openedBy: 'r1clerk1' }, '09:40');
  await p('IssueToReader', { carrierId: 'URG-1', circulationId: 'CIRC-O', reader: 'reader07', issuedBy: 'r1clerk1' }, '10:00');
  await p('TransferCustody', { carrierId: 'TS-READ', giver: 'r3clerk1', receiver: 'reader05', location: 'Office 5' }, '10:05');
  await p('TransferCustody', { carrierId: 'LEAD-1', giver: 'r1clerk1', receiver: 'leader1', location: 'Director office' }, '10:10');
  await p('TransferCustody', { carrierId: 'CT-1', giver: 'r1clerk1', receiver: 'reader01', location: 'Office 1' }, '10:15');
  await p('TakeInventory', { inventoryId: 'INV-3', location: 'R2/safe-1', sighted: ['R2-ELSE', 'TS2'], notSighted: ['R2-GONE'], takenBy: ['r2clerk1'] }, '10:20');
  await p('TransferCustody', { carrierId: 'TS-LATE-OUT', giver: 'r1clerk1', receiver: 'reader05', location: 'Office 5' }, '19:00');
}

/** The whole week, and projections that followed it live from an empty store. */
export async function buildScenario() {
  const world = await createWorld({ start: at('mon', '07:00') });
  const projections = await createProjections({ store: world.store });
  await world.enrolAll(officeCast(24));
  await background(world);
  await copies(world);
  await registrations(world);
  await tuesday(world);
  await wednesday(world);
  await projections.waitFor(await world.store.headPosition());
  return { world, projections };
}

/** Alerts and lists without the Monday background (carriers N...). */
export const anchorsOnly = <T extends { carrierId: string }>(items: T[]): T[] => items.filter((i) => !i.carrierId.startsWith('N'));
