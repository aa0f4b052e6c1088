import { describe, expect, it } from 'vitest';
import { createWriteModel, foldRecorded } from '../../src/ledger/write-model.js';
import { createProjections, type ProjectionSet } from '../../src/projections/index.js';
import { officeCast, readerIds } from './cast.js';
import { replayOracle } from './oracle.js';
import { randomHistory, seeded } from './random-history.js';
import { createWorld, type World } from './world.js';

const people = ['r1clerk1', 'r1clerk2', 'r2clerk1', 'courier1', 'courier2', 'courier3', 'leader1', 'leader2', ...readerIds(1, 8)];

/** Instants spread over the history, plus every act's own time and the millisecond before it. */
async function instants(world: World): Promise<number[]> {
  const times = new Set<number>();
  for (const recorded of await world.store.readAll()) {
    const ms = Date.parse((recorded.data as { act: { time: string } }).act.time);
    times.add(ms);
    times.add(ms - 1);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.filter((_, i) => i % 7 === 0);
}

async function history(seed: number) {
  const world = await createWorld({ start: '2026-03-02T08:00:00.000Z' });
  const live = await createProjections({ store: world.store });
  await world.enrolAll(officeCast(8));
  const probe = seeded(seed + 1000);
  const { performed } = await randomHistory(world, {
    seed,
    acts: 140,
    prefix: 'X',
    registries: ['R1', 'R2', 'R3'],
    people,
    backdate: 0.25,
    roleChanges: 0.04,
    policyChanges: 0.03,
    onAct: async (result) => {
      // Read-your-own-write, then a query that takes snapshots a later back-dated act must invalidate.
      await live.waitFor(result.events.at(-1)!.position);
      if (probe() < 0.3) live.holdingsAt(people[Math.floor(probe() * people.length)]!, world.clock());
      if (probe() < 0.2) live.atLocationAt('R1/safe-1', world.clock());
    },
  });
  return { world, live, performed };
}

function sameAnswers(a: ProjectionSet, b: ProjectionSet, carrierIds: string[], at: string) {
  for (const person of people) expect(a.holdingsAt(person, at)).toEqual(b.holdingsAt(person, at));
  for (const id of carrierIds) expect(a.whereAt(id, at)).toEqual(b.whereAt(id, at));
  expect(a.alerts({ now: at })).toEqual(b.alerts({ now: at }));
}

describe('projections rebuilt from the log equal projections maintained live', () => {
  for (const seed of [11, 23, 37]) {
    it(`over a random valid history of signed acts (seed ${seed}), and both agree with a replay at every instant probed`, async () => {
      const { world, live, performed } = await history(seed);
      // The history is varied: custody, circulation, transport, inventory, loss and paperwork acts.
      expect(Object.keys(performed).length).toBeGreaterThanOrEqual(12);
      expect(performed['AdoptPolicy']).toBeGreaterThanOrEqual(1);
      await live.waitFor(await world.store.headPosition());
      // As the server starts: one read feeds the read models and the write model, which takes the carrier states they fold.
      const alongside = createWriteModel();
      const rebuilt = await createProjections({ store: world.store, alsoRebuild: (recorded, carrier) => foldRecorded(alongside, recorded, carrier) });
      expect(rebuilt.position).toBe(live.position);
      expect(rebuilt.snapshot()).toEqual(live.snapshot());
      const alone = createWriteModel();
      for (const recorded of await world.store.readAll()) foldRecorded(alone, recorded);
      expect(alongside).toEqual(alone);

      const oracle = await replayOracle(world.store);
      for (const ms of await instants(world)) {
        const at = new Date(ms).toISOString();
        sameAnswers(live, rebuilt, oracle.carrierIds, at);
        for (const person of people) expect(rebuilt.holdingsAt(person, at).carriers.map((c) => c.carrierId)).toEqual(oracle.heldBy(person, ms));
        for (const location of ['R1/safe-1', 'R2/safe-1', 'Office 1']) {
          expect(rebuilt.atLocationAt(location, at).carriers.map((c) => c.carrierId)).toEqual(oracle.placedAt(location, ms));
        }
        for (const id of oracle.carrierIds) {
          const state = oracle.stateAt(id, ms);
          const answer = rebuilt.whereAt(id, at);
          expect(answer && { status: answer.status, holders: answer.holders, location: answer.location }).toEqual(
            state && { status: state.status, holders: state.holders, location: state.location },
          );
        }
      }
      const end = world.clock();
      for (const id of oracle.carrierIds) {
        expect(rebuilt.trace(id, end)).toEqual(live.trace(id, end));
        expect(rebuilt.access(id)).toEqual(live.access(id));
        expect(rebuilt.lineage(id)).toEqual(live.lineage(id));
      }
      const window = { from: '2026-03-02T00:00:00Z', to: end };
      // The two reports are made a moment apart (madeAt); everything they report must be the same.
      const reported = ({ madeAt: _madeAt, ...rest }: ReturnType<typeof live.incident>) => rest;
      expect(reported(rebuilt.incident(window))).toEqual(reported(live.incident(window)));
      live.close();
      rebuilt.close();
    });
  }
});
