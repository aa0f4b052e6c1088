import type { CustodyApi } from '../client/custody-api.js';
import { ApiProblem } from '../client/http.js';
import { checkCommand } from '../domain/describe/index.js';
import { actIdOf } from '../ledger/envelope.js';
import { signAct } from './act-file.js';
import type { Connection } from './connect.js';
import type { PendingJournal } from './import-journal.js';
import type { LoadedKey } from './key-file.js';
import type { RegisterRow } from './register-rows.js';

/** What became of one register line. */
export type RowOutcome =
  | { line: number; carrierId: string; status: 'imported'; actId: string }
  | { line: number; carrierId: string; status: 'pending'; actId: string; missing: string[] }
  | { line: number; carrierId: string; status: 'would-import'; signers: string[] }
  | { line: number; carrierId: string; status: 'skipped'; reason: string }
  | { line: number; carrierId: string; status: 'refused'; field?: string; rule?: string; message: string };

export type ImportContext = { connection: Connection; key: LoadedKey; clerk: string; dryRun: boolean; clock: () => string; journal: PendingJournal };

/**
 * One line through the same steps a clerk would take by hand: the fields checked against the
 * schema, the ledger asked whether the carrier is already there (skipped: a re-run resumes), the
 * server asked to prepare the act (its rules refuse without appending), then signed and submitted.
 * A dry run stops after prepare. A refusal of the line is an outcome; anything else (the server
 * gone, the login refused) is thrown and ends the import, which a re-run resumes.
 */
export async function importRow(row: RegisterRow, ctx: ImportContext): Promise<RowOutcome> {
  const { line, carrierId } = row;
  if (row.misshapen !== undefined) return { line, carrierId, status: 'refused', message: row.misshapen };
  const checked = checkCommand('RegisterCarrier', row.data);
  if (!checked.ok) {
    const first = checked.problems[0]!;
    const message = checked.problems.map((p) => p.message).join('; ');
    return { line, carrierId, status: 'refused', field: first.field, message };
  }
  if (await isRegistered(ctx.connection, carrierId)) return { line, carrierId, status: 'skipped', reason: 'already registered' };
  const waiting = await stillPending(ctx, carrierId);
  if (waiting !== undefined) return { line, carrierId, status: 'skipped', reason: waiting };
  const command = checked.command;
  try {
    const prepared = await ctx.connection.call((api: CustodyApi) => api.prepare(command));
    const signers = prepared.act.signers;
    if (ctx.dryRun) return { line, carrierId, status: 'would-import', signers };
    const { signed } = signAct({ act: prepared.act, signatures: [] }, ctx.clerk, ctx.key, ctx.clock());
    const outcome = await ctx.connection.call((api: CustodyApi) => api.submit(signed));
    const actId = actIdOf(signed.act);
    if (outcome.status === 'appended') return { line, carrierId, status: 'imported', actId };
    await ctx.journal.record(carrierId, actId);
    return { line, carrierId, status: 'pending', actId, missing: outcome.missing };
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal === undefined) throw error;
    if (refusal.rule === 'R-REG-1' && /already registered/.test(refusal.message)) {
      return { line, carrierId, status: 'skipped', reason: 'already registered' };
    }
    return { line, carrierId, status: 'refused', ...refusal };
  }
}

/** Why a line imported before still waits (the holder has not signed yet), or undefined when it should be imported again. */
async function stillPending(ctx: ImportContext, carrierId: string): Promise<string | undefined> {
  const actId = ctx.journal.actOf(carrierId);
  if (actId === undefined) return undefined;
  try {
    const act = await ctx.connection.call((api: CustodyApi) => api.act(actId));
    if (act['status'] !== 'pending') return undefined; // declined, expired or stale: register it afresh
    return `waiting for the signature of ${(act.missing ?? []).join(', ')} (act ${actId.slice(0, 12)})`;
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 404) return undefined;
    throw error;
  }
}

async function isRegistered(connection: Connection, carrierId: string): Promise<boolean> {
  try {
    await connection.call((api: CustodyApi) => api.carrier(carrierId));
    return true;
  } catch (error) {
    // Not found, or not visible to this clerk: prepare will tell (R-REG-1 when it exists).
    if (error instanceof ApiProblem && (error.status === 404 || error.status === 403)) return false;
    throw error;
  }
}

/** A refusal of this line by the ledger (a rule, a bad field, an unknown person); undefined for anything that ends the import. */
function refusalOf(error: unknown): { rule?: string; field?: string; message: string } | undefined {
  if (!(error instanceof ApiProblem)) return undefined;
  if (![400, 404, 409, 410, 422].includes(error.status)) return undefined;
  const { problem } = error;
  const detail = problem.detail ?? problem.title ?? `HTTP ${error.status}`;
  const rule = problem.rule;
  const message = rule !== undefined && detail.startsWith(`${rule}: `) ? detail.slice(rule.length + 2) : detail;
  const issue = problem.issues?.[0];
  const field = issue === undefined ? undefined : issue.path.map(String).join('.');
  return { message, ...(rule === undefined ? {} : { rule }), ...(field ? { field } : {}) };
}
