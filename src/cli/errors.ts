/**
 * Exit codes and the one error type commands throw. Every failure a user can cause ends here as
 * a message naming the field, file or rule, never as a stack trace.
 */

export const EXIT = {
  ok: 0,
  /** The ledger (or a local safety check) refused: a rule, a stale head, a bad signature. */
  refused: 1,
  /** Bad flags, arguments or command data. */
  usage: 2,
  notFound: 3,
  /** Not logged in, the session expired, the key was not accepted, or not allowed (403). */
  auth: 4,
  /** The server cannot be reached or failed, or a local file cannot be read or written. */
  unavailable: 5,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODE_HELP = [
  'Exit codes:',
  '  0  done (also when an act is pending: it waits for more signatures, and who is named)',
  '  1  refused by the ledger or a local safety check (the rule id and the reason are printed)',
  '  2  usage error: unknown command, bad flags or arguments, command data the ledger cannot parse',
  '  3  not found: no such carrier, person or act (or you may not see it)',
  '  4  authentication: not logged in, session expired, key not accepted, or not allowed to do this',
  '     (only an act\'s signers may submit it, sign it in the inbox or decline it)',
  '  5  cannot reach the server, server error, or a local file cannot be read or written',
].join('\n');

export type Issue = { path: (string | number)[]; message: string; code?: string };

/**
 * A failure with the exit code it means. `rule` names the rule that refused, `issues` the bad fields;
 * `detail`, when given, is what a person reads in place of the issues (they stay in --json).
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    readonly extra: { rule?: string; issues?: Issue[]; title?: string; status?: number; showUsage?: boolean; detail?: string[] } = {},
  ) {
    super(message);
  }
}

export const usageError = (message: string, issues?: Issue[]): CliError =>
  new CliError(EXIT.usage, message, { showUsage: issues === undefined, ...(issues ? { issues } : {}) });

export const refused = (rule: string | undefined, message: string): CliError =>
  new CliError(EXIT.refused, message, rule === undefined ? {} : { rule });

/** A file that cannot be read or written: exit 5, naming the file and what the system said. */
export function fileError(action: 'read' | 'write', file: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : String((error as Error)?.message ?? error);
  return new CliError(EXIT.unavailable, `cannot ${action} ${file}: ${reason}`);
}
