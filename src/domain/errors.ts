/**
 * Every refusal the ledger makes is one of these. Lower layers throw them; only the HTTP edge and
 * the CLI translate them (to problem details, to exit codes).
 */

export const RULE_IDS = [
  'R-REG-1', 'R-REG-2', 'R-REG-3', 'R-REG-4',
  'R-HOLD-1', 'R-HOLD-2', 'R-HOLD-3', 'R-HOLD-4',
  'R-CIRC-1', 'R-CIRC-2', 'R-CIRC-3', 'R-CIRC-5',
  'R-COPY-1', 'R-COPY-2', 'R-COPY-3', 'R-COPY-4',
  'R-TRANSPORT-1', 'R-TRANSPORT-2', 'R-TRANSPORT-3', 'R-TRANSPORT-4',
  'R-LOAN-1', 'R-LOAN-2',
  'R-MEDIA-1', 'R-MEDIA-2',
  'R-INV-2',
  'R-LOSS-1', 'R-LOSS-2',
  'R-DESTROY-1', 'R-DESTROY-2', 'R-DESTROY-3', 'R-DESTROY-4',
  'R-BATCH-1',
  'L-1', 'L-2', 'L-3',
  // Not in RULES.md: the ledger's own bookkeeping (who may enrol people, lifecycle of a person;
  // who may adopt a policy, and that its versions only go up).
  'R-PERSON',
  'R-POLICY',
  // Not in RULES.md: the signers' times (src/domain/signed-time.ts). A signature carries its
  // signer's time; it lies between the act's preparation and its append, within the clock skew, and
  // a carrier's acts take effect in the order they were appended.
  'L-TIME',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** A MUST rule refused the command; nothing was appended. */
export class RuleViolation extends Error {
  override readonly name = 'RuleViolation';
  constructor(
    readonly rule: RuleId,
    message: string,
  ) {
    super(`${rule}: ${message}`);
  }
}

/** The command names a carrier or person the ledger does not know. */
export class NotFound extends Error {
  override readonly name = 'NotFound';
  constructor(
    readonly entity: 'carrier' | 'person' | 'act' | 'event' | 'checkpoint',
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
  }
}

export type ValidationIssue = { path: (string | number)[]; message: string; code: string };

/** Input that does not have the shape of a command, an act or a signature. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    message: string,
    readonly issues: ValidationIssue[] = [],
  ) {
    super(message);
  }
}

/** The act was prepared against a stream head that has since moved. */
export class StaleAct extends Error {
  override readonly name = 'StaleAct';
  constructor(
    readonly stream: string,
    readonly expectedRevision: number,
    readonly actualRevision: number,
  ) {
    super(`stale act: ${stream} was expected at revision ${expectedRevision} but is at ${actualRevision}`);
  }
}

/** A rule guard that reads as the rule: `require(ok, 'R-HOLD-2', 'why')`. */
export function require(condition: unknown, rule: RuleId, message: string): asserts condition {
  if (!condition) throw new RuleViolation(rule, message);
}

/**
 * The act's prepared time, or a signer's time, is outside what the ledger accepts now: in the
 * future, expired, before its stream's head, or a signature dated before the act was prepared (L-TIME).
 */
export class ActTimeRefused extends Error {
  override readonly name = 'ActTimeRefused';
  readonly rule: RuleId = 'L-TIME';
  constructor(
    readonly reason: 'future' | 'expired' | 'before-head' | 'signed-before-prepared' | 'signed-in-future',
    message: string,
  ) {
    super(message.startsWith('L-TIME: ') ? message : `L-TIME: ${message}`);
  }
}

/** The act lacks signatures of these signers; it can be appended once they sign (the co-signing inbox). */
export class MissingSignatures extends Error {
  override readonly name = 'MissingSignatures';
  constructor(readonly signers: string[]) {
    super(`missing signatures of ${signers.join(', ')}`);
  }
}
