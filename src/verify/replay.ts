import { carrierStream, type StoredEnvelope, type UnsignedAct } from '../domain/act.js';
import { DEFAULT_MAX_CLOCK_SKEW_MS, effectiveTimeOf, signedTimeProblem } from '../domain/signed-time.js';
import { canonicalJson } from '../domain/canonical.js';
import { carriersOf } from '../domain/carrier/targets.js';
import { RuleViolation } from '../domain/errors.js';
import { isPersonCommand, isPolicyCommand, LedgerCommand } from '../domain/ledger-command.js';
import { decideLedger, type LedgerDecision } from '../domain/ledger-decider.js';
import { defaultPolicy, type Policy } from '../domain/policy/policy.js';
import { createWriteModel, foldRecorded, holdingsOf, type WriteModel } from '../ledger/write-model.js';
import { issue, type Issue } from './issues.js';
import type { PreparedEvent } from './bundle/prepared.js';

/** Person commands whose rules look at what the person holds across all carriers (R-HOLD-2, R-HOLD-4). */
const NEEDS_ALL_HOLDINGS = new Set(['ChangePersonClearance', 'DeactivatePerson']);

export type ReplayContext = {
  ledgerId: string;
  /**
   * The policy the ledger ran on before any adoption recorded in its policy stream (which the replay
   * follows); undefined when the verifier does not know it (carrier acts are then not replayed).
   */
  policy: Policy | undefined;
  /** Every stream the bundle holds. */
  streams: ReadonlySet<string>;
  /** The whole ledger is here (a ledger bundle): every state any rule looks at is known. */
  complete: boolean;
  /** The clock skew the ledger allowed between its clock and its signers'; default: the ledger's default. */
  maxClockSkewMs?: number;
};

/**
 * Re-runs each act's command through the domain's deciders against the state just before it, as the
 * ledger did when it accepted the act, and checks the act holds exactly the events and signers the
 * rules decide. `events` are in global order. What the bundle lacks the state for is a notice, not
 * an issue.
 */
export function replayActs(events: readonly PreparedEvent[], context: ReplayContext): { issues: Issue[]; notices: Issue[] } {
  const model = createWriteModel();
  const issues: Issue[] = [];
  const notices: Issue[] = [];
  const replayed = new Set<string>();
  let preparedTimeActs = 0;
  for (const p of events) {
    const { envelope, actId } = p;
    if (!envelope || !actId) continue; // already reported as malformed
    if (!replayed.has(actId)) {
      replayed.add(actId);
      const where = { position: p.event.position, stream: p.event.stream, revision: p.event.revision };
      const recordedAt = p.record.metadata['recordedAt'];
      const timed = checkSignedTimes(envelope, typeof recordedAt === 'string' ? recordedAt : undefined, model, context);
      if (timed.rule === 'prepared-time') preparedTimeActs += 1;
      const outcome = timed.problem ?? replayAct(envelope.act, model, context);
      if (outcome.kind === 'issue') issues.push(issue(outcome.code, outcome.message, where));
      if (outcome.kind === 'notice') notices.push(issue('not-replayed', outcome.message, where));
    }
    try {
      foldRecorded(model, p.record);
    } catch {
      // An event whose act does not hold it: reported by the chain checks.
    }
  }
  if (preparedTimeActs > 0) notices.push(issue('prepared-time', preparedTimeMessage(preparedTimeActs)));
  return { issues, notices };
}

/** Said once per verification: how many acts took effect at their prepared time, and why. */
export const preparedTimeMessage = (count: number): string =>
  `${count} act${count === 1 ? '' : 's'} carry signatures without their signer's time (v1, an older ledger): ${count === 1 ? 'it takes' : 'they take'} effect at ${count === 1 ? 'its' : 'their'} prepared time`;

/**
 * The signers' times (L-TIME), as the ledger checked them on submission: each signed no earlier than
 * the act was prepared and no later than the ledger recorded it (each within the clock skew), and a
 * stream's acts take effect in the order they were appended.
 */
