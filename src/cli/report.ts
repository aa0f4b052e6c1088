import { ApiProblem, ServerUnreachable, UnexpectedReply } from '../client/http.js';
import { ActTimeRefused, MissingSignatures, NotFound, RuleViolation, StaleAct, ValidationError } from '../domain/errors.js';
import { CliError, EXIT, type ExitCode } from './errors.js';

/**
 * Every failure, whatever layer it comes from, as a CliError with the exit code it means. The one
 * place where HTTP statuses and domain errors become exit codes.
 */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof ApiProblem) return fromProblem(error);
  if (error instanceof ServerUnreachable || error instanceof UnexpectedReply) return new CliError(EXIT.unavailable, error.message);
  // Local commands (init) run the ledger in-process and see its errors directly.
  if (error instanceof RuleViolation) return new CliError(EXIT.refused, stripRule(error.message, error.rule), { rule: error.rule });
  if (error instanceof ValidationError) return new CliError(EXIT.usage, error.message, { issues: error.issues });
  if (error instanceof NotFound) return new CliError(EXIT.notFound, error.message);
  if (error instanceof StaleAct || error instanceof ActTimeRefused || error instanceof MissingSignatures) {
    return new CliError(EXIT.refused, error.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(EXIT.unavailable, `unexpected failure: ${message}`);
}

function fromProblem(error: ApiProblem): CliError {
  const { problem, status } = error;
  const detail = problem.detail ?? problem.title ?? `HTTP ${status}`;
  const extra = {
    status,
    ...(problem.title ? { title: problem.title } : {}),
    ...(problem.rule ? { rule: problem.rule } : {}),
    ...(problem.issues ? { issues: problem.issues } : {}),
  };
  return new CliError(exitCodeForStatus(status), problem.rule ? stripRule(detail, problem.rule) : detail, extra);
}

export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404) return EXIT.notFound;
  // Malformed input, a body too large, a media type the server does not take: the request was wrong.
  if (status === 400 || status === 413 || status === 415) return EXIT.usage;
  if (status >= 500) return EXIT.unavailable;
  return EXIT.refused; // 409 stale head or conflict, 410 expired, 422 a rule refused
}

/** Messages often start with their rule id; it is printed once, in front. */
const stripRule = (message: string, rule: string): string =>
  message.startsWith(`${rule}: `) ? message.slice(rule.length + 2) : message;

const KIND: Record<ExitCode, string> = {
  0: 'ok',
  1: 'refused',
  2: 'usage',
  3: 'not-found',
  4: 'authentication',
  5: 'unavailable',
};

/** The error as `--json` prints it. */
export function errorJson(error: CliError): Record<string, unknown> {
  const { rule, issues, title, status } = error.extra;
  return {
    error: {
      exitCode: error.exitCode,
      kind: KIND[error.exitCode],
      message: error.message,
      ...(rule ? { rule } : {}),
      ...(title ? { title } : {}),
      ...(status ? { status } : {}),
      ...(issues ? { issues } : {}),
    },
  };
}

/** The error as a person reads it. */
export function errorLines(error: CliError, command: string): string[] {
  const { rule, issues, detail } = error.extra;
  const lead =
    error.exitCode === EXIT.refused
      ? `refused${rule ? ` by ${rule}` : ''}: `
      : error.exitCode === EXIT.notFound && !/not found/.test(error.message) // "not found" once
        ? 'not found: '
        : '';
  return [
    `custody${command ? ` ${command}` : ''}: ${lead}${error.message}`,
    ...(detail ?? (issues ?? []).map((i) => `  ${i.path.length > 0 ? i.path.join('.') : '(input)'}: ${i.message}`)),
  ];
}
