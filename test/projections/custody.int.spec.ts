import { beforeAll, describe, expect, it } from 'vitest';
import { NotFound, ValidationError } from '../../src/domain/errors.js';
import type { ProjectionSet } from '../../src/projections/index.js';
import { anchorsOnly, at, buildScenario } from './scenario.js';
import { caught, type World } from './world.js';

let world: World;
let projections: ProjectionSet;

beforeAll(async () => {
  ({ world, projections } = await buildScenario());
});

const ids = (list: Array<{ carrierId: string }>) => list.map((c) => c.carrierId);

describe('current custody: where each carrier is, who holds it, since when', () => {
  it('a missing copy keeps its last holder and place, and names the report as its last act', () => {
    const where = projections.where('D-ORIG-c2');
    expect(where).toMatchObject({
      status: 'missing',
      holders: ['r1clerk1'],
      location: 'R1/safe-1',
      since: at('tue', '15:00'),
      parentId: 'D-ORIG',
      kind: 'copy',
      missing: { reportedBy: 'r1clerk1', reportedAt: at('wed', '09:30') },
      circulation: null,
    });
    expect(where.act).toMatchObject({ eventType: 'CarrierReportedMissing', revision: 9, signers: ['r1clerk1'] });
  });

  it('a top-secret carrier delivered to another registry is held by that registry\'s clerk, not "at its registry"', () => {
    expect(projections.where('TS1')).toMatchObject({ status: 'held', holders: ['r2clerk1'], location: 'R2/safe-1', since: at('tue', '14:00'), atRegistry: false, transport: null });
  });

  it('a carrier in transit is held by its courier, with the transport open on it', () => {
    expect(projections.where('LATE-1')).toMatchObject({
      status: 'in-transit',
      holders: ['courier1'],
      location: 'in transit (T-LATE)',
      transport: { transportId: 'T-LATE', couriers: ['courier1'], expectedBy: at('tue', '18:00'), seal: null },
    });
  });

  it('a destroyed carrier has no holder', () => {
    expect(projections.where('DEST-1')).toMatchObject({ status: 'destroyed', holders: [], location: 'R3/shredder', since: at('tue', '17:10') });
  });

  it('an unknown carrier is "not found"; a malformed id is a validation error naming the field', () => {
    expect(() => projections.where('NO-SUCH')).toThrow(NotFound);
    const error = caught(() => projections.where('no such id!'));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.path).toEqual(['carrierId']);
  });

  it('a person\'s holdings list what they hold now, alone or as one of a courier pair', () => {
    expect(ids(projections.holdings('reader05').carriers)).toEqual(['TS-LATE-OUT', 'TS-READ']);
    expect(ids(projections.holdings('reader07').carriers)).toEqual(['URG-1']);
    expect(ids(projections.holdings('leader1').carriers)).toEqual(['LEAD-1']);
    expect(ids(anchorsOnly(projections.holdings('courier1').carriers))).toEqual(['LATE-1']);
    expect(ids(projections.holdings('reader03').carriers)).toEqual([]);
    expect(() => projections.holdings('ghost')).toThrow(NotFound);
  });

  it('holdings agree with the ledger\'s own write model for every person', () => {
    for (const personId of world.ledger.model.directory.keys()) {
      expect(ids(projections.holdings(personId).carriers)).toEqual([...(world.ledger.model.holdings.get(personId) ?? [])].sort());
    }
  });

  it('a location lists what the ledger places there: held or on loan, not in transit, missing, lost or destroyed', () => {
    expect(ids(anchorsOnly(projections.atLocation('R2/safe-1').carriers))).toEqual(['MISS-2', 'R2-GONE', 'TS1', 'TS2']);
    const r1 = ids(projections.atLocation('R1/safe-1').carriers);
    expect(r1).toEqual(expect.arrayContaining(['D-ORIG', 'D-ORIG-c1', 'XSS-1']));
    expect(r1).not.toContain('D-ORIG-c2');
    expect(r1).not.toContain('LATE-1');
    expect(ids(anchorsOnly(projections.atLocation('R1/reading-room').carriers))).toEqual(['ARCH-1']);
    expect(projections.atLocation('Nowhere').carriers).toEqual([]);
  });

  it('lists the open circulations, transports and archive loans', () => {
    const open = projections.open();
    expect(anchorsOnly(open.circulations)).toEqual([
      { carrierId: 'URG-1', circulationId: 'CIRC-O', reader: 'reader07', dueBy: at('wed', '14:00'), readers: ['reader07'], returnedBy: [] },
    ]);
    const late = open.transports.find((t) => t.transportId === 'T-LATE');
    expect(late).toEqual({
      transportId: 'T-LATE',
      carrierIds: ['LATE-1'],
      couriers: ['courier1'],
      from: 'r1clerk1',
      destination: { registry: 'R3', person: null },
      expectedBy: at('tue', '18:00'),
      seal: null,
      couriersSince: at('tue', '16:00'),
    });
    expect(open.transports.some((t) => t.transportId === 'T-SEAL')).toBe(false);
    expect(anchorsOnly(open.loans)).toEqual([{ carrierId: 'ARCH-1', loanId: 'LOAN-1', borrower: 'reader02', readingRoom: 'R1/reading-room', since: at('tue', '16:30') }]);
  });
});
