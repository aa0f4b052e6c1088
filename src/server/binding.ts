import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import { generateKeyPair, publicKeyFromSecret } from '../crypto/ed25519.js';
import { sha256Hex } from '../crypto/hash.js';
import type { EventStore } from '../store/port.js';
import { isTreeStream } from '../verify/checkpoint/stream-name.js';
import { newFileId, probeFile, writeFileIdentity, type FileProbe } from './file-identity.js';
import { LEDGER_STATE_FORMAT, readLedgerState, syncDirectory, writeLedgerState, type LedgerState } from './ledger-state.js';

/**
 * The ledger's own Ed25519 key: it names the ledger (every act signs its id) and signs its
 * checkpoints (L-3). `ledgerFile` binds it to one ledger file (the id written in that file; null when
 * the events live in EventStoreDB); a key without it was written before keys were bound, and is
 * bound the first time it is opened.
 */
export const LedgerKeyFile = z
  .object({ ledgerId: z.string(), publicKey: z.string(), secretKey: z.string(), ledgerFile: z.string().nullable().optional() })
  .strict();
export type LedgerKeyFile = z.infer<typeof LedgerKeyFile>;

export const ledgerIdOf = (publicKey: string): string => `ledger-${sha256Hex(publicKey).slice(0, 16)}`;

export type BindingPaths = { dbPath: string; keyPath: string; statePath: string; inboxPath: string };

export type BindingOptions = BindingPaths & {
  store: EventStore;
  /** What was at dbPath before the store opened it; undefined when the events live elsewhere. */
  ledgerProbe: FileProbe | undefined;
  /** Start with a new, empty inbox when the bound one is missing or replaced (its waiting acts are lost). */
  newInbox?: boolean;
  now: () => string;
};

export type Binding = {
  key: LedgerKeyFile;
  created: boolean;
  /** Things the operator must read (an inbox given up, a key bound for the first time). */
  warnings: string[];
};

/**
 * Opens (or creates) the ledger key and checks that the key, the state file beside it, the ledger
 * file and the inbox all name each other (issue 16 hole 3, issue 18 item 3). Every mismatch refuses
 * to start with a sentence saying what to restore; nothing is created over a ledger that was used.
 */
export async function bindLedgerHome(options: BindingOptions): Promise<Binding> {
  const { dbPath, keyPath, statePath, store, ledgerProbe } = options;
  const hadEvents = (await store.headPosition()) > 0n;
  const state = readLedgerState(statePath);
  if (!existsSync(keyPath)) {
    if (hadEvents) {
      // A new key would be a new ledger id: every act already recorded names the old one.
      throw new Error(`${dbPath} already holds a ledger, but its key file ${keyPath} is missing: restore it from your backup`);
    }
    if (state?.checkpoint) {
      throw new Error(`${keyPath} is missing, but ${statePath} shows that ledger ${state.ledgerId} signed checkpoints here: restore ledger-key.json from your backup`);
    }
    return create(options);
  }
  const key = readKey(keyPath);
  const warnings: string[] = [];
  if (key.ledgerFile !== undefined) {
    if (!state) {
      throw new Error(
        `${statePath} is missing: it records the ledger file ${keyPath} is bound to and the last checkpoint that key signed; restore it from the backup taken with the key`,
      );
    }
    if (state.ledgerId !== key.ledgerId || state.ledgerFile !== key.ledgerFile) {
      throw new Error(`${statePath} belongs to ledger ${state.ledgerId} (file ${state.ledgerFile}), not to the key in ${keyPath} (ledger ${key.ledgerId}, file ${key.ledgerFile}): restore the state file that was beside this key`);
    }
    if (ledgerProbe) checkBoundLedgerFile(options, key, state, ledgerProbe, hadEvents, warnings);
  } else {
    await checkLegacyLedger(options, key, ledgerProbe, hadEvents);
  }
  const fileId = ledgerProbe ? (ledgerProbe.kind === 'file' ? ledgerProbe.identity?.fileId : undefined) ?? key.ledgerFile ?? newFileId() : null;
  if (ledgerProbe && fileId !== null && !(ledgerProbe.kind === 'file' && ledgerProbe.identity)) {
    writeFileIdentity(dbPath, { role: 'ledger', ledgerId: key.ledgerId, publicKey: key.publicKey, fileId, createdAt: options.now() });
  }
  const inboxFile = bindInbox(options, key, state?.inboxFile ?? null, warnings);
  writeLedgerState(statePath, {
    format: LEDGER_STATE_FORMAT,
    ledgerId: key.ledgerId,
    ledgerFile: fileId,
    inboxFile,
    checkpoint: state?.checkpoint ?? null,
  });
  if (key.ledgerFile === undefined) {
    const bound = { ...key, ledgerFile: fileId };
    writeKeyFile(keyPath, bound, 'replace');
    warnings.push(`${keyPath} is now bound to ${ledgerProbe ? dbPath : 'its event store'}; keep ${basename(statePath)} with it in your backups`);
    return { key: bound, created: false, warnings };
  }
  return { key, created: false, warnings };
}

