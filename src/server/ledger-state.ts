import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { SignedMemory } from '../verify/checkpoint/checkpointer.js';

/**
 * `ledger-state.json`, beside `ledger-key.json`: what the key has done, kept outside the ledger file
 * so that cutting or swapping that file cannot make the key forget it (issue 16, holes 2 and 3).
 * It names the ledger file and the inbox the key is bound to (their file ids) and the last checkpoint
 * the key signed. Written and fsynced before a checkpoint is published; a history that does not
 * extend that checkpoint is never signed again, and the server does not start over one.
 */
export const LEDGER_STATE_FORMAT = 'custody-ledger/ledger-state/v1';
export const LedgerState = z
  .object({
    format: z.literal(LEDGER_STATE_FORMAT),
    ledgerId: z.string().min(1),
    /** The id written in the ledger's SQLite file; null when the events live elsewhere (EventStoreDB). */
    ledgerFile: z.string().nullable(),
    /** The id written in the inbox's SQLite file. */
    inboxFile: z.string().nullable(),
    /** The last checkpoint the key signed, as a signed note (its own line only); null before the first. */
    checkpoint: z.string().nullable(),
  })
  .strict();
export type LedgerState = z.infer<typeof LedgerState>;

export const ledgerStatePathFor = (keyPath: string): string => join(dirname(keyPath), 'ledger-state.json');

export function readLedgerState(path: string): LedgerState | undefined {
  if (!existsSync(path)) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): it records the last checkpoint the ledger key signed`);
  }
  try {
    return LedgerState.parse(JSON.parse(text));
  } catch {
    throw new Error(`${path} is not a ledger state file (${LEDGER_STATE_FORMAT}): restore it from the backup taken with ledger-key.json`);
  }
}

/** Replaces the file atomically and durably: the new content is on disk before this returns. */
export function writeLedgerState(path: string, state: LedgerState): void {
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(LedgerState.parse(state), null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  syncDirectory(dirname(path));
}

/** A rename is durable only once its directory is. */
export function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse to fsync a directory; the rename itself is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The checkpointer's memory of what it signed, kept in the state file (re-read before every use). */
export function fileSignedMemory(path: string): SignedMemory {
  return {
    last: () => readLedgerState(path)?.checkpoint ?? null,
    remember(note: string) {
      const state = readLedgerState(path);
      if (!state) throw new Error(`${path} is missing: it records the last checkpoint the ledger key signed; restore it before signing`);
      writeLedgerState(path, { ...state, checkpoint: note });
    },
  };
}
