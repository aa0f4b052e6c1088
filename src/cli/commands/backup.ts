import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseCommandArgs, positionalsOf, required } from '../args.js';
import type { Command } from '../command.js';
import { BACKUP_FORMAT, checkpointPathOf, describeLedgerFile, inboxBackupPathOf, manifestPathOf, onlineCopy, sha256OfFile, type BackupManifest } from '../backup-file.js';
import { CliError, EXIT, refused } from '../errors.js';
import { readJsonFile, resolvePath, writeFileSafely } from '../files.js';
import { writeJson, writeLines } from '../io.js';
import { createPrivateFile } from '../../store/file-modes.js';
import { inboxPathFor, ledgerKeyPathFor } from '../../server/home.js';

const options = {
  db: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
} as const;

export const backup: Command = {
  name: 'backup',
  summary: 'copy the ledger, consistently, while the server runs (with its public key and last checkpoint)',
  usage: `Usage: custody backup --db <ledger.db> --out <file> [--force] [--json]

Copies the ledger's SQLite file with SQLite's online backup API: one consistent state, taken while
the server keeps running and appending. Written beside <file>, all private (0600):
  <file>                 the copy (a single SQLite file)
  <file>.manifest.json   the ledger's id and public key, its size, the copy's SHA-256, the last checkpoint's size
  <file>.checkpoint      the last checkpoint the ledger signed (keep it: custody verify --known <file>)
  <file>.inbox           the acts waiting for signatures, when there are any
The ledger's secret key is not copied: keep ledger-key.json apart, in a safe, from the day the
ledger is created. custody restore puts a backup back, after verifying it.

Options:
  --db <file>   the ledger's SQLite file (env CUSTODY_DB)
  --out <file>  where to write the copy
  --force       replace an existing backup at <file>
  --json        print the manifest`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    positionalsOf(positionals, []);
    const db = resolvePath(io, required(values.db ?? io.env['CUSTODY_DB'], '--db <ledger.db>'));
    const out = resolvePath(io, required(values.out, '--out <file>'));
    if (!existsSync(db)) throw new CliError(EXIT.unavailable, `no ledger file at ${db}`);
    if (existsSync(out) && !values.force) throw refused(undefined, `${out} exists; refusing to overwrite it (use --force to replace it)`);
    const key = await readJsonFile(ledgerKeyPathFor(db), 'ledger key file');
    const { ledgerId, publicKey } = key as { ledgerId?: unknown; publicKey?: unknown };
    if (typeof ledgerId !== 'string' || typeof publicKey !== 'string') {
      throw new CliError(EXIT.unavailable, `${ledgerKeyPathFor(db)} is not a ledger key file ({ ledgerId, publicKey, secretKey })`);
    }

    const partial = `${out}.partial`;
    mkdirSync(dirname(out), { recursive: true, mode: 0o700 });
    rmSync(partial, { force: true });
    createPrivateFile(partial);
    await onlineCopy(db, partial);
    const inbox = inboxPathFor(db);
    const hasInbox = existsSync(inbox);
    if (hasInbox) {
      rmSync(`${partial}.inbox`, { force: true });
      createPrivateFile(`${partial}.inbox`);
      await onlineCopy(inbox, `${partial}.inbox`);
    }
    const held = describeLedgerFile(partial);
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      ledgerId,
      publicKey,
      takenAt: new Date().toISOString(),
      source: db,
      sha256: await sha256OfFile(partial),
      treeSize: held.treeSize,
      events: held.events,
      checkpointSize: held.checkpoint?.size ?? null,
      inbox: hasInbox,
    };
    // The copy is renamed into place last: a backup that stopped half-way leaves only *.partial files.
    if (held.checkpoint) await writeFileSafely(checkpointPathOf(out), held.checkpoint.note, { mode: 0o600 });
    else rmSync(checkpointPathOf(out), { force: true });
    await writeFileSafely(manifestPathOf(out), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    if (hasInbox) renameSync(`${partial}.inbox`, inboxBackupPathOf(out));
    else rmSync(inboxBackupPathOf(out), { force: true });
    renameSync(partial, out);

    if (values.json) writeJson(io, manifest);
    else {
      writeLines(
        io.stdout,
        `Backed up ${ledgerId}: ${manifest.events} events (${manifest.treeSize} in the tree), ` +
          `${manifest.checkpointSize === null ? 'no checkpoint yet' : `last checkpoint at size ${manifest.checkpointSize}`}${hasInbox ? ', with its inbox' : ''}.`,
        `  ${out}`,
        `  ${manifestPathOf(out)}  (sha256 ${manifest.sha256})`,
        ...(held.checkpoint ? [`  ${checkpointPathOf(out)}`] : []),
        ...(hasInbox ? [`  ${inboxBackupPathOf(out)}`] : []),
      );
    }
    return EXIT.ok;
  },
};