function checkSignedTimes(envelope: StoredEnvelope, recordedAt: string | undefined, model: WriteModel, context: ReplayContext): { rule: string; problem?: Outcome } {
  const { act, signatures } = envelope;
  const effective = effectiveTimeOf(act, signatures);
  const skewMs = context.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  const found = signedTimeProblem(act, signatures, skewMs, recordedAt);
  if (found) return { rule: effective.rule, problem: { kind: 'issue', code: 'time-order', message: found.message } };
  for (const event of act.events) {
    const head = model.heads.get(event.stream);
    if (head && effective.time < head.time) {
      const message = `L-TIME: the act took effect at ${effective.time}, before ${event.stream}'s previous act (${head.time})`;
      return { rule: effective.rule, problem: { kind: 'issue', code: 'time-order', message } };
    }
  }
  return { rule: effective.rule };
}

type Outcome = { kind: 'ok' } | { kind: 'notice'; message: string } | { kind: 'issue'; code: 'rule-violation' | 'replay-mismatch' | 'time-order' | 'wrong-ledger'; message: string };

function replayAct(act: UnsignedAct, model: WriteModel, context: ReplayContext): Outcome {
  if (act.ledger !== context.ledgerId) return { kind: 'issue', code: 'wrong-ledger', message: `the act was made for ledger ${act.ledger}, not ${context.ledgerId}` };
  for (const event of act.events) {
    const head = model.heads.get(event.stream);
    if (head && act.time < head.preparedTime) {
      return { kind: 'issue', code: 'time-order', message: `the act is dated ${act.time}, before ${event.stream}'s previous event (${head.preparedTime})` };
    }
  }
  const parsed = LedgerCommand.safeParse(act.command);
  if (!parsed.success) return { kind: 'issue', code: 'replay-mismatch', message: `its command is not a valid ${act.command.type} command` };
  const command = parsed.data;
  if (isPersonCommand(command)) {
    if (!context.complete && NEEDS_ALL_HOLDINGS.has(command.type)) {
      return { kind: 'notice', message: `${command.type} looks at every carrier ${command.data.personId} holds; only a whole-ledger bundle can replay it` };
    }
  } else if (isPolicyCommand(command)) {
    if (!context.policy) return { kind: 'ok' };
  } else {
    const absent = carriersOf(command).filter((id) => !context.streams.has(carrierStream(id)));
    if (!context.complete && absent.length > 0) {
      return { kind: 'notice', message: `${command.type} also covers ${absent.join(', ')}, whose streams this bundle does not hold; it was not replayed` };
    }
    if (!context.policy) return { kind: 'ok' }; // said once for the whole bundle by the caller
  }
  // Person acts are replayed whether or not the policy is known: their rules never read it.
  const basePolicy: Policy = context.policy ?? defaultPolicy;
  let decided: LedgerDecision;
  try {
    // The ledger's own decider, on the state just before the act, at the act's prepared time.
    decided = decideLedger(command, model, { now: act.time, basePolicy, holdingsOf: (id) => holdingsOf(model, id) });
  } catch (error) {
    if (error instanceof RuleViolation) return { kind: 'issue', code: 'rule-violation', message: `the rules refuse this act: ${error.message}` };
    return { kind: 'issue', code: 'replay-mismatch', message: `the rules refuse this act: ${(error as Error).message}` };
  }
  const recorded = act.events.map(({ stream, type, data }) => ({ stream, type, data }));
  if (canonicalJson(decided.events) !== canonicalJson(recorded)) {
    return { kind: 'issue', code: 'replay-mismatch', message: `the act's events are not what ${command.type} decides against the state before it` };
  }
  if (canonicalJson(decided.signers) !== canonicalJson(act.signers)) {
    return { kind: 'issue', code: 'replay-mismatch', message: `the act is signed by ${act.signers.join(', ')}, but ${command.type} needs ${decided.signers.join(', ')}` };
  }
  return { kind: 'ok' };
}
