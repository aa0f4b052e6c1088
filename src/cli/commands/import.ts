import { parseCommandArgs, positionalsOf, required, idArg } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { openPendingJournal } from '../import-journal.js';
import { CsvError, parseCsv } from '../csv.js';
import { CliError, EXIT, usageError } from '../errors.js';
import { readText, resolvePath } from '../files.js';
import { table } from '../format.js';
import { writeJson, writeLines, type CliIo } from '../io.js';
import { readKeyFile } from '../key-file.js';
import { shortId } from '../outcome.js';
import { progressMeter } from '../progress.js';
import { importRow, type RowOutcome } from '../register-import.js';
import { columnsOf, registerData, REGISTER_COLUMNS, type RegisterRow } from '../register-rows.js';
import { toCliError } from '../report.js';

const options = {
  registry: { type: 'string' },
  key: { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

export const importRegister: Command = {
  name: 'import',
  summary: 'import an existing register (a CSV file) as RegisterCarrier acts',
  usage: `Usage: custody import <register.csv> --registry <registry> --key <key-file> [--dry-run] [--json]

Enters every line of a paper or spreadsheet register (CSV, first line the column names) as a
RegisterCarrier act, registered by the logged-in clerk and signed with <key-file>. When the rules
need the holder's signature too, the act waits in the holder's inbox (custody inbox) until they sign.

Columns (case, spaces and dashes do not matter; empty cells count as missing):
  number          the carrier's id          originator  who issued it
  title           what it is called         reference   the originator's reference
  classification  e.g. secret               copy number which numbered copy (1, 2, ...)
  kind            document, disk or draft   items       items or pages
  holder          who holds it now          location    where it is kept

It can be run again: carriers already registered are skipped, so an interrupted import resumes.
Acts left waiting for a holder are listed in <register.csv>.pending.json, so a re-run does not put
a second copy in the holder's inbox while the first still waits.
Progress (rows, rate, time left) goes to stderr.

Options:
  --registry <id>  the registry whose book this is (description.registry)
  --key <file>     the importing clerk's key file
  --dry-run        check every line (fields, then the ledger's rules) and append nothing
  --json           print { dryRun, total, imported, pending, skipped, refused, rows }

Exit 0 when every line was imported, is pending or was skipped; 1 when any line was refused (each
is listed with its line number and the field or rule); 2 for a usage error or a malformed file.`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    const [path] = positionalsOf(positionals, ['register.csv']);
    const registry = idArg(required(values.registry, '--registry <registry>'), 'registry');
    const keyFile = resolvePath(io, required(values.key, '--key <key-file>'));
    const dryRun = values['dry-run'] === true;
    const file = resolvePath(io, path!);
    const records = parseRecords(await readText(file), file);
    const [header, ...lines] = records;
    if (header === undefined) throw usageError(`${file} is empty: expected a header line (${REGISTER_COLUMNS.map((c) => c.names[0]).join(',')})`);
    const columns = columnsOf(header);

    const connection = await connect(io);
    const key = await readKeyFile(io, keyFile);
    const clerk = connection.session.personId;
    if (key.personId !== undefined && key.personId !== clerk) {
      throw usageError(`${keyFile} is the key of ${key.personId}, but ${clerk} is logged in: log in as the importing clerk`);
    }
    const journal = await openPendingJournal(file);
    const ctx = { connection, key, clerk, dryRun, journal, clock: io.clock ?? (() => new Date().toISOString()) };
    const meter = values.json ? undefined : progressMeter(io.stderr, lines.length, dryRun ? 'checked' : 'imported');
    const rows = withDuplicatesRefused(lines.map((record) => registerData(record, columns, registry, clerk)));
    let done = 0;
    const outcomes = await inParallel(rows, IN_FLIGHT, async (row) => {
      const outcome = 'status' in row ? row : await importRow(row, ctx).catch((error: unknown) => Promise.reject(stoppedAt(row.line, error)));
      meter?.tick(++done);
      return outcome;
    });
    const summary = summarise(outcomes);
    if (values.json) writeJson(io, { dryRun, ...summary, rows: outcomes });
    else writeLines(io.stdout, ...describeSummary(summary, outcomes, dryRun));
    return summary.refused > 0 ? EXIT.refused : EXIT.ok;
  },
};

function parseRecords(text: string, file: string) {
  try {
    return parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError) throw new CliError(EXIT.usage, `${file}: ${error.message}; nothing was imported`);
    throw error;
  }
}

/**
 * Lines in flight at once: each waits mostly on the server's durable append, and the server commits
 * concurrent appends together. Every line names its own new carrier, so they do not contend.
 */
const IN_FLIGHT = 8;

/** Runs `work` over `items` with at most `limit` at once; results in the items' order. The first failure ends it. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A number twice in one register is a mistake in the book, not a carrier to skip the second time. */
function withDuplicatesRefused(rows: RegisterRow[]): Array<RegisterRow | RowOutcome> {
  const firstLine = new Map<string, number>();
  return rows.map((row) => {
    if (row.carrierId === '') return row;
    const first = firstLine.get(row.carrierId);
    if (first === undefined) {
      firstLine.set(row.carrierId, row.line);
      return row;
    }
    return { line: row.line, carrierId: row.carrierId, status: 'refused', field: 'carrierId', message: `number ${row.carrierId} is already on line ${first} of this register` };
  });
}

/** The import ends (server gone, login refused): say where, and that running it again goes on from there. */
function stoppedAt(line: number, error: unknown): CliError {
  const cause = toCliError(error);
  return new CliError(cause.exitCode, `stopped at line ${line}: ${cause.message} (lines done so far are recorded; run the same command again to go on)`, cause.extra);
}

type Summary = { total: number; imported: number; pending: number; wouldImport: number; skipped: number; refused: number };

function summarise(outcomes: RowOutcome[]): Summary {
  const count = (status: RowOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  return { total: outcomes.length, imported: count('imported'), pending: count('pending'), wouldImport: count('would-import'), skipped: count('skipped'), refused: count('refused') };
}

const carriers = (n: number) => `${n} carrier${n === 1 ? '' : 's'}`;

function describeSummary(s: Summary, outcomes: RowOutcome[], dryRun: boolean): string[] {
  const lines = dryRun
    ? [`Dry run: ${carriers(s.wouldImport)} would be imported, ${s.skipped} skipped (already registered or waiting), ${s.refused} refused; nothing was appended.`]
    : [`Imported ${carriers(s.imported + s.pending)}${s.pending > 0 ? ` (${s.pending} waiting for the holder's signature: custody inbox)` : ''}, ${s.skipped} skipped (already registered or waiting), ${s.refused} refused.`];
  const pending = outcomes.flatMap((o) => (o.status === 'pending' ? [[String(o.line), o.carrierId, shortId(o.actId), o.missing.join(', ')]] : []));
  if (pending.length > 0) lines.push('', 'Waiting for signatures:', ...table(['LINE', 'CARRIER', 'ACT', 'TO SIGN'], pending).map((l) => `  ${l}`));
  const refused = outcomes.flatMap((o) => (o.status === 'refused' ? [[String(o.line), o.carrierId || '-', o.rule ?? o.field ?? '-', o.message]] : []));
  if (refused.length > 0) {
    lines.push('', dryRun ? 'Would be refused:' : 'Refused (fix these lines and run the same command again):', ...table(['LINE', 'CARRIER', 'RULE/FIELD', 'WHY'], refused).map((l) => `  ${l}`));
  }
  return lines;
}
