import { appendFileSync, chmodSync, copyFileSync, existsSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { parseCommandArgs, positionalsOf, required } from '../args.js';
import type { Command } from '../command.js';
import { BackupManifest, checkpointSizeOf, describeLedgerFile, inboxBackupPathOf, manifestPathOf, sha256OfFile } from '../backup-file.js';
import { CliError, EXIT, refused } from '../errors.js';
import { readJsonFile, readText, resolvePath } from '../files.js';
import { writeJson, writeLines } from '../io.js';
import { keysOf } from '../trusted-keys.js';
import { createPrivateFile } from '../../store/file-modes.js';
import { inboxPathFor, ledgerKeyPathFor } from '../../server/home.js';
import { ledgerStatePathFor, readLedgerState, writeLedgerState } from '../../server/ledger-state.js';
import { formatIssue } from '../../verify/issues.js';
import { verifyLedgerFile } from '../../verify/ledger/verify-ledger.js';

const options = {
  from: { type: 'string' },
  db: { type: 'string' },
  trust: { type: 'string' },
  known: { type: 'string' },
  'allow-rollback': { type: 'string' },
  workers: { type: 'string' },
} as const;

export const restore: Command = {
  name: 'restore',
  summary: 'put a backup back in place of the ledger, after verifying it (stop the server first)',
  usage: `Usage: custody restore --from <backup> --db <ledger.db> [--trust <key>] [--known <checkpoint>]
                       [--allow-rollback <why>] [--json]

Puts a backup made by custody backup back as the ledger at --db, with the server stopped. Before
anything is touched, the backup must match its manifest (SHA-256), be a backup of this ledger (its
public key: the one in ledger-key.json beside --db, or --trust when there is none yet), and verify
as custody verify --ledger would: every signature, chain link and checkpoint.

A backup older than the last checkpoint the ledger signed (the ledger at --db, or a checkpoint you
kept: --known) would drop acts that were acknowledged and committed to: it is refused unless
--allow-rollback says why, and that reason is recorded in restore-log.jsonl beside the ledger;
ledger-state.json then remembers the backup's last checkpoint, so the server starts on it.
The files replaced are kept beside it, renamed *.before-restore-<time>.

Options:
  --from <file>           the backup (its <file>.manifest.json beside it)
  --db <file>             the ledger's SQLite file (env CUSTODY_DB)
  --trust <key>           the ledger's public key, when ledger-key.json is not beside --db
  --known <file>          a checkpoint kept from before (custody checkpoint --out, or <backup>.checkpoint)
  --allow-rollback <why>  restore although the backup is older than the last checkpoint; recorded
  --workers <n>           worker threads for the verification (default: one per core)
  --json                  print what was done as JSON`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    positionalsOf(positionals, []);
    const from = resolvePath(io, required(values.from, '--from <backup>'));
    const db = resolvePath(io, required(values.db ?? io.env['CUSTODY_DB'], '--db <ledger.db>'));
    if (!existsSync(from)) throw new CliError(EXIT.unavailable, `no backup at ${from}`);

    const parsed = BackupManifest.safeParse(await readJsonFile(manifestPathOf(from), 'backup manifest'));
    if (!parsed.success) throw refused(undefined, `${manifestPathOf(from)} is not a backup manifest of this version`);
    const manifest = parsed.data;
    const digest = await sha256OfFile(from);
    if (digest !== manifest.sha256) throw refused(undefined, `${from} does not match its manifest (sha256 ${digest}, manifest says ${manifest.sha256}): it was damaged or changed`);

    const keyFile = ledgerKeyPathFor(db);
    const [trusted] = await keysOf(io, [existsSync(keyFile) ? keyFile : required(values.trust, '--trust <key> (there is no ledger-key.json beside --db)')], 'ledger', '--trust');
    if (trusted!.publicKey !== manifest.publicKey) {
      throw refused(undefined, `${from} is a backup of ${manifest.ledgerId}, whose key is not this ledger's (${existsSync(keyFile) ? keyFile : '--trust'})`);
    }
    const workers = values.workers === undefined ? undefined : Math.max(1, Number.parseInt(values.workers, 10) || 1);
    const report = await verifyLedgerFile(from, { trustedLedgerKeys: [trusted!], ...(workers ? { workers } : {}) });
    if (!report.ok) {
      for (const issue of report.issues.slice(0, 20)) writeLines(io.stderr, `FAIL  ${formatIssue(issue)}`);
      throw refused(undefined, `${from} does not verify (${report.issues.length} issue${report.issues.length === 1 ? '' : 's'}): it is not restored`);
    }

    const current = existsSync(db) ? describeLedgerFile(db) : undefined;
    const knownSize = values.known === undefined ? -1 : checkpointSizeOf(await readText(resolvePath(io, values.known)));
    if (values.known !== undefined && knownSize < 0) throw refused(undefined, `${values.known} is not a signed checkpoint`);
    const signedSize = Math.max(current?.checkpoint?.size ?? -1, knownSize);
    const rollback = signedSize > manifest.treeSize;
    const reason = values['allow-rollback'];
    if (rollback && (reason === undefined || reason.trim() === '')) {
      throw refused(
        undefined,
        `${from} holds ${manifest.treeSize} events, but the ledger signed a checkpoint over ${signedSize}: restoring it would drop ` +
          `${signedSize - manifest.treeSize} acknowledged events. If that is intended, repeat with --allow-rollback "<why>" (it is recorded)`,
      );
    }
    if (current) ensureNotOpen(db);

    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const inbox = inboxPathFor(db);
    const keptAside: string[] = [];
    for (const file of [db, `${db}-wal`, `${db}-shm`, ...(manifest.inbox ? [inbox, `${inbox}-wal`, `${inbox}-shm`] : [])]) {
      if (!existsSync(file)) continue;
      renameSync(file, `${file}.before-restore-${stamp}`);
      keptAside.push(`${file}.before-restore-${stamp}`);
    }
    placePrivately(from, db);
    if (manifest.inbox) placePrivately(inboxBackupPathOf(from), inbox);
    // The key remembers the last checkpoint it signed outside the ledger file and refuses to start
    // over a history that does not extend it: an intended rollback makes it remember the backup's.
    const stateReset = rollback ? rememberBackupCheckpoint(db, from) : false;

    const record = {
      time: new Date().toISOString(),
      from,
      sha256: manifest.sha256,
      takenAt: manifest.takenAt,
      treeSize: manifest.treeSize,
      signedCheckpointSize: signedSize < 0 ? null : signedSize,
      rollback,
      ...(rollback ? { reason, stateReset } : {}),
      keptAside,
    };
    const log = join(dirname(db), 'restore-log.jsonl');
    createPrivateFile(log);
    appendFileSync(log, `${JSON.stringify(record)}\n`);

    if (values.json) writeJson(io, record);
    else {
      writeLines(
        io.stdout,
        `Restored ${manifest.ledgerId} from ${from} (taken ${manifest.takenAt}): ${manifest.events} events, verified.`,
        ...(rollback ? [`ROLLBACK from checkpoint size ${signedSize} to ${manifest.treeSize}, because: ${reason}. Recorded in ${log}.`] : []),
        ...keptAside.map((file) => `  kept ${file}`),
      );
    }
    return EXIT.ok;
  },
};

/** Points ledger-state.json at the restored file's last checkpoint; false when there is no state file. */
function rememberBackupCheckpoint(db: string, restored: string): boolean {
  const statePath = ledgerStatePathFor(ledgerKeyPathFor(db));
  const state = readLedgerState(statePath);
  if (!state) return false;
  writeLedgerState(statePath, { ...state, checkpoint: describeLedgerFile(restored).checkpoint?.signed ?? null });
  return true;
}

/**
 * The ledger must not be open elsewhere (the server): replacing a file under a process that holds it
 * loses what it writes next. Leaving WAL mode needs the only connection, so it tells, without waiting.
 */
function ensureNotOpen(db: string): void {
  const handle = new Database(db, { fileMustExist: true });
  try {
    handle.pragma('busy_timeout = 0');
    const mode = handle.pragma('journal_mode = DELETE', { simple: true });
    if (mode !== 'delete') throw new Error(`journal mode stays ${String(mode)}`);
  } catch (error) {
    throw new CliError(EXIT.unavailable, `${db} is open in another process (${(error as Error).message}): stop the server first`);
  } finally {
    handle.close();
  }
}

function placePrivately(source: string, target: string): void {
  copyFileSync(source, target);
  chmodSync(target, 0o600);
}
