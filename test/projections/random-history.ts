import { ActTimeRefused, NotFound, RuleViolation, StaleAct, ValidationError } from '../../src/domain/errors.js';
import type { IsoTime } from '../../src/domain/primitives.js';
import type { SubmitResult } from '../../src/ledger/ledger.js';
import { custodyMoves, movesContext, otherMoves, pick, policyMove, registerMove, type Move, type Random } from './random-moves.js';
import type { World } from './world.js';
import { seeded } from './seeded.js';

export { seeded };


export type HistoryOptions = {
  seed: number;
  acts: number;
  /** Carriers this history registers and moves start with it; others are left alone. */
  prefix: string;
  registries: string[];
  /** Who may read, borrow or hold besides the registries' clerks. */
  people: string[];
  /** Chance that an act is dated before the clock (as a co-signed act is), never before its own streams' heads. */
  backdate?: number;
  /** Chance of a leader appointment or removal (roles feed R-HOLD-6). */
  roleChanges?: number;
  /** Chance of a policy adoption with other thresholds (the WATCH rules judge by the policy of each act's time). */
  policyChanges?: number;
  /** The clock moves 1 to this many minutes before each act (default 90). */
  maxStepMinutes?: number;
  onAct?: (result: SubmitResult, move: Move) => void | Promise<void>;
};

/** What the ledger refuses is not part of the history: the driver tries another move. */
const refused = (error: unknown) =>
  error instanceof RuleViolation || error instanceof NotFound || error instanceof ValidationError || error instanceof ActTimeRefused || error instanceof StaleAct;

/**
 * Performs `acts` random valid acts through the ledger, each really signed: registrations,
 * hand-overs, circulations, copies, transports with hand-overs and broken seals, loans, inventories,
 * losses, recoveries, destruction, leader appointments, policy changes; some back-dated.
 */
export async function randomHistory(world: World, options: HistoryOptions): Promise<{ performed: Record<string, number> }> {
  const random = seeded(options.seed);
  let ids = 0;
  const performed: Record<string, number> = {};
  let done = 0;
  for (let attempt = 0; done < options.acts && attempt < options.acts * 30; attempt++) {
    const ctx = movesContext(world, random, options.prefix, options.registries, options.people, () => (ids += 1));
    const move = choose(ctx, random, options);
    if (!move) continue;
    world.advanceMinutes(1 + Math.floor(random() * (options.maxStepMinutes ?? 90)));
    try {
      const result = await world.perform(move.type, move.data, timeFor(world, move, random, options.backdate ?? 0));
      performed[move.type] = (performed[move.type] ?? 0) + 1;
      done += 1;
      await options.onAct?.(result, move);
    } catch (error) {
      if (!refused(error)) throw error;
    }
  }
  return { performed };
}

function choose(ctx: ReturnType<typeof movesContext>, random: Random, options: HistoryOptions): Move | null {
  if (ctx.carriers.length < 6 || random() < 0.12) return registerMove(ctx, random);
  if (random() < (options.roleChanges ?? 0)) {
    const person = pick(random, ctx.pool);
    const officer = pick(random, ctx.withRole('security-officer'));
    if (!person || !officer) return null;
    const leader = person.roles.some((r) => r.role === 'leader');
    const roles = leader ? person.roles.filter((r) => r.role !== 'leader') : [...person.roles, { role: 'leader' as const }];
    return { type: 'ChangePersonRoles', data: { personId: person.id, roles, changedBy: officer.id }, carriers: [] };
  }
  if (random() < (options.policyChanges ?? 0)) return policyMove(ctx, random);
  const moves = random() < 0.6 ? custodyMoves(ctx, random) : otherMoves(ctx, random);
  return pick(random, moves)?.() ?? null;
}

/** Now, or a little earlier: never before the last event of a stream the act touches. */
function timeFor(world: World, move: Move, random: Random, backdate: number): IsoTime {
  const now = world.clock();
  // A policy is never adopted back over acts already recorded (R-POLICY).
  if (random() >= backdate || move.type === 'AdoptPolicy') return now;
  const streams = move.carriers.length > 0 ? move.carriers.map((id) => `carrier-${id}`) : [`person-${String(move.data['personId'])}`];
  const floor = Math.max(...streams.map((s) => Date.parse(world.ledger.model.heads.get(s)?.time ?? '1970-01-01T00:00:00.000Z')));
  const wanted = Date.parse(now) - Math.floor(random() * 120) * 60_000;
  return new Date(Math.max(wanted, floor)).toISOString();
}