/**
 * Before the store opens dbPath (which would create an empty file there): a missing or empty ledger
 * file beside a bound key is refused at once, leaving the directory as it was found.
 */
export function refuseMissingLedgerFile(paths: Omit<BindingPaths, 'inboxPath'>, probe: FileProbe): void {
  if (probe.kind === 'file' || !existsSync(paths.keyPath)) return;
  const key = readKey(paths.keyPath);
  const state = readLedgerState(paths.statePath);
  if (key.ledgerFile === undefined || !state) return;
  checkBoundLedgerFile(paths, key, state, probe, false, []);
}

function create(options: BindingOptions): Binding {
  const { dbPath, keyPath, statePath, ledgerProbe } = options;
  const pair = generateKeyPair();
  const ledgerId = ledgerIdOf(pair.publicKey);
  const fileId = ledgerProbe ? newFileId() : null;
  if (fileId !== null) writeFileIdentity(dbPath, { role: 'ledger', ledgerId, publicKey: pair.publicKey, fileId, createdAt: options.now() });
  const key: LedgerKeyFile = { ledgerId, ...pair, ledgerFile: fileId };
  const warnings: string[] = [];
  const inboxFile = bindInbox(options, key, null, warnings);
  writeLedgerState(statePath, { format: LEDGER_STATE_FORMAT, ledgerId, ledgerFile: fileId, inboxFile, checkpoint: null });
  // The key last: until it exists, a start that was cut short is simply a first start again.
  writeKeyFile(keyPath, key, 'new');
  return { key, created: true, warnings };
}

/** The key is bound to a ledger file: the one at dbPath must be it. */
function checkBoundLedgerFile(options: Omit<BindingPaths, 'inboxPath'>, key: LedgerKeyFile, state: LedgerState, probe: FileProbe, hadEvents: boolean, warnings: string[]): void {
  const { dbPath, keyPath } = options;
  const signed = state.checkpoint === null ? '' : ` (its key signed a checkpoint of ${checkpointSizeOf(state.checkpoint)} events)`;
  const restore = `restore ${basename(dbPath)} from your backup; to start a new ledger instead, move ${basename(keyPath)} and ${basename(options.statePath)} away first`;
  if (probe.kind === 'missing') throw new Error(`${dbPath} is missing, but ${keyPath} belongs to ledger ${key.ledgerId}${signed}: ${restore}`);
  if (probe.kind === 'empty') throw new Error(`${dbPath} is empty (0 bytes), but ${keyPath} belongs to ledger ${key.ledgerId}${signed}: ${restore}`);
  const identity = probe.identity;
  if (!identity) {
    if (!hadEvents) throw new Error(`${dbPath} holds no ledger (no events, no identity), but ${keyPath} belongs to ledger ${key.ledgerId}${signed}: ${restore}`);
    // A copy made before files carried their identity: its events are checked against what the key signed.
    warnings.push(`${dbPath} carried no ledger identity (a copy from before this version?); it was marked as ledger ${key.ledgerId}'s file`);
    return;
  }
  if (identity.ledgerId !== key.ledgerId || identity.publicKey !== key.publicKey) {
    throw new Error(`${dbPath} is the file of ledger ${identity.ledgerId}, but ${keyPath} is the key of ledger ${key.ledgerId}: put the matching key and ledger file together (restore the right one from your backup)`);
  }
  if (identity.fileId !== key.ledgerFile) {
    throw new Error(`${dbPath} is a different file of ledger ${key.ledgerId} (file ${identity.fileId}) than the one its key is bound to (file ${key.ledgerFile}): ${restore}`);
  }
}

