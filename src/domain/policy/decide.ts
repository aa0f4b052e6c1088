import { require } from '../errors.js';
import type { IsoTime, PersonId } from '../primitives.js';
import { hasRole, type PersonDirectory } from '../person/state.js';
import type { PolicyCommand } from './commands.js';
import type { PolicyEvent } from './events.js';
import { policyInForce, type PolicyHistory } from './history.js';
import type { Policy } from './policy.js';

export type PolicyContext = {
  /** The act's time: the new policy is in force from it on. */
  now: IsoTime;
  persons: PersonDirectory;
  /** What the ledger ran on before any recorded adoption. */
  base: Policy;
  /** The latest act time already in the ledger: acts up to it were decided by the policy then in force. */
  latestActTime: IsoTime | null;
};

/**
 * R-POLICY (not in RULES.md, which asks only that the policy be versioned and recorded): a security
 * officer adopts it; versions only go up, so "policy X version N" names one set of thresholds for
 * good; and it is in force from its act's time on, never over acts already recorded.
 */
export function decidePolicy(command: PolicyCommand, history: PolicyHistory, ctx: PolicyContext): PolicyEvent[] {
  const { policy, adoptedBy } = command.data;
  const person = ctx.persons.get(adoptedBy);
  require(person && person.status === 'active', 'R-POLICY', `${adoptedBy} is not an enrolled, active person`);
  require(hasRole(person, 'security-officer'), 'R-POLICY', `${adoptedBy} is not a security officer; only a security officer adopts the policy`);
  require(
    ctx.latestActTime === null || ctx.now >= ctx.latestActTime,
    'R-POLICY',
    `the ledger already holds an act dated ${ctx.latestActTime}, which the policy of its time judged; a policy adopted at ${ctx.now} would reach back over it (prepare the adoption again)`,
  );
  const current = policyInForce(history, ctx.base, ctx.now);
  require(
    policy.version > current.version,
    'R-POLICY',
    `the policy in force is ${current.name} version ${current.version}; a new one needs a higher version, not ${policy.version}`,
  );
  return [{ type: 'PolicyAdopted', data: { policy, adoptedBy } }];
}

export const signersOfPolicyCommand = (command: PolicyCommand): PersonId[] => [command.data.adoptedBy];
