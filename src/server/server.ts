import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import type { Server } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { getRequestListener } from '@hono/node-server';
import type { Policy } from '../domain/policy/policy.js';
import type { IsoTime } from '../domain/primitives.js';
import { createApp } from '../api/app.js';
import { inboxPathFor, openLedgerHome, type LedgerHome, type LedgerHomeOptions } from './home.js';
import { widerThanOwnerWarnings } from '../store/file-modes.js';
import { createVerifierPool } from '../crypto/verifier-pool.js';
import type { EventStore } from '../store/port.js';
import { createCheckpointer, type Checkpointer } from '../verify/checkpoint/checkpointer.js';
import { startingFetch } from './starting.js';
import { adaptorErrorResponse, answerClientError } from './client-errors.js';
import type { RebuildProgress } from '../projections/lifecycle.js';
import type { TrustedKey } from '../verify/note/keys.js';
import { openReadLog, readLogPathFor, type ReadLog } from '../audit/read-log.js';

/**
 * How soon after an append the server signs a checkpoint (it signs nothing new otherwise): bundles
 * and proofs are served against checkpoints, and a read never signs one, so readers wait for this.
 */
export const DEFAULT_CHECKPOINT_SECONDS = 2;

export type ServerOptions = {
  dbPath: string;
  /** An event store other than the SQLite file at dbPath (see src/store/from-env.ts). */
  store?: EventStore;
  /** Default 127.0.0.1: only this machine, until someone decides otherwise. */
  host?: string;
  /** Default 8080; 0 picks a free port (tests). */
  port?: number;
  clock?: () => IsoTime;
  policy?: Policy;
  tokenTtlMs?: number;
  /** Where unexpected errors (answered 500) are reported. Default: console.error. */
  log?: (error: unknown) => void;
  /** Seconds after an append within which a checkpoint is signed; 0 takes them only on demand. Default 2. */
  checkpointSeconds?: number;
  /** Witnesses whose cosignatures the ledger records (anyone else's are refused). */
  witnessKeys?: readonly TrustedKey[];
  /** How far the read of the log at start has got. */
  onRebuildProgress?: LedgerHomeOptions['onRebuildProgress'];
  /** Go on with an empty (or this other) inbox when the one the ledger used is missing or replaced. */
  newInbox?: boolean;
  /** Where the built web app is (default dist/web); tests serve a fresh build. */
  webRoot?: string;
  /** The port is bound (before the ledger is open: until then it answers 503 but /health). */
  onListening?: (url: string) => void;
  /** Behind a reverse proxy: the client is the last X-Forwarded-For address (see AppOptions). */
  trustForwardedFor?: boolean;
  /** Serve HTTPS with this certificate chain and private key (PEM text), instead of plain HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Told of each ledger file others may read (see file-modes.ts). Default: console.warn. */
  onWarning?: (line: string) => void;
};

export type RunningServer = {
  /** http://host:port (https:// when serving TLS), with the port actually bound. */
  url: string;
  home: LedgerHome;
  /** Signs the ledger's checkpoints with its key (L-3), periodically and on demand. */
  checkpointer: Checkpointer;
  /** Stops accepting connections, lets requests in flight finish, then closes the inbox and the store. */
  close(): Promise<void>;
};

/**
 * Binds the port, then opens the ledger in `dbPath` and serves the API on it. Until the ledger is
 * open (its log read), requests get 503 with Retry-After, except /health. Resolves once it serves.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  let progress: RebuildProgress | undefined;
  // Swapped for the API once the ledger is open; `env` carries node-server's request bindings.
  let serve: (request: Request, env?: unknown) => Response | Promise<Response> = startingFetch(() => progress);
  const log = options.log ?? ((error: unknown) => console.error(error));
  const listener = getRequestListener((request: Request, env: unknown) => serve(request, env), {
    hostname: host,
    errorHandler: adaptorErrorResponse(log),
  });
  // node:https when given a certificate: on an air-gapped network there is often no proxy to end TLS.
  const server: Server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener) : createHttpServer(listener);
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  options.onListening?.(url);
  const closeServer = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Idle keep-alive connections would hold close() open until they time out.
      server.closeIdleConnections();
    });

  // Signature checks run beside the thread that decides and appends (bench/ledger.bench.ts).
  const verifier = createVerifierPool();
  let home: LedgerHome | undefined;
  let checkpointer: Checkpointer;
  let readLog: ReadLog | undefined;
  try {
    home = await openLedgerHome({
      dbPath: options.dbPath,
      verifier,
      ...(options.store ? { store: options.store } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.newInbox ? { newInbox: true } : {}),
      onRebuildProgress: (read) => {
        progress = read;
        options.onRebuildProgress?.(read);
      },
    });
    // Refuses to start over a checkpoint stream that does not verify: that history was changed.
    checkpointer = await createCheckpointer({
      store: home.store,
      ledgerKey: { ledgerId: home.ledgerId, ...home.ledgerKey },
      log: home.log,
      memory: home.signedMemory,
      witnessKeys: options.witnessKeys ?? [],
      ...(options.clock ? { clock: options.clock } : {}),
    });
    // Who read which carrier (issue #18): its own file beside the ledger, like the inbox.
    readLog = openReadLog({ path: readLogPathFor(options.dbPath), log });
  } catch (error) {
    await closeServer();
    await readLog?.close();
    await home?.close();
    await verifier.close();
    throw error;
  }
  const warn = options.onWarning ?? ((line: string) => console.warn(`warning: ${line}`));
  for (const line of ledgerFileWarnings(options.dbPath)) warn(line);
  const seconds = options.checkpointSeconds ?? DEFAULT_CHECKPOINT_SECONDS;
  const periodic = seconds > 0 ? checkpointer.every(seconds * 1000, log) : undefined;
  const app = createApp({
    home,
    checkpointer,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.tokenTtlMs ? { tokenTtlMs: options.tokenTtlMs } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.trustForwardedFor ? { trustForwardedFor: true } : {}),
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    readLog,
  });
  serve = (request, env) => app.fetch(request, env as never);
  let closing: Promise<void> | undefined;
  return {
    url,
    home,
    checkpointer,
    close() {
      closing ??= (async () => {
        await closeServer();
        periodic?.stop();
        // Queued behind any checkpoint being signed, so the store is not closed under its append.
        await checkpointer.latest().catch(() => undefined);
        // Writes the reads still queued: only a crash loses them.
        await readLog.close();
        await home.close();
        await verifier.close();
      })();
      return closing;
    },
  };
}

/** The files of a ledger home that others may read: its database, inbox and read log with their -wal and -shm, and their directory. */
function ledgerFileWarnings(dbPath: string): string[] {
  const withJournals = (file: string) => [file, `${file}-wal`, `${file}-shm`];
  return widerThanOwnerWarnings([...withJournals(resolve(dbPath)), ...withJournals(resolve(inboxPathFor(dbPath))), ...withJournals(resolve(readLogPathFor(dbPath)))], [dirname(resolve(dbPath))]);
}
