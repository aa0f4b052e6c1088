import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { defaultPolicy, type Policy } from '../domain/policy/policy.js';
import type { IsoTime } from '../domain/primitives.js';
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
import type { SignedMemory } from '../verify/checkpoint/checkpointer.js';
import { bindLedgerHome, refuseMissingLedgerFile } from './binding.js';
import { probeFile } from './file-identity.js';
import { fileSignedMemory, ledgerStatePathFor } from './ledger-state.js';

export { LedgerKeyFile, ledgerIdOf } from './binding.js';

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
  /** Where the key's last signed checkpoint is kept, outside the ledger file (give it to the checkpointer). */
  signedMemory: SignedMemory;
  /**
   * Whether the first security officer may still enrol without a token: only while nobody is
   * enrolled and the key has never signed a checkpoint over any event.
   */
  firstEnrolmentOpen(): boolean;
  /** What the operator must read at start (an inbox given up, a key bound for the first time). */
  warnings: string[];
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
  /** Go on with an empty (or this other) inbox when the one the ledger used is missing or replaced. */
  newInbox?: boolean;
};

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
  // Looked at before the store opens it: opening a missing file would create an empty ledger.
  const ledgerProbe = options.store ? undefined : probeFile(dbPath, 'ledger');
  const keyPath = ledgerKeyPathFor(dbPath);
  const statePath = ledgerStatePathFor(keyPath);
  if (ledgerProbe) refuseMissingLedgerFile({ dbPath, keyPath, statePath }, ledgerProbe);
  const store = options.store ?? createSqliteStore({ path: dbPath });
  let inbox: Inbox | undefined;
  let following: Subscription | undefined;
  let projections: ProjectionSet | undefined;
  try {
    const { key, created, warnings } = await bindLedgerHome({
      dbPath,
      keyPath,
      statePath,
      inboxPath: inboxPathFor(dbPath),
      store,
      ledgerProbe,
      now: options.clock ?? (() => new Date().toISOString()),
      ...(options.newInbox ? { newInbox: true } : {}),
    });
    const signedMemory = fileSignedMemory(statePath);
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
      signedMemory,
      warnings,
      firstEnrolmentOpen: () => ledger.model.directory.size === 0 && signedSize(signedMemory.last()) === 0,
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

/** The size of the checkpoint a note holds (0 for none); a note that does not parse counts as signed. */
function signedSize(note: string | null): number {
  if (note === null) return 0;
  const size = Number(note.split('\n', 2)[1]);
  return Number.isSafeInteger(size) ? size : Number.MAX_SAFE_INTEGER;
}
