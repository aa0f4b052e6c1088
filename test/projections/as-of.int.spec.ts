import { beforeAll, describe, expect, it } from 'vitest';
import { NotFound, ValidationError } from '../../src/domain/errors.js';
import type { ProjectionSet } from '../../src/projections/index.js';
import { replayOracle } from './oracle.js';
import { anchorsOnly, at, buildScenario } from './scenario.js';
import { caught, type World } from './world.js';

let world: World;
let projections: ProjectionSet;

beforeAll(async () => {
  ({ world, projections } = await buildScenario());
});

const holders = (carrierId: string, time: string) => projections.whereAt(carrierId, time)?.holders;
const held = (personId: string, time: string) => anchorsOnly(projections.holdingsAt(personId, time).carriers).map((c) => c.carrierId);

describe('as of a past moment: at exactly an act\'s time the act has happened, a millisecond before it has not', () => {
  it('follows the missing copy through its circulation, instant by instant', () => {
    expect(projections.whereAt('D-ORIG-c2', at('tue', '08:02', ':59.999Z'))).toBeNull();
    expect(holders('D-ORIG-c2', at('tue', '08:03'))).toEqual(['r1clerk1']);
    expect(holders('D-ORIG-c2', at('tue', '09:59', ':59.999Z'))).toEqual(['r1clerk1']);
    expect(holders('D-ORIG-c2', at('tue', '10:00'))).toEqual(['reader03']);
    expect(holders('D-ORIG-c2', at('tue', '11:00'))).toEqual(['reader03']);
    expect(holders('D-ORIG-c2', at('tue', '12:00'))).toEqual(['r1clerk2']);
    expect(holders('D-ORIG-c2', at('tue', '13:00'))).toEqual(['reader05']);
    expect(holders('D-ORIG-c2', at('tue', '15:00'))).toEqual(['r1clerk1']);
    expect(projections.whereAt('D-ORIG-c2', at('wed', '09:29', ':59.999Z'))?.status).toBe('held');
    expect(projections.whereAt('D-ORIG-c2', at('wed', '09:30'))?.status).toBe('missing');
  });

  it('names the signed act behind each answer, and how long that custody lasted', () => {
    expect(projections.whereAt('D-ORIG-c2', at('tue', '11:00'))).toEqual({
      carrierId: 'D-ORIG-c2',
      at: at('tue', '11:00'),
      status: 'held',
      holders: ['reader03'],
      location: 'R1/safe-1',
      atRegistry: false,
      since: at('tue', '10:00'),
      until: at('tue', '12:00'),
      act: { actId: expect.stringMatching(/^[0-9a-f]{64}$/), revision: 3, eventType: 'CarrierIssuedToReader', signers: ['r1clerk1', 'reader03'] },
    });
  });

  it('the act id it names is the one stored with that event', async () => {
    const stored = await world.store.readStream('carrier-D-ORIG-c2');
    expect(projections.whereAt('D-ORIG-c2', at('tue', '11:00'))?.act.actId).toBe(stored[3]?.metadata['actId']);
  });

  it('follows the two-person transport: both couriers hold it, then the pair they handed it to', () => {
    expect(projections.whereAt('TS1', at('tue', '10:30'))).toMatchObject({ status: 'in-transit', holders: ['courier1', 'courier2'], location: 'in transit (T-SEAL)' });
    expect(holders('TS1', at('tue', '11:30'))).toEqual(['courier3', 'courier4']);
    expect(holders('TS1', at('tue', '14:00'))).toEqual(['r2clerk1']);
    expect(held('courier1', at('tue', '10:29', ':59.999Z'))).toEqual([]);
    expect(held('courier1', at('tue', '10:30'))).toEqual(['TS1', 'TS2']);
    expect(held('courier2', at('tue', '11:00'))).toEqual(['TS1', 'TS2']);
    expect(held('courier1', at('tue', '11:30'))).toEqual([]);
    expect(held('courier3', at('tue', '11:30'))).toEqual(['TS1', 'TS2']);
    expect(held('courier3', at('tue', '14:00'))).toEqual([]);
  });

  it('says what a person held at any moment', () => {
    expect(held('reader03', at('tue', '11:00'))).toEqual(['D-ORIG-c2']);
    expect(held('reader03', at('tue', '12:00'))).toEqual([]);
    expect(held('reader05', at('wed', '10:04', ':59.999Z'))).toEqual([]);
    expect(held('reader05', at('wed', '10:05'))).toEqual(['TS-READ']);
    expect(held('reader05', at('wed', '19:00'))).toEqual(['TS-LATE-OUT', 'TS-READ']);
    const answer = projections.holdingsAt('reader03', at('tue', '11:00'));
    expect(answer).toMatchObject({ personId: 'reader03', name: 'Name of reader03', at: at('tue', '11:00') });
    expect(() => projections.holdingsAt('ghost', at('tue', '11:00'))).toThrow(NotFound);
  });

  it('says what the ledger placed at a location at any moment', () => {
    const r1 = (time: string) => anchorsOnly(projections.atLocationAt('R1/safe-1', time).carriers).map((c) => c.carrierId);
    expect(r1(at('tue', '10:29', ':59.999Z'))).toEqual(expect.arrayContaining(['TS1', 'TS2']));
    expect(r1(at('tue', '10:30'))).not.toContain('TS1');
    expect(anchorsOnly(projections.atLocationAt('R2/safe-1', at('tue', '14:00')).carriers).map((c) => c.carrierId)).toEqual(['MISS-2', 'MISS-3', 'R2-GONE', 'TS1', 'TS2']);
  });

  it('agrees with a replay of each carrier\'s own events, for every carrier, at instants across the week', async () => {
    const oracle = await replayOracle(world.store);
    const instants = ['mon', 'tue', 'wed'].flatMap((day) => ['08:30', '10:00', '12:00', '14:00', '17:10'].map((t) => at(day as 'mon', t)));
    for (const time of instants) {
      for (const id of oracle.carrierIds) {
        const state = oracle.stateAt(id, Date.parse(time));
        const answer = projections.whereAt(id, time);
        expect(answer && [answer.status, answer.holders, answer.location]).toEqual(state && [state.status, state.holders, state.location]);
      }
    }
  });

  it('reads instants as people type them, and refuses what is not an instant, naming the field', () => {
    expect(holders('D-ORIG-c2', '2026-11-24T10:00Z')).toEqual(['reader03']);
    expect(holders('D-ORIG-c2', '2026-11-24T18:00:00+08:00')).toEqual(['reader03']);
    const refusal = caught(() => projections.whereAt('D-ORIG-c2', 'yesterday'));
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).issues).toEqual([expect.objectContaining({ path: ['at'], code: 'invalid_instant' })]);
    expect(() => projections.whereAt('NO-SUCH', at('tue', '10:00'))).toThrow(NotFound);
  });
});
