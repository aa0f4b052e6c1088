import { beforeAll, describe, expect, it } from 'vitest';
import { NotFound } from '../../src/domain/errors.js';
import type { AccessRecord, LineageNode, ProjectionSet } from '../../src/projections/index.js';
import { at, buildScenario } from './scenario.js';
import type { World } from './world.js';

let world: World;
let projections: ProjectionSet;

beforeAll(async () => {
  ({ world, projections } = await buildScenario());
});

const rolesOf = (record: AccessRecord) => Object.fromEntries(record.people.map((p) => [p.personId, p.roles]));

describe('R-ACCESS-1: everyone who held, carried, read, copied or witnessed a carrier, with when and in which act', () => {
  it('lists the missing copy\'s people in order of first appearance, with every part they played', () => {
    const record = projections.access('D-ORIG-c2');
    expect(record).toMatchObject({ carrierId: 'D-ORIG-c2', title: 'Annual defence plan', classification: 'secret' });
    expect(rolesOf(record)).toEqual({
      r1clerk1: ['held', 'copied', 'administered', 'handled', 'reported'],
      r1clerk2: ['sighted', 'held', 'handled', 'administered'],
      reader03: ['read', 'handled'],
      reader05: ['read', 'handled'],
    });
    expect(record.people.map((p) => p.personId)).toEqual(['r1clerk1', 'r1clerk2', 'reader03', 'reader05']);
    expect(record.people.find((p) => p.personId === 'reader05')).toMatchObject({ physical: true, first: at('tue', '13:00'), last: at('tue', '15:00'), acts: 2, name: 'Name of reader05' });
  });

  it('cites each reading by its act id and revision, as stored', async () => {
    const stored = await world.store.readStream('carrier-D-ORIG-c2');
    const readings = projections.access('D-ORIG-c2').lines.filter((l) => l.role === 'read');
    expect(readings).toEqual([
      { personId: 'reader03', role: 'read', time: at('tue', '10:00'), actId: stored[3]!.metadata['actId'], revision: 3, eventType: 'CarrierIssuedToReader' },
      { personId: 'reader05', role: 'read', time: at('tue', '13:00'), actId: stored[5]!.metadata['actId'], revision: 5, eventType: 'CarrierIssuedToReader' },
    ]);
  });

  it('names all four couriers of the two-person transport as having carried it', () => {
    const record = projections.access('TS1');
    for (const courier of ['courier1', 'courier2', 'courier3', 'courier4']) expect(rolesOf(record)[courier]).toContain('carried');
    expect(rolesOf(record)['r2clerk1']).toEqual(['held']);
    const dispatch = record.lines.filter((l) => l.eventType === 'TransportDispatched').map((l) => `${l.personId}:${l.role}`);
    expect(dispatch).toEqual(['courier1:carried', 'courier2:carried', 'r1clerk1:handled']);
  });

  it('names the destruction witness, and tells paperwork apart from handling', () => {
    const record = projections.access('DEST-1');
    expect(rolesOf(record)).toEqual({ r3clerk1: ['held', 'handled', 'requested'], unitHead: ['approved'], officer: ['witnessed'] });
    expect(record.people.find((p) => p.personId === 'unitHead')?.physical).toBe(false);
    expect(record.people.find((p) => p.personId === 'officer')?.physical).toBe(true);
  });

  it('an unknown carrier has no access record: "not found"', () => {
    expect(() => projections.access('NO-SUCH')).toThrow(NotFound);
  });
});

const shape = (node: LineageNode): unknown => ({ id: node.carrierId, status: node.status, holders: node.holders, copies: node.copies.map(shape) });

describe('lineage: a carrier\'s parent and all its copies, recursively, each with status and holder', () => {
  it('shows the original with its copies and the copy of a copy', () => {
    const lineage = projections.lineage('D-ORIG');
    expect(lineage.parent).toBeNull();
    expect(lineage.ancestors).toEqual([]);
    expect(shape(lineage.tree)).toEqual({
      id: 'D-ORIG',
      status: 'held',
      holders: ['r1clerk1'],
      copies: [
        { id: 'D-ORIG-c1', status: 'held', holders: ['r1clerk1'], copies: [{ id: 'D-ORIG-c1-c1', status: 'held', holders: ['r1clerk2'], copies: [] }] },
        { id: 'D-ORIG-c2', status: 'missing', holders: ['r1clerk1'], copies: [] },
      ],
    });
    expect(lineage.tree.copies.map((c) => [c.requestId, c.copyNumber])).toEqual([['REQ-1', 2], ['REQ-1', 3]]);
  });

  it('from a copy of a copy, walks up to the original', () => {
    const lineage = projections.lineage('D-ORIG-c1-c1');
    expect(lineage.parent).toMatchObject({ carrierId: 'D-ORIG-c1', requestId: 'REQ-1', kind: 'copy' });
    expect(lineage.ancestors.map((a) => a.carrierId)).toEqual(['D-ORIG-c1', 'D-ORIG']);
    expect(lineage.tree).toMatchObject({ carrierId: 'D-ORIG-c1-c1', requestId: 'REQ-2', copyNumber: 4, location: 'R1/safe-2', copies: [] });
  });

  it('an original that was never copied is its own whole lineage', () => {
    expect(projections.lineage('TS1')).toMatchObject({ parent: null, ancestors: [], tree: { carrierId: 'TS1', copies: [] } });
  });
});
