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
 * The adoption in force at `time`: the latest at or before it, undefined before the first. An act
 * at the very instant of an adoption is judged by the new policy. Times are ISO strings of one
 * format (UTC, milliseconds), so they compare as text.
 */
export function adoptionAt(history: PolicyHistory, time: IsoTime): PolicyAdoption | undefined {
  let low = 0;
  let high = history.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (history[middle]!.from <= time) low = middle + 1;
    else high = middle;
  }
  return history[low - 1];
}

/** The policy in force at `time`: the adoption in force then, else the base. */
export const policyInForce = (history: PolicyHistory, base: Policy, time: IsoTime): Policy => adoptionAt(history, time)?.policy ?? base;
