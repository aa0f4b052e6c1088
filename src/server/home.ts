import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { defaultPolicy, type Policy } from '../domain/policy/policy.js';
import type { IsoTime } from '../domain/primitives.js';
import { generateKeyPair, publicKeyFromSecret } from '../crypto/ed25519.js';
import { sha256Hex } from '../crypto/hash.js';
import { createLedger, type Ledger } from '../ledger/ledger.js';
import { createWriteModel, foldRecorded } from '../ledger/write-model.js';
import { createSqliteStore } from '../store/sqlite.js';
import type { EventStore, Subscription } from '../store/port.js';
import type { BatchVerifier } from '../crypto/verifier-pool.js';
import { createSqliteInbox } from '../inbox/sqlite.js';
import type { Inbox } from '../inbox/port.js';
import { createProjections, type ProjectionSet } from '../projections/index.js';
import type { RebuildProgress } from '../projections/lifecycle.js';
import { createLedgerLog, type LedgerLog } from '../verify/checkpoint/log.js';

/** The ledger's own Ed25519 key: it names the ledger (every act signs its id) and signs its checkpoints (L-3). */
export const LedgerKeyFile = z
  .object({ ledgerId: z.string(), publicKey: z.string(), secretKey: z.string() })
  .strict();
export type LedgerKeyFile = z.infer<typeof LedgerKeyFile>;

export type LedgerHome = {
  store: EventStore;
  ledger: Ledger;
  ledgerId: string;
  ledgerKey: { publicKey: string; secretKey: string };
  inbox: Inbox;
  /** The read models (where, as-of, access, lineage, traces, alerts, incidents), following the store. */
  projections: ProjectionSet;
  /** The Merkle tree over every event's hash, filled by the read at start, for the checkpointer. */
  log: LedgerLog;
  /** True when this call created the ledger (its key); false when it opened an existing one. */
  created: boolean;
  close(): Promise<void>;
};

export type LedgerHomeOptions = {
  /** The ledger's SQLite file; its directory also holds the ledger key and the inbox. */
  dbPath: string;
  /** Another event store (EventStoreDB) instead of the SQLite file; the key and inbox stay in dbPath's directory. */
  store?: EventStore;
  /** Default: verification on the calling thread. The server passes a worker pool. */
  verifier?: BatchVerifier;
  clock?: () => IsoTime;
  policy?: Policy;
  /** How far the read of the log at start has got (see createProjections). */
  onRebuildProgress?: (progress: RebuildProgress) => void;
};

export const ledgerIdOf = (publicKey: string): string => `ledger-${sha256Hex(publicKey).slice(0, 16)}`;

/** `custody.db` → `ledger-key.json` and `custody.inbox.db`, in the same directory. */
export const ledgerKeyPathFor = (dbPath: string): string => join(dirname(dbPath), 'ledger-key.json');
export const inboxPathFor = (dbPath: string): string =>
  join(dirname(dbPath), `${basename(dbPath).replace(/\.(db|sqlite3?)$/, '')}.inbox.db`);

/**
 * Opens (or, the first time, creates) the ledger that lives in `dbPath`: its directory, its key,
 * the SQLite event store, the write model rebuilt from it, and the co-signing inbox beside it.
 * Used by the server and by `custody init`.
 */
export async function openLedgerHome(options: LedgerHomeOptions): Promise<LedgerHome> {
  const { dbPath } = options;
  mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 });
  const store = options.store ?? createSqliteStore({ path: dbPath });
  let inbox: Inbox | undefined;
  let following: Subscription | undefined;
  let projections: ProjectionSet | undefined;
  try {
    const { key, created } = loadOrCreateKey(ledgerKeyPathFor(dbPath), (await store.headPosition()) > 0n, dbPath);
    const policy = options.policy ?? defaultPolicy;
    // One read of the log at start feeds the projections, the write model and the checkpoints' tree.
    const model = createWriteModel();
    const log = createLedgerLog(store);
    projections = await createProjections({
      store,
      policy,
      alsoRebuild: (recorded, carrier) => {
        foldRecorded(model, recorded, carrier);
        log.ingest(recorded);
      },
      ...(options.onRebuildProgress ? { onRebuildProgress: options.onRebuildProgress } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const ledger = await createLedger({
      store,
      ledgerId: key.ledgerId,
      policy,
      model,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.verifier ? { verifier: options.verifier } : {}),
    });
    // Other processes may append to the same store (API nodes on one EventStoreDB): keep up with them.
    following = ledger.follow();
    const openProjections = projections;
    const openInbox = createSqliteInbox({ path: inboxPathFor(dbPath) });
    inbox = openInbox;
    return {
      store,
      ledger,
      ledgerId: key.ledgerId,
      ledgerKey: { publicKey: key.publicKey, secretKey: key.secretKey },
      inbox: openInbox,
      projections: openProjections,
      log,
      created,
      async close() {
        following?.close();
        openProjections.close();
        await openInbox.close();
        await store.close();
      },
    };
  } catch (error) {
    following?.close();
    projections?.close();
    await inbox?.close();
    await store.close();
    throw error;
  }
}

function loadOrCreateKey(path: string, hadEvents: boolean, dbPath: string): { key: LedgerKeyFile; created: boolean } {
  if (existsSync(path)) return { key: readKey(path), created: false };
  if (hadEvents) {
    // A new key would be a new ledger id: every act already recorded names the old one.
    throw new Error(`${dbPath} already holds a ledger, but its key file ${path} is missing: restore it from your backup`);
  }
  const pair = generateKeyPair();
  const key: LedgerKeyFile = { ledgerId: ledgerIdOf(pair.publicKey), ...pair };
  // 'wx': never overwrite a key another process just created.
  writeFileSync(path, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return { key, created: true };
}

function readKey(path: string): LedgerKeyFile {
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
