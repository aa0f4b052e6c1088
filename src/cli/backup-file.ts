import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { JsonObject, RecordedEvent } from '../store/port.js';
import { CHECKPOINT_STREAM, foldCheckpointStream, isTreeStream } from '../verify/checkpoint/stream.js';
import { openLedgerFile } from '../verify/ledger/source.js';
import { parseCheckpointText } from '../verify/checkpoint/checkpoint.js';
import { parseNote } from '../verify/note/note.js';
import { CliError, EXIT } from './errors.js';

/**
 * A backup of a ledger is three files: `<out>` (a consistent copy of the SQLite file, taken with
 * SQLite's online backup API while the server runs), `<out>.manifest.json` (what it holds: the
 * ledger's id and public key, its size, its digest, the last checkpoint in it) and, when the
 * ledger has signed one, `<out>.checkpoint` (that signed note, for `custody verify --known`).
 * Beside them, `<out>.inbox` when the ledger had acts waiting for signatures. Never the secret key:
 * it is backed up once, apart, when the ledger is created.
 */

export const BACKUP_FORMAT = 'custody-ledger/backup/v1';

export const BackupManifest = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    ledgerId: z.string(),
    publicKey: z.string(),
    takenAt: z.string(),
    source: z.string(),
    /** SHA-256 (hex) of the backup file as written: a damaged or edited copy is refused before anything else. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** Events in the carrier and person streams: the leaves a checkpoint counts. */
    treeSize: z.number().int().min(0),
    events: z.number().int().min(0),
    /** The size of the last checkpoint the copy holds, or null. */
    checkpointSize: z.number().int().min(0).nullable(),
    inbox: z.boolean(),
  })
  .strict();
export type BackupManifest = z.infer<typeof BackupManifest>;

export const manifestPathOf = (backup: string) => `${backup}.manifest.json`;
export const checkpointPathOf = (backup: string) => `${backup}.checkpoint`;
export const inboxBackupPathOf = (backup: string) => `${backup}.inbox`;

/**
 * Copies the SQLite file at `source` to `target` (which must not exist, or be an empty file made
 * private by the caller) through the online backup API, in one step: one read transaction, so the
 * copy is one consistent state even while the server appends. The copy is left in rollback-journal
 * mode, a single self-contained file.
 */
export async function onlineCopy(source: string, target: string): Promise<void> {
  let db: Database.Database;
  try {
    db = new Database(source, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new CliError(EXIT.unavailable, `cannot open ${source}: ${(error as Error).message}`);
  }
  try {
    // Every remaining page in the next step: a copy made in many steps restarts whenever the server writes between them.
    await db.backup(target, { progress: ({ totalPages }) => Math.max(totalPages, 1) });
  } catch (error) {
    throw new CliError(EXIT.unavailable, `cannot copy ${source} to ${target}: ${(error as Error).message}`);
  } finally {
    db.close();
  }
  const copy = new Database(target);
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new CliError(EXIT.unavailable, `the copy ${target} fails SQLite's integrity check: ${String(check)}`);
  } finally {
    copy.close();
  }
}

/** What a ledger file holds: its event count, its tree size, and its last checkpoint (note and size). Read only. */
export function describeLedgerFile(path: string): {
  events: number;
  treeSize: number;
  /** `note` with its cosignatures, `signed` the ledger's own note alone (what ledger-state.json keeps). */
  checkpoint: { note: string; signed: string; size: number } | null;
} {
  let file: ReturnType<typeof openLedgerFile>;
  try {
    file = openLedgerFile(path);
  } catch (error) {
    throw new CliError(EXIT.unavailable, (error as Error).message);
  }
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const streams = db.prepare('SELECT stream, COUNT(*) AS count FROM events GROUP BY stream').all() as { stream: string; count: number }[];
    const rows = file.stream(CHECKPOINT_STREAM).map(
      (row): RecordedEvent => ({
        eventId: '',
        stream: row.stream,
        revision: BigInt(row.revision),
        position: BigInt(row.position),
        type: row.type,
        data: JSON.parse(row.data) as JsonObject,
        metadata: JSON.parse(row.metadata) as JsonObject,
      }),
    );
    const recorded = foldCheckpointStream(rows).checkpoints.at(-1);
    return {
      events: streams.reduce((sum, s) => sum + s.count, 0),
      treeSize: streams.filter((s) => isTreeStream(s.stream)).reduce((sum, s) => sum + s.count, 0),
      checkpoint: recorded
        ? { note: recorded.note + recorded.cosignatures.map((line) => `${line}\n`).join(''), signed: recorded.note, size: checkpointSizeOf(recorded.note) }
        : null,
    };
  } finally {
    db.close();
    file.close();
  }
}

/** The tree size a signed checkpoint note commits to; -1 when the note is not one. */
export function checkpointSizeOf(note: string): number {
  const opened = parseNote(note);
  const checkpoint = typeof opened === 'string' ? opened : parseCheckpointText(opened.text);
  return typeof checkpoint === 'string' ? -1 : checkpoint.size;
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
