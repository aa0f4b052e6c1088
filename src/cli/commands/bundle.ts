import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { idArg, parseCommandArgs, positionalsOf, required } from '../args.js';
import type { Command } from '../command.js';
import { CliError, EXIT, usageError } from '../errors.js';
import { readText, resolvePath, writeFileSafely } from '../files.js';
import { writeJson, writeLines, type CliIo } from '../io.js';
import { parseCheckpointText } from '../../verify/checkpoint/checkpoint.js';
import { parseNote } from '../../verify/note/note.js';
import { NotFound } from '../../domain/errors.js';
import { createSqliteStore } from '../../store/sqlite.js';
import { exportCarrierBundle, type ExportOptions } from '../../verify/bundle/export-carrier.js';
import { exportLedgerBundle } from '../../verify/bundle/export-ledger.js';
import { CheckpointRefused, createCheckpointer, type CheckpointSource, type LedgerKey } from '../../verify/checkpoint/checkpointer.js';
import { createCheckpointReader, NoCheckpoint } from '../../verify/checkpoint/reader.js';
import { fileSignedMemory, ledgerStatePathFor } from '../../server/ledger-state.js';

const options = {
  db: { type: 'string' },
  out: { type: 'string' },
  ledger: { type: 'boolean' },
  'ledger-key': { type: 'string' },
  force: { type: 'boolean' },
  known: { type: 'string', multiple: true },
} as const;

export const bundle: Command = {
  name: 'bundle',
  summary: 'export a self-contained, verifiable bundle of one carrier (or the whole ledger) from a local ledger file',
  usage: `Usage: custody bundle <carrierId> --db <ledger.db> --out <file> [--ledger-key <file>] [--known <checkpoint>]... [--force] [--json]
       custody bundle --ledger --db <ledger.db> --out <file> [--ledger-key <file>] [--known <checkpoint>]... [--force] [--json]

Writes what an investigator needs to check a carrier's history offline with \`custody verify\`: its
events as stored, its lineage (copied from, copies made), every person's key history, an inclusion
proof per event, each stream's head, and a signed checkpoint with its cosignatures and the earlier
checkpoints it extends. With --ledger: every event, as JSON lines (any size, written as a stream).

The checkpoint: with the ledger's key (--ledger-key, or ledger-key.json beside the database) a fresh
one is signed and recorded, so the bundle covers everything up to now; without it, the latest
checkpoint the ledger recorded is used and later events are left out.

Options:
  --db <file>          the ledger's SQLite file
  --out <file>         where to write the bundle (refused if it exists, unless --force)
  --ledger             the whole ledger rather than one carrier
  --ledger-key <file>  the ledger's key file { ledgerId, publicKey, secretKey }
  --known <file>       a checkpoint you kept (custody checkpoint --out): the bundle carries the proof
                       that its own checkpoint is consistent with it, for custody verify --known
  --json               print { file, kind, events, checkpointSize }`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    const [carrierId] = positionalsOf(positionals, values.ledger ? [] : ['carrierId']);
    if (carrierId !== undefined) idArg(carrierId, 'carrier');
    const db = resolvePath(io, required(values.db, '--db <ledger.db>'));
    const out = resolvePath(io, required(values.out, '--out <file>'));
    if (!existsSync(db)) throw new CliError(EXIT.unavailable, `no ledger file at ${db}`);
    if (existsSync(out) && !values.force) throw new CliError(EXIT.refused, `${out} exists; refusing to overwrite it (use --force to replace it)`);
    const keyFile = values['ledger-key'] === undefined ? join(dirname(db), 'ledger-key.json') : resolvePath(io, values['ledger-key']);
    const ledgerKey = existsSync(keyFile) ? await readLedgerKey(keyFile) : undefined;
    if (values['ledger-key'] !== undefined && !ledgerKey) throw new CliError(EXIT.unavailable, `cannot read ${keyFile}: no such file`);

    const known = values.known === undefined ? undefined : await knownSizesOf(io, values.known);
    const store = createSqliteStore({ path: db });
    try {
      const memory = ledgerKey ? signedMemoryBeside(keyFile, ledgerKey) : undefined;
      const source: CheckpointSource = ledgerKey
        ? await createCheckpointer({ store, ledgerKey, ...(memory ? { memory } : {}) })
        : await createCheckpointReader(store);
      const exportOptions: ExportOptions = { store, checkpointer: source, ...(known ? { knownSizes: known } : {}) };
      let summary: { kind: 'carrier' | 'ledger'; events: number; checkpointSize: number };
      if (carrierId === undefined) {
        const result = await exportLedgerBundle(out, exportOptions);
        summary = { kind: 'ledger', events: result.events, checkpointSize: result.size };
      } else {
        const written = await exportCarrierBundle(carrierId, exportOptions);
        await writeFileSafely(out, `${JSON.stringify(written, null, 2)}\n`, { mode: 0o600 });
        const events = written.streams.reduce((n, s) => n + s.events.length, 0);
        summary = { kind: 'carrier', events, checkpointSize: Number(written.checkpoint.split('\n', 2)[1]) };
      }
      if (values.json) writeJson(io, { file: out, ...summary });
      else {
        writeLines(io.stdout, out);
        writeLines(
          io.stderr,
          `Wrote a ${summary.kind} bundle of ${summary.events} events against checkpoint ${summary.checkpointSize} (${ledgerKey ? 'signed now' : 'the latest recorded'}).`,
        );
      }
      return EXIT.ok;
    } catch (error) {
      if (error instanceof NotFound) throw new CliError(EXIT.notFound, `no carrier ${carrierId} in ${db}`);
      if (error instanceof NoCheckpoint) throw new CliError(EXIT.refused, error.message);
      if (error instanceof CheckpointRefused) throw new CliError(EXIT.refused, `the ledger refused to sign a checkpoint: ${error.message}`);
      throw error;
    } finally {
      await store.close();
    }
  },
};

