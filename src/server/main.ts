import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createEventStoreDbStore } from '../store/eventstoredb.js';
import { describeStoreConfig, parseStoreConfig } from '../store/from-env.js';
import { parseTrustedKey, type TrustedKey } from '../verify/note/keys.js';
import { DEFAULT_CHECKPOINT_SECONDS, startServer, type RunningServer } from './server.js';
import { rebuildReporter } from './rebuild-progress.js';

export { startServer, type RunningServer, type ServerOptions } from './server.js';

const USAGE = `Usage: npm start -- [--db <path>] [--host <host>] [--port <port>] [--checkpoint-every <seconds>] [--witness <key>]... [--new-inbox]
                     [--tls-cert <file> --tls-key <file>] [--trust-proxy]

  --db                the ledger's SQLite file            (env CUSTODY_DB,   default ./data/custody.db)
  --host              the address to listen on            (env CUSTODY_HOST, default 127.0.0.1)
  --port              the port to listen on, 0 = any      (env CUSTODY_PORT, default 8080)
  --checkpoint-every  seconds after an append within which a checkpoint is signed, 0 = only on demand
                      (env CUSTODY_CHECKPOINT_SECONDS, default ${DEFAULT_CHECKPOINT_SECONDS})
  --witness           a witness whose cosignatures the ledger records: its verifier key
                      (name+hash+base64) or a file holding it; repeatable
                      (env CUSTODY_WITNESSES, separated by commas or spaces)
  --new-inbox         start even though the co-signing inbox beside --db is missing or was replaced:
                      acts that were waiting for signatures there are given up (said at start)
  --tls-cert          serve HTTPS with this certificate chain (PEM)   (env CUSTODY_TLS_CERT)
  --tls-key           and this private key (PEM), readable by the server only (env CUSTODY_TLS_KEY)
  --trust-proxy       behind a reverse proxy: count login challenges per client by the last
                      address in X-Forwarded-For (env CUSTODY_TRUST_PROXY=1); never without a proxy

  CUSTODY_STORE=eventstoredb with EVENTSTORE_URL=esdb://host:2113?tls=false runs the ledger on
  EventStoreDB instead of the SQLite file; the ledger key and the inbox stay beside --db.`;

/** `checkpointSeconds` and `witnessKeys` are there only when given: the server has its own defaults. */
export type ServerArgs =
  | {
      dbPath: string;
      host: string;
      port: number;
      checkpointSeconds?: number;
      witnessKeys?: TrustedKey[];
      newInbox?: true;
      tls?: { certFile: string; keyFile: string };
      trustForwardedFor?: boolean;
    }
  | { help: true };

/** setInterval cannot wait longer than 2^31 - 1 ms (and silently fires at once if asked to). */
const MAX_CHECKPOINT_SECONDS = 2_147_483;

/** Flags win over environment variables, which win over defaults. Throws a message for bad input. */
export function parseServerArgs(argv: string[], env: NodeJS.ProcessEnv): ServerArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'checkpoint-every': { type: 'string' },
      witness: { type: 'string', multiple: true },
      'new-inbox': { type: 'boolean' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'trust-proxy': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { help: true };
  const portText = values.port ?? env['CUSTODY_PORT'] ?? '8080';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new Error(`--port must be a whole number from 0 to 65535, not ${JSON.stringify(portText)}`);
  const secondsText = values['checkpoint-every'] ?? env['CUSTODY_CHECKPOINT_SECONDS'];
  const checkpointSeconds = secondsText === undefined ? undefined : /^\d{1,7}$/.test(secondsText) ? Number(secondsText) : NaN;
  if (checkpointSeconds !== undefined && !(checkpointSeconds <= MAX_CHECKPOINT_SECONDS)) {
    throw new Error(`--checkpoint-every must be a whole number of seconds from 0 to ${MAX_CHECKPOINT_SECONDS}, not ${JSON.stringify(secondsText)}`);
  }
  const witnesses = values.witness ?? env['CUSTODY_WITNESSES']?.split(/[\s,]+/).filter((w) => w !== '');
  const certFile = values['tls-cert'] ?? env['CUSTODY_TLS_CERT'];
  const keyFile = values['tls-key'] ?? env['CUSTODY_TLS_KEY'];
  if ((certFile === undefined) !== (keyFile === undefined)) throw new Error('--tls-cert and --tls-key go together: give both, or neither for plain HTTP');
  const trustProxy = values['trust-proxy'] === true || env['CUSTODY_TRUST_PROXY'] === '1';
  return {
    dbPath: values.db ?? env['CUSTODY_DB'] ?? './data/custody.db',
    host: values.host ?? env['CUSTODY_HOST'] ?? '127.0.0.1',
    port,
    ...(checkpointSeconds === undefined ? {} : { checkpointSeconds }),
    ...(witnesses === undefined || witnesses.length === 0 ? {} : { witnessKeys: witnesses.map(witnessKey) }),
    ...(values['new-inbox'] ? { newInbox: true as const } : {}),
    ...(certFile !== undefined && keyFile !== undefined ? { tls: { certFile, keyFile } } : {}),
    ...(trustProxy ? { trustForwardedFor: true } : {}),
  };
}

