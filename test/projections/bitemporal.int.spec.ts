import { describe, expect, it } from 'vitest';
import type { UnsignedAct } from '../../src/domain/act.js';
import { ActTimeRefused, RuleViolation, StaleAct, ValidationError } from '../../src/domain/errors.js';
import type { IsoTime } from '../../src/domain/primitives.js';
import { createProjections, type ProjectionSet } from '../../src/projections/index.js';
import { seeded, type Random } from './seeded.js';
import { createWorld, type World } from './world.js';

/**
 * Issue 17: an answer about the past must never change after the fact. Random histories of
 * hand-overs: some signed and submitted at once (online), some prepared and signed by the giver,
 * then signed by the receiver later (offline) and submitted later still, some never submitted
 * (pending for ever). After every act, at wall time W, questions are asked (where was C at T, as the
 * ledger stood at K ≤ W; what did P hold then) and their answers kept; at the end, after every later
 * append, each is asked again. For carriers whose acts are all online, `where --at T` alone is kept too.
 */

const PEOPLE = ['p1', 'p2', 'p3', 'p4'];
const ONLINE = ['ON-1', 'ON-2'];
const MIXED = ['MX-1', 'MX-2', 'MX-3'];

type Pending = { act: UnsignedAct; giverSignedAt: IsoTime; receiverSignedAt: IsoTime | null; receiver: string; giver: string; carrierId: string };
type Asked = { question: string; answer: string };

async function office(seed: number) {
  const world = await createWorld({ start: '2026-11-23T07:00:00.000Z' });
  await world.enrolAll([
    { id: 'officer', clearance: 'top-secret', roles: [{ role: 'security-officer' }] },
    { id: 'clerk1', clearance: 'top-secret', roles: [{ role: 'registry-clerk', registry: 'R1' }] },
    ...PEOPLE.map((id) => ({ id, clearance: 'top-secret' as const, roles: [] })),
  ]);
  for (const id of [...ONLINE, ...MIXED]) {
    world.advanceMinutes(1);
    await world.register(id, 'clerk1', { classification: 'secret' }, 'p1');
  }
  const projections = await createProjections({ store: world.store, clock: world.clock });
  return { world, projections, random: seeded(seed) };
}

const pickFrom = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const holderOf = (world: World, carrierId: string): string => {
  const state = world.ledger.model.carriers.get(carrierId);
  return state && state.status !== 'none' ? state.holders[0]! : 'p1';
};
const minutesBefore = (time: IsoTime, minutes: number): IsoTime => new Date(Date.parse(time) - minutes * 60_000).toISOString();

function transferCommand(world: World, carrierId: string, random: Random) {
  const giver = holderOf(world, carrierId);
  const receiver = pickFrom(random, PEOPLE.filter((p) => p !== giver));
  return { giver, receiver, command: { type: 'TransferCustody', data: { carrierId, giver, receiver, location: `Office ${receiver}` } } };
}

/** One random step of the history; refusals (a carrier that moved meanwhile) are part of life. */
async function step(world: World, random: Random, pending: Pending[]): Promise<void> {
  world.advanceMinutes(1 + Math.floor(random() * 20));
  const roll = random();
  const locked = new Set(pending.map((p) => p.carrierId));
  try {
    if (roll < 0.35) {
      // Online: the giver signs as it is prepared, the receiver a few minutes later, submitted at once.
      const carrierId = pickFrom(random, roll < 0.2 ? ONLINE : MIXED.filter((c) => !locked.has(c)).concat(ONLINE));
      const { giver, command } = transferCommand(world, carrierId, random);
      const act = world.ledger.prepare(command);
      const giverSignedAt = world.clock();
      const receiverSignedAt = world.advanceMinutes(1 + Math.floor(random() * 5));
      await world.ledger.submit(world.signed(act, (s) => (s === giver ? giverSignedAt : receiverSignedAt)));
    } else if (roll < 0.6) {
      // Offline: prepared and signed by the giver now; the receiver signs and submits later.
      const free = MIXED.filter((c) => !locked.has(c));
      if (free.length === 0) return;
      const carrierId = pickFrom(random, free);
      const { giver, receiver, command } = transferCommand(world, carrierId, random);
      pending.push({ act: world.ledger.prepare(command), giverSignedAt: world.clock(), receiverSignedAt: null, receiver, giver, carrierId });
    } else if (roll < 0.8) {
      // The receiver of a pending hand-over signs it (on a machine with no network).
      const waiting = pending.filter((p) => p.receiverSignedAt === null);
      if (waiting.length > 0) pickFrom(random, waiting).receiverSignedAt = world.clock();
    } else if (roll < 0.95) {
      // Someone finally submits a fully signed act, minutes or hours after its last signature.
      const ready = pending.filter((p) => p.receiverSignedAt !== null);
      if (ready.length === 0) return;
      const chosen = pickFrom(random, ready);
      pending.splice(pending.indexOf(chosen), 1);
      const times = (s: string) => (s === chosen.giver ? chosen.giverSignedAt : chosen.receiverSignedAt!);
      await world.ledger.submit(world.signed(chosen.act, times));
    } else if (pending.length > 0) {
      // Abandoned: never submitted, it stays pending for ever (and frees nothing).
      pending.push(pending.shift()!);
    }
  } catch (error) {
    if (!(error instanceof RuleViolation || error instanceof StaleAct || error instanceof ActTimeRefused)) throw error;
  }
}

