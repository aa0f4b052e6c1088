import { carrierStream, personStream, signerList, type StreamName } from './act.js';
import type { CarrierCommand } from './carrier/commands.js';
import type { PersonCommand } from './person/commands.js';
import type { PolicyCommand } from './policy/commands.js';
import { decideCarrier } from './carrier/decide.js';
import { initialCarrierState, type CarrierState } from './carrier/state.js';
import { carriersOf, signersOf } from './carrier/targets.js';
import { isPersonCommand, isPolicyCommand, type LedgerCommand } from './ledger-command.js';
import { decidePerson, signersOfPersonCommand } from './person/decide.js';
import { initialPersonState, type PersonDirectory, type PersonState } from './person/state.js';
import { decidePolicy, signersOfPolicyCommand } from './policy/decide.js';
import { POLICY_STREAM, policyInForce, type PolicyHistory } from './policy/history.js';
import type { Policy } from './policy/policy.js';
import type { Classification, IsoTime, PersonId } from './primitives.js';

/**
 * The one decider of the ledger: a command, against the ledger's state before it, gives who must
 * sign and the events to append, one per stream. The ledger calls it to prepare an act and again to
 * check a submitted one; the offline verifier calls it to replay every recorded act. Two dispatches
 * would be two ledgers: a valid ledger failing verification, or a forged one passing.
 * Pure: the state, the time and the policy come in; refusals are thrown RuleViolations.
 */

/** What the deciders read: every carrier, every person, who is active, every policy adopted. */
export type LedgerState = {
  carriers: ReadonlyMap<string, CarrierState>;
  persons: ReadonlyMap<string, PersonState>;
  /** Active persons only. */
  directory: PersonDirectory;
  policies: PolicyHistory;
  /** The latest time an act took effect: a policy is never adopted back over it (R-POLICY). */
  latestActTime: IsoTime | null;
};

export type LedgerContext = {
  /** The act's (prepared) time: it is decided, and judged by the policy in force, as of then. */
  now: IsoTime;
  /** The policy before any adoption recorded in the policy stream. */
  basePolicy: Policy;
  /** What a person holds across all carriers (R-HOLD-2, R-HOLD-4). */
  holdingsOf: (personId: string) => Array<{ carrierId: string; classification: Classification }>;
};

export type LedgerEvent = { stream: StreamName; type: string; data: Record<string, unknown> };
export type LedgerDecision = { signers: PersonId[]; events: LedgerEvent[] };

export function decideLedger(command: LedgerCommand, state: LedgerState, ctx: LedgerContext): LedgerDecision {
  const decision = isPersonCommand(command)
    ? decidePersonCommand(command, state, ctx)
    : isPolicyCommand(command)
      ? decidePolicyCommand(command, state, ctx)
      : decideCarrierCommand(command, state, ctx);
  // One event per stream: an act is appended at each stream's next revision, once.
  const streams = new Set(decision.events.map((e) => e.stream));
  if (streams.size !== decision.events.length) throw new Error(`${command.type} decided two events for one stream`);
  return { signers: signerList(decision.signers), events: decision.events };
}

function decidePersonCommand(command: PersonCommand, state: LedgerState, ctx: LedgerContext): LedgerDecision {
  const { personId } = command.data;
  const events = decidePerson(command, state.persons.get(personId) ?? initialPersonState(), {
    now: ctx.now,
    persons: state.directory,
    holdingsOf: ctx.holdingsOf,
  });
  return {
    signers: signersOfPersonCommand(command),
    events: events.map((e): LedgerEvent => ({ stream: personStream(personId), type: e.type, data: e.data as Record<string, unknown> })),
  };
}

function decidePolicyCommand(command: PolicyCommand, state: LedgerState, ctx: LedgerContext): LedgerDecision {
  const context = { now: ctx.now, persons: state.directory, base: ctx.basePolicy, latestActTime: state.latestActTime };
  return {
    signers: signersOfPolicyCommand(command),
    events: decidePolicy(command, state.policies, context).map((e): LedgerEvent => ({ stream: POLICY_STREAM, type: e.type, data: e.data as Record<string, unknown> })),
  };
}

/** Judged by the policy in force at the act's time, however late it is submitted. */
function decideCarrierCommand(command: CarrierCommand, state: LedgerState, ctx: LedgerContext): LedgerDecision {
  const states = new Map<string, CarrierState>(carriersOf(command).map((id) => [id, state.carriers.get(id) ?? initialCarrierState()]));
  const policy = policyInForce(state.policies, ctx.basePolicy, ctx.now);
  const decision = decideCarrier(command, states, { now: ctx.now, policy, persons: state.directory });
  return {
    signers: signersOf(command),
    events: decision.map(({ carrierId, event }): LedgerEvent => ({ stream: carrierStream(carrierId), type: event.type, data: event.data as Record<string, unknown> })),
  };
}