/** A witness key given as its verifier key text, or as a file that holds it. */
function witnessKey(value: string): TrustedKey {
  const text = existsSync(value) ? readFileSync(value, 'utf8') : value;
  const key = parseTrustedKey(text, 'witness');
  if (typeof key === 'string') throw new Error(`--witness ${JSON.stringify(value.slice(0, 80))}: ${key}`);
  return key;
}

/** The `custody` launcher of this checkout; `npx custody` would look for a package of that name instead. */
const CUSTODY_BIN = fileURLToPath(new URL('../../bin/custody.js', import.meta.url));

/** The certificate and key files' contents; a file that cannot be read is named, with why. */
function readTls(files: { certFile: string; keyFile: string }): { cert: Buffer; key: Buffer } {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new Error(`the TLS ${what} ${file} cannot be read: ${(error as Error).message}`);
    }
  };
  return { cert: read(files.certFile, 'certificate'), key: read(files.keyFile, 'private key') };
}

/** What the log says when nobody is enrolled yet: how the first security officer gets in. */
export function firstEnrolmentHint(dbPath: string, url: string): string {
  return [
    'Nobody is enrolled yet. Enrol the first security officer with their own key, either',
    '  with the CLI on this machine: stop this server first (Ctrl-C; the ledger has one writer), then',
    '  (custody is bin/custody.js: make it a command once with `npm link`, or, as the README does,',
    `  alias custody="node ${CUSTODY_BIN}")`,
    '    custody keygen --id officer --out officer.key',
    `    custody init --db ${dbPath} --key officer.key --id officer --name "Your Name" --unit "Your Unit"`,
    '  and start it again; or over HTTP while it runs: POST { command } with a self-signed EnrolPerson',
    `  (roles including security-officer, enrolledBy = personId) to ${url}/acts/prepare, sign the act`,
    `  it returns, and POST { act, signatures } to ${url}/acts. That is the only act accepted without a`,
    '  token, and only while nobody is enrolled.',
  ].join('\n');
}

/** `npm start`: reads the process's arguments and environment, serves until SIGINT or SIGTERM. */
export async function main(): Promise<void> {
  let args: ServerArgs;
  try {
    args = parseServerArgs(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
  if ('help' in args) {
    console.log(USAGE);
    return;
  }
  let running: RunningServer;
  let storeDescription = `sqlite ${resolve(args.dbPath)}`;
  try {
    const config = parseStoreConfig(process.env);
    const store = config.kind === 'eventstoredb' ? createEventStoreDbStore({ connectionString: config.connectionString }) : undefined;
    if (store) storeDescription = describeStoreConfig(config);
    const { tls, ...rest } = args;
    running = await startServer({
      ...rest,
      ...(tls ? { tls: readTls(tls) } : {}),
      ...(store ? { store } : {}),
      onListening: (url) => console.log(`custody-ledger opening the ledger; until it is open, ${url} answers 503 (but /health)`),
      onRebuildProgress: rebuildReporter((line) => console.log(line)),
    });
  } catch (error) {
    console.error(`custody-ledger could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  // Before `listening on` is printed: whoever waits for that line may signal at once, and a signal
  // with no listener yet kills the process without closing the ledger.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${signal}: closing the server, then the ledger`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const { home } = running;
  for (const warning of home.warnings) console.error(`custody-ledger: ${warning}`);
  console.log(`custody-ledger ${home.created ? 'created' : 'opened'} ledger ${home.ledgerId} on ${storeDescription}`);
  console.log(`custody-ledger listening on ${running.url}`);
  const every = args.checkpointSeconds ?? DEFAULT_CHECKPOINT_SECONDS;
  console.log(`custody-ledger signs a checkpoint ${every > 0 ? `within ${every} s of every append` : 'only on demand'}; GET /checkpoints/latest`);
  if (home.firstEnrolmentOpen()) console.log(firstEnrolmentHint(args.dbPath, running.url));
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) void main();