/** Questions asked at wall time W, with their answers as text. */
function ask(projections: ProjectionSet, world: World, random: Random): { bitemporal: Asked[]; online: Asked[] } {
  const now = world.clock();
  const instants = [now, minutesBefore(now, Math.floor(random() * 90)), minutesBefore(now, Math.floor(random() * 600))];
  const bitemporal: Asked[] = [];
  const online: Asked[] = [];
  for (const at of instants) {
    for (const knownAt of instants) {
      for (const carrierId of [...ONLINE, ...MIXED]) {
        const question = `where ${carrierId} --at ${at} --known-at ${knownAt}`;
        bitemporal.push({ question, answer: JSON.stringify(projections.whereAt(carrierId, at, knownAt)) });
      }
      for (const personId of PEOPLE) {
        const question = `holdings ${personId} --at ${at} --known-at ${knownAt}`;
        bitemporal.push({ question, answer: JSON.stringify(projections.holdingsAt(personId, at, knownAt)) });
      }
    }
    for (const carrierId of ONLINE) {
      online.push({ question: `where ${carrierId} --at ${at}`, answer: custodyThen(projections, carrierId, at) });
    }
  }
  return { bitemporal, online };
}

/**
 * Where it was at T, without knownAt: everything but `until`, which says how long that lasted and so
 * is about what came after T (null, "still so", until the next act is known).
 */
function custodyThen(projections: ProjectionSet, carrierId: string, at: string): string {
  const custody = projections.whereAt(carrierId, at);
  if (custody === null) return 'null';
  const { until: _after, ...then } = custody;
  return JSON.stringify(then);
}

function reask(projections: ProjectionSet, question: string): string {
  const [verb, id, , at, , knownAt] = question.split(' ');
  if (verb === 'holdings') return JSON.stringify(projections.holdingsAt(id!, at!, knownAt));
  if (knownAt === undefined) return custodyThen(projections, id!, at!);
  return JSON.stringify(projections.whereAt(id!, at!, knownAt));
}

describe('bitemporal answers (issue 17): an answer about the past never changes after the fact', () => {
  for (const seed of [1, 7, 42]) {
    it(`seed ${seed}: every (T, K ≤ W) answer given at W is given again after every later act; online acts never move where --at T`, async () => {
      const { world, projections, random } = await office(seed);
      const pending: Pending[] = [];
      const kept: Asked[] = [];
      const keptOnline: Asked[] = [];
      for (let i = 0; i < 60; i++) {
        await step(world, random, pending);
        await projections.waitFor(world.ledger.model.position);
        const { bitemporal, online } = ask(projections, world, random);
        kept.push(...bitemporal);
        keptOnline.push(...online);
      }
      // What the history must have exercised for the property to mean anything.
      const history = (await world.store.readAll()).filter((e) => e.type === 'CustodyTransferred');
      const late = history.filter((e) => {
        const signatures = (e.data as { signatures: Array<{ signedAt: string }> }).signatures;
        const effective = signatures.map((s) => s.signedAt).sort().at(-1)!;
        return Date.parse(String(e.metadata['recordedAt'])) - Date.parse(effective) >= 60_000;
      });
      expect(late.length).toBeGreaterThan(0);
      expect(history.length - late.length).toBeGreaterThan(0);
      expect(pending.length + late.length).toBeGreaterThan(1);

      for (const { question, answer } of kept) expect(reask(projections, question), question).toBe(answer);
      for (const { question, answer } of keptOnline) expect(reask(projections, question), question).toBe(answer);
    });
  }

  it('a knownAt that is not an instant is refused, naming the field', async () => {
    const { projections } = await office(5);
    const error = (() => {
      try {
        projections.whereAt('MX-1', '2026-11-23T08:00:00Z', 'yesterday');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([expect.objectContaining({ path: ['knownAt'] })]);
  });

  it('a late-submitted hand-over changes where --at T for a T before it was known, but not the answer as known then', async () => {
    const { world, projections } = await office(3);
    const act = world.ledger.prepare({ type: 'TransferCustody', data: { carrierId: 'MX-1', giver: 'p1', receiver: 'p2', location: 'Office p2' } });
    const giverSignedAt = world.clock();
    const receiverSignedAt = world.advanceMinutes(10);
    const between = world.advanceMinutes(5);
    await projections.waitFor(world.ledger.model.position);
    const before = projections.whereAt('MX-1', between, between);
    expect(before?.holders).toEqual(['p1']);
    world.advanceMinutes(30);
    await world.ledger.submit(world.signed(act, (s) => (s === 'p1' ? giverSignedAt : receiverSignedAt)));
    await projections.waitFor(world.ledger.model.position);
    // By the time it took effect, p2 held it since the receiver signed ...
    expect(projections.whereAt('MX-1', between)).toMatchObject({ holders: ['p2'], since: receiverSignedAt });
    // ... but as the ledger stood at `between`, p1 did, and that answer stands.
    expect(projections.whereAt('MX-1', between, between)).toEqual(before);
    expect(projections.holdingsAt('p1', between, between).carriers.map((c) => c.carrierId)).toContain('MX-1');
    expect(projections.holdingsAt('p1', between).carriers.map((c) => c.carrierId)).not.toContain('MX-1');
  });
});