/** A key from before keys were bound: it may still only open a ledger whose acts and file name it. */
async function checkLegacyLedger(options: BindingOptions, key: LedgerKeyFile, probe: FileProbe | undefined, hadEvents: boolean): Promise<void> {
  const { dbPath, keyPath } = options;
  const identity = probe?.kind === 'file' ? probe.identity : undefined;
  if (identity && (identity.ledgerId !== key.ledgerId || identity.publicKey !== key.publicKey)) {
    throw new Error(`${dbPath} is the file of ledger ${identity.ledgerId}, but ${keyPath} is the key of ledger ${key.ledgerId}: put the matching key and ledger file together`);
  }
  if (!hadEvents) return;
  const named = await firstLedgerIdIn(options.store);
  if (named !== undefined && named !== key.ledgerId) {
    throw new Error(`${dbPath} holds the acts of ledger ${named}, but ${keyPath} is the key of ledger ${key.ledgerId}: restore the key file that belongs to this ledger`);
  }
}

/** The ledger id the first recorded act names (every act signs it). */
async function firstLedgerIdIn(store: EventStore): Promise<string | undefined> {
  for (const event of await store.readAll({ after: 0n, limit: 100 })) {
    if (!isTreeStream(event.stream)) continue;
    const ledger = (event.data['act'] as { ledger?: unknown } | undefined)?.ledger;
    if (typeof ledger === 'string') return ledger;
  }
  return undefined;
}

/** The inbox beside the ledger: missing, emptied or swapped, it is never started silently empty. */
function bindInbox(options: BindingOptions, key: LedgerKeyFile, bound: string | null, warnings: string[]): string {
  const { inboxPath } = options;
  const probe = probeFile(inboxPath, 'inbox');
  const identity = probe.kind === 'file' ? probe.identity : undefined;
  if (identity && identity.ledgerId !== key.ledgerId) {
    throw new Error(`${inboxPath} is the inbox of ledger ${identity.ledgerId}, not of ${key.ledgerId}: restore this ledger's inbox from your backup`);
  }
  if (identity && (bound === null || identity.fileId === bound)) return identity.fileId;
  if (bound !== null) {
    const what = probe.kind === 'missing' ? 'is missing' : probe.kind === 'empty' ? 'is empty (0 bytes)' : identity ? `is another inbox file (${identity.fileId}) than this ledger's (${bound})` : 'is not the inbox this ledger used';
    if (!options.newInbox) {
      throw new Error(
        `${inboxPath} ${what}: acts waiting for co-signatures were kept there and would be lost without a word. Restore it from your backup, or start with --new-inbox to go on with ${identity ? 'this file' : 'an empty inbox'} (every act that was waiting must then be prepared and signed again)`,
      );
    }
    warnings.push(`WARNING: ${inboxPath} ${what}; started with --new-inbox: acts that were waiting for co-signatures in the old inbox are lost and must be prepared and signed again`);
  }
  const fileId = identity?.fileId ?? newFileId();
  if (probe.kind === 'missing') closeSync(openSync(inboxPath, 'wx', 0o600));
  writeFileIdentity(inboxPath, { role: 'inbox', ledgerId: key.ledgerId, publicKey: key.publicKey, fileId, createdAt: options.now() });
  return fileId;
}

function checkpointSizeOf(note: string): string {
  return note.split('\n', 2)[1] ?? '?';
}

function writeKeyFile(path: string, key: LedgerKeyFile, mode: 'new' | 'replace'): void {
  const text = `${JSON.stringify(key, null, 2)}\n`;
  // 'wx': never overwrite a key another process just created; a replacement goes through a rename.
  const target = mode === 'new' ? path : `${path}.${process.pid}.tmp`;
  const fd = openSync(target, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (mode === 'replace') renameSync(target, path);
  syncDirectory(dirname(path));
}

export function readKey(path: string): LedgerKeyFile {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new Error(
      `${path} is readable by others (mode ${mode.toString(8).padStart(4, '0')}); it holds the ledger's secret key: run chmod 600 ${path}`,
    );
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  let parsed: LedgerKeyFile;
  try {
    parsed = LedgerKeyFile.parse(JSON.parse(text));
  } catch {
    throw new Error(`${path} is not a ledger key file ({ ledgerId, publicKey, secretKey })`);
  }
  if (publicKeyFromSecretOrUndefined(parsed.secretKey) !== parsed.publicKey || ledgerIdOf(parsed.publicKey) !== parsed.ledgerId) {
    throw new Error(`${path} does not hold a consistent key: its public key or ledger id does not match its secret key`);
  }
  return parsed;
}

function publicKeyFromSecretOrUndefined(secretKey: string): string | undefined {
  try {
    return publicKeyFromSecret(secretKey);
  } catch {
    return undefined;
  }
}
