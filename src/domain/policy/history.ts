import type { IsoTime, PersonId } from '../primitives.js';
import type { PolicyEvent } from './events.js';
import type { Policy } from './policy.js';

/** The ledger's one policy stream: every adoption, in order. */
export const POLICY_STREAM = 'ledger-policy';

export type PolicyAdoption = { from: IsoTime; policy: Policy; adoptedBy: PersonId };

/**
 * Every policy the ledger has recorded, oldest first. Before the first of them the ledger ran on its
 * base policy (the seed default, unless the operator started it with another), which is not an
 * event: it is what the ledger was configured with before anyone changed it.
 */
export type PolicyHistory = readonly PolicyAdoption[];

export const initialPolicyHistory: PolicyHistory = [];

/** Folds one recorded policy event. Pure; `time` is the act's time, from which the policy is in force. */
export function evolvePolicyHistory(history: PolicyHistory, event: PolicyEvent & { time: IsoTime }): PolicyHistory {
  return [...history, { from: event.time, policy: event.data.policy, adoptedBy: event.data.adoptedBy }];
}

/**
 * The policy in force at `time`: the latest adopted at or before it, else the base. An act at the
 * very instant of an adoption is judged by the new policy. Times are ISO strings of one format
 * (UTC, milliseconds), so they compare as text.
 */
export function policyInForce(history: PolicyHistory, base: Policy, time: IsoTime): Policy {
  let low = 0;
  let high = history.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (history[middle]!.from <= time) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? base : history[low - 1]!.policy;
}
