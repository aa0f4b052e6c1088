import type { VerificationIssue } from '../ledger/verify-stream.js';

/**
 * What verification finds, as data (zod-style): one entry per broken link, bad signature or failed
 * proof, each naming the event by stream, revision and global position where there is one.
 * `issues` make a verification fail; `notices` say what could not be checked (a single-carrier bundle
 * cannot replay an act over carriers it does not contain) and do not.
 */
export type IssueCode =
  | VerificationIssue['code']
  | 'malformed-bundle'
  | 'malformed-checkpoint'
  | 'untrusted-checkpoint'
  | 'bad-checkpoint-signature'
  | 'wrong-ledger'
  | 'witness-quorum'
  | 'bad-cosignature'
  | 'fork'
  | 'rollback'
  | 'unproven-known'
  | 'inconsistent-checkpoints'
  | 'inclusion-failed'
  | 'root-mismatch'
  | 'heads-mismatch'
  | 'truncated-stream'
  | 'missing-stream'
  | 'missing-events'
  | 'out-of-order'
  | 'rule-violation'
  | 'replay-mismatch'
  | 'time-order'
  | 'not-replayed'
  /** A notice: acts with v1 signatures (no signer's time) took effect at their prepared time. */
  | 'prepared-time'
  | 'unchecked-checkpoint'
  | 'unverified-tail';

export type Issue = {
  code: IssueCode;
  /** Global position of the event in the ledger; null when the issue is not about one event. */
  position: number | null;
  stream?: string;
  revision?: number;
  message: string;
};

export type VerificationReport = {
  ok: boolean;
  issues: Issue[];
  notices: Issue[];
  /** What was checked, for the verdict line. */
  summary: { events: number; streams: number; signatures: number; checkpointSize: number | null; witnesses: string[] };
};

export function issue(code: IssueCode, message: string, at: { position?: number | null; stream?: string; revision?: number } = {}): Issue {
  return {
    code,
    position: at.position ?? null,
    ...(at.stream === undefined ? {} : { stream: at.stream }),
    ...(at.revision === undefined ? {} : { revision: at.revision }),
    message,
  };
}

/**
 * "revision 2 of carrier-C1 is missing", "revisions 2..4 of carrier-C1 are missing"; a stream that
 * goes back (`to` < `from`: revision 0 again after 4) is said as such, never as "revisions 5..-1".
 */
export function missingRevisions(stream: string, from: number, to: number): string {
  if (to < from) return `${stream} goes back to revision ${to + 1} after revision ${from - 1}: a revision repeats or is out of order`;
  return from === to ? `revision ${from} of ${stream} is missing` : `revisions ${from}..${to} of ${stream} are missing`;
}

/** One line per issue: `code  stream@revision (position p): message`. */
export function formatIssue(found: Issue): string {
  const where = found.stream === undefined ? '' : ` ${found.stream}${found.revision === undefined ? '' : `@${found.revision}`}`;
  const position = found.position === null ? '' : ` (position ${found.position})`;
  return `${found.code}${where}${position}: ${found.message}`;
}
