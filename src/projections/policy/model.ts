import { evolvePolicyHistory, policyInForce, type PolicyHistory } from '../../domain/policy/history.js';
import type { Policy } from '../../domain/policy/policy.js';
import type { IsoTime } from '../../domain/primitives.js';
import type { PolicyFact } from '../facts.js';
import type { PolicyAt } from '../time.js';

/**
 * The policy stream, folded: every adoption with its time. The WATCH rules and the loss deadlines
 * judge each act by the policy in force at its time (RULES.md, Policy); before the first adoption
 * that is the base the ledger was started with.
 */
export type PolicyModel = { history: PolicyHistory; base: PolicyAt };

export const createPolicyModel = (base: PolicyAt): PolicyModel => ({ history: [], base });

export function evolvePolicy(model: PolicyModel, fact: PolicyFact): void {
  model.history = evolvePolicyHistory(model.history, fact.event);
}

/** The policy in force at `time`: the latest adoption at or before it, else the base. */
export const policyAtOf =
  (model: PolicyModel): PolicyAt =>
  (time: IsoTime): Policy =>
    policyInForce(model.history, model.base(time), time);

export const snapshotPolicy = (model: PolicyModel) => model.history;