/** The tree sizes of the checkpoints given with --known (read, not verified: custody verify checks them). */
export async function knownSizesOf(io: CliIo, files: readonly string[]): Promise<number[]> {
  return Promise.all(
    files.map(async (file) => {
      const note = await readText(resolvePath(io, file));
      const opened = parseNote(note);
      const checkpoint = typeof opened === 'string' ? opened : parseCheckpointText(opened.text);
      if (typeof checkpoint === 'string') throw usageError(`--known ${file} is not a signed checkpoint: ${checkpoint}`);
      return checkpoint.size;
    }),
  );
}

/**
 * The last checkpoint the key signed, kept beside it (ledger-state.json): the key signs nothing here
 * that does not extend it. A key bound to its ledger file without that file beside it signs nothing.
 */
function signedMemoryBeside(keyFile: string, key: LedgerKey & { ledgerFile?: unknown }) {
  const statePath = ledgerStatePathFor(keyFile);
  if (existsSync(statePath)) return fileSignedMemory(statePath);
  if (key.ledgerFile !== undefined) {
    throw new CliError(EXIT.refused, `${statePath} is missing: it holds the last checkpoint ${keyFile} signed; restore it from your backup before signing with this key`);
  }
  return undefined;
}

async function readLedgerKey(file: string): Promise<LedgerKey & { ledgerFile?: unknown }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readText(file));
  } catch {
    throw usageError(`${file} is not a ledger key file (JSON { ledgerId, publicKey, secretKey })`);
  }
  const key = parsed as Partial<LedgerKey>;
  if (typeof key.ledgerId !== 'string' || typeof key.publicKey !== 'string' || typeof key.secretKey !== 'string') {
    throw usageError(`${file} is not a ledger key file: it needs "ledgerId", "publicKey" and "secretKey"`);
  }
  return { ledgerId: key.ledgerId, publicKey: key.publicKey, secretKey: key.secretKey, ...('ledgerFile' in key ? { ledgerFile: (key as { ledgerFile?: unknown }).ledgerFile } : {}) };
}
