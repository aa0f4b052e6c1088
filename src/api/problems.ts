import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from '@hono/zod-openapi';
import {
  ActTimeRefused,
  MissingSignatures,
  NotFound,
  RuleViolation,
  StaleAct,
  ValidationError,
  type ValidationIssue,
} from '../domain/errors.js';
import { ConcurrencyError } from '../store/port.js';
import { StoreUnavailable, type UnavailableReason } from '../store/unavailable.js';
import { ActNotPending, NotASigner } from '../inbox/errors.js';
import { CheckpointRefused } from '../verify/checkpoint/checkpointer.js';
import { UnhashedEvent } from '../verify/checkpoint/log.js';
import { ProjectionError, ProjectionLag } from '../projections/index.js';

/**
 * The one error shape of the API: RFC 9457 problem details, with our members `rule` (the rule a
 * refusal names) and `issues` (one per malformed field). Every refusal, whatever layer raised it, is
 * turned into one here, and only here.
 */

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

export const Problem = z
  .object({
    type: z.string().openapi({ example: 'urn:custody-ledger:problem:rule-violation' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    rule: z.string().optional().openapi({ example: 'R-HOLD-2' }),
    issues: z
      .array(z.object({ path: z.array(z.union([z.string(), z.number()])), code: z.string(), message: z.string() }))
      .optional(),
    reason: z
      .string()
      .optional()
      .openapi({ description: 'Why an act time was refused, why an act is no longer pending, or why a checkpoint was refused' }),
  })
  .openapi('Problem');
export type Problem = z.infer<typeof Problem>;

const KINDS = {
  'malformed-json': [400, 'Malformed JSON'],
  'malformed-request': [400, 'Malformed request'],
  'invalid-input': [400, 'Invalid input'],
  unauthorized: [401, 'Unauthorized'],
  forbidden: [403, 'Forbidden'],
  'not-found': [404, 'Not found'],
  'stale-act': [409, 'Stale act'],
  concurrency: [409, 'Concurrent change'],
  'act-not-pending': [409, 'Act no longer pending'],
  'checkpoint-refused': [409, 'Checkpoint refused'],
  'request-timeout': [408, 'Request timeout'],
  'payload-too-large': [413, 'Payload too large'],
  'unsupported-media-type': [415, 'Unsupported media type'],
  'rule-violation': [422, 'Rule violation'],
  'too-many-requests': [429, 'Too many requests'],
  'headers-too-large': [431, 'Request header fields too large'],
  'act-time-refused': [422, 'Act time refused'],
  'missing-signatures': [422, 'Missing signatures'],
  'not-ready': [503, 'Not ready'],
  'store-unavailable': [503, 'Ledger cannot record now'],
  'history-changed': [500, 'Recorded history changed'],
  internal: [500, 'Internal server error'],
} as const satisfies Record<string, readonly [number, string]>;
export type ProblemKind = keyof typeof KINDS;

export function problem(kind: ProblemKind, detail: string, extra: Partial<Problem> = {}): Problem {
  const [status, title] = KINDS[kind];
  return { type: `urn:custody-ledger:problem:${kind}`, title, status, detail, ...extra };
}

/** A refusal the HTTP edge itself makes (authentication, permission): lower layers never throw it. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly kind: ProblemKind,
    detail: string,
    /** Headers the answer carries beside the problem (Retry-After of a 429). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const unauthorized = (detail = 'a valid bearer token is required (POST /auth/challenge, then /auth/token)') =>
  new HttpProblem('unauthorized', detail);
export const forbidden = (detail: string) => new HttpProblem('forbidden', detail);

export const invalidInput = (detail: string, issues: ValidationIssue[]): Problem =>
  problem('invalid-input', detail, { issues });

/** Every error, known or not, as a problem. Unknown errors say nothing about their insides. */
export function problemFor(error: unknown): Problem {
  if (error instanceof HttpProblem) return problem(error.kind, error.message);
  if (error instanceof ValidationError) return invalidInput(error.message, error.issues);
  if (error instanceof NotFound) return problem('not-found', error.message);
  if (error instanceof NotASigner) return problem('forbidden', error.message);
  if (error instanceof StaleAct) return problem('stale-act', error.message);
  if (error instanceof ConcurrencyError) {
    return problem('concurrency', `${error.stream} changed while this act was being appended; prepare it again`);
  }
  if (error instanceof ActNotPending) return problem('act-not-pending', error.message, { reason: error.status });
  if (error instanceof RuleViolation) return problem('rule-violation', error.message, { rule: error.rule });
  if (error instanceof ActTimeRefused) return problem('act-time-refused', error.message, { reason: error.reason, rule: error.rule });
  if (error instanceof MissingSignatures) return problem('missing-signatures', error.message, { rule: 'L-2' });
  if (error instanceof CheckpointRefused) return checkpointProblem(error);
  if (error instanceof UnhashedEvent) {
    return problem('history-changed', `${error.message}: it was written around the ledger or edited; the ledger signs no checkpoint over it`);
  }
  if (error instanceof StoreUnavailable) return storeUnavailableProblem(error.reason);
  if (error instanceof ProjectionLag) return problem('not-ready', `${error.message}; retry shortly`);
  if (error instanceof ProjectionError) {
    return problem('internal', 'the read models stopped following the ledger; the error was logged');
  }
  if (error instanceof HTTPException) return fromHttpException(error);
  return problem('internal', 'the server could not complete the request; the error was logged');
}

/**
 * The checkpointer refuses to sign what does not extend what it signed before. Events that no longer
 * match a signed checkpoint (`inconsistent`), fewer events than one covers (`truncated`) or a
 * checkpoint stream that does not verify mean recorded history was changed under the ledger: a
 * server-side failure to investigate (500, logged), not a request to retry. A cosignature by no
 * configured witness (`wrong-key`) is the caller's to fix (409).
 */
function checkpointProblem(error: CheckpointRefused): Problem {
  if (error.reason === 'wrong-key') return problem('checkpoint-refused', error.message, { reason: error.reason });
  return problem('history-changed', `the recorded history was changed, so the ledger refuses to sign: ${error.message}`, { reason: error.reason });
}

/** Why the ledger cannot record, in words for a caller: the file's name and the system's message go to the log only. */
export const UNAVAILABLE_WHY: Record<UnavailableReason, string> = {
  locked: "another process holds the ledger's write lock",
  'read-only': "the ledger's files cannot be written (read-only)",
  'disk-full': 'the disk holding the ledger is (nearly) full',
  'io-error': 'the disk reported an input/output error',
};

/**
 * A write the store could not take. Its fate is known, and said, except after an I/O error during a
 * commit; either way the same signed act may be submitted again: the ledger records it once.
 */
function storeUnavailableProblem(reason: UnavailableReason): Problem {
  const fate = reason === 'io-error' ? 'it may or may not have been written' : 'nothing was written';
  return problem('store-unavailable', `${fate}: ${UNAVAILABLE_WHY[reason]}; submitting the same signed act again later is safe (it is recorded once)`, {
    reason,
  });
}

/** Seconds to wait before retrying a 503: a lock passes by itself, a full or read-only disk needs someone to act. */
function retryAfterOf(p: Problem): string {
  return p.reason === 'disk-full' || p.reason === 'read-only' ? '60' : '5';
}

/** hono's own refusals: a body that is not JSON, too large, or of another media type. */
function fromHttpException(error: HTTPException): Problem {
  switch (error.status) {
    case 400:
      return problem('malformed-json', 'the request body is not valid JSON');
    case 413:
      return problem('payload-too-large', 'the request body is larger than 1 MiB');
    case 415:
      return problem('unsupported-media-type', 'send the request body as application/json');
    case 401:
      return problem('unauthorized', error.message);
    default:
      return error.status >= 500
        ? problem('internal', 'the server could not complete the request; the error was logged')
        : { ...problem('invalid-input', error.message), status: error.status, title: error.message };
  }
}

export function problemResponse(p: Problem, extraHeaders: Record<string, string> = {}): Response {
  const headers: Record<string, string> = { ...extraHeaders, 'content-type': PROBLEM_MEDIA_TYPE };
  if (p.status === 401) headers['www-authenticate'] = 'Bearer';
  // Not ready is a state that passes (the server is opening its ledger, or the store is away).
  if (p.status === 503) headers['retry-after'] = retryAfterOf(p);
  // The body was not read: the connection cannot carry another request, and says so instead of
  // promising keep-alive and then closing under the client's next request.
  if (p.status === 413) headers['connection'] = 'close';
  return new Response(JSON.stringify(p), { status: p.status, headers });
}

/** `app.onError`: the single place errors become responses. */
export function errorHandler(log: (error: unknown) => void) {
  return (error: unknown, _c: Context): Response => {
    const p = problemFor(error);
    if (p.status >= 500) log(error);
    return problemResponse(p, error instanceof HttpProblem ? error.headers : {});
  };
}

/** The validation hook every route uses: a failed zod parse is a 400 naming each field. */
export function validationHook(result: { success: true } | { success: false; error: z.ZodError; target?: string }) {
  if (result.success) return undefined;
  const where = result.target === 'json' ? 'request body' : result.target === 'param' ? 'path' : (result.target ?? 'request');
  return problemResponse(
    invalidInput(
      `invalid ${where}`,
      result.error.issues.map((issue) => ({
        path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        code: issue.code,
        message: issue.message,
      })),
    ),
  );
}
