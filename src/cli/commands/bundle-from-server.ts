import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebStream } from 'node:stream/web';
import { idArg, parseCommandArgs, positionalsOf, required } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { download } from '../download.js';
import { CliError, EXIT, fileError, usageError } from '../errors.js';
import { resolvePath, writeFileSafely } from '../files.js';
import { writeJson, writeLines, type CliIo } from '../io.js';
import { bundle as localBundle, knownSizesOf } from './bundle.js';

const options = {
  server: { type: 'boolean' },
  db: { type: 'string' },
  out: { type: 'string' },
  ledger: { type: 'boolean' },
  force: { type: 'boolean' },
  known: { type: 'string', multiple: true },
} as const;

const NEWLINE = 0x0a;

/** A carrier's bundle is built and signed on request: on a large ledger that can take a while. */
const CARRIER_TIMEOUT_MS = 5 * 60_000;

/**
 * `custody bundle`: from a local ledger file (bundle.ts), or with --server from the server you are
 * logged in to, with your session: GET /carriers/{id}/bundle (what you may see), or GET /bundle for
 * the whole ledger (security officers and investigators).
 */
export const bundle: Command = {
  ...localBundle,
  summary: 'export a self-contained, verifiable bundle of one carrier (or the whole ledger), from a ledger file or the server',
  usage: `${localBundle.usage}

From the server you are logged in to (custody login), instead of a ledger file:
       custody bundle <carrierId> --server --out <file> [--known <checkpoint>]... [--force] [--json]
       custody bundle --ledger --server --out <file> [--known <checkpoint>]... [--force] [--json]

The server signs a fresh checkpoint and builds the bundle; you may download a carrier you may see
(and all of its lineage), and the whole ledger if you are a security officer or an investigator.
The file is evidence, not trust: check it with custody verify against the ledger key you hold.`,

  run(args, io) {
    return args.includes('--server') ? fromServer(args, io) : localBundle.run(args, io);
  },
};

async function fromServer(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, options);
  if (values.db !== undefined) throw usageError('--server downloads from the server, --db reads a ledger file: give one of them');
  const [carrierId] = positionalsOf(positionals, values.ledger ? [] : ['carrierId']);
  if (carrierId !== undefined) idArg(carrierId, 'carrier');
  const out = resolvePath(io, required(values.out, '--out <file>'));
  if (existsSync(out) && !values.force) throw new CliError(EXIT.refused, `${out} exists; refusing to overwrite it (use --force to replace it)`);
  const known = values.known === undefined ? '' : `?known=${(await knownSizesOf(io, values.known)).join(',')}`;
  const connection = await connect(io);

  let summary: { kind: 'carrier' | 'ledger'; events: number; checkpointSize: number };
  if (carrierId === undefined) {
    const response = await download(io, connection, `/bundle${known}`, { accept: 'application/x-ndjson' });
    summary = { kind: 'ledger', ...(await saveLines(response, out)) };
  } else {
    const path = `/carriers/${encodeURIComponent(carrierId)}/bundle${known}`;
    const response = await download(io, connection, path, { accept: 'application/json', timeoutMs: CARRIER_TIMEOUT_MS });
    const received = parseCarrierBundle(await response.text(), connection.session.server);
    await writeFileSafely(out, `${JSON.stringify(received.bundle, null, 2)}\n`, { mode: 0o600 });
    summary = { kind: 'carrier', events: received.events, checkpointSize: received.checkpointSize };
  }
  if (values.json) writeJson(io, { file: out, server: connection.session.server, ...summary });
  else {
    writeLines(io.stdout, out);
    writeLines(io.stderr, `Downloaded a ${summary.kind} bundle of ${summary.events} events against checkpoint ${summary.checkpointSize} from ${connection.session.server}.`);
  }
  return EXIT.ok;
}

/** Enough of the shape to say what was received; custody verify checks everything else. */
function parseCarrierBundle(text: string, server: string) {
  let bundle: { kind?: unknown; checkpoint?: unknown; streams?: Array<{ events?: unknown[] }> };
  try {
    bundle = JSON.parse(text) as typeof bundle;
  } catch {
    throw new CliError(EXIT.unavailable, `${server} answered with something that is not JSON, not a bundle`);
  }
  if (bundle.kind !== 'carrier' || typeof bundle.checkpoint !== 'string' || !Array.isArray(bundle.streams)) {
    throw new CliError(EXIT.unavailable, `${server} answered with JSON that is not a carrier bundle`);
  }
  const events = bundle.streams.reduce((n, s) => n + (Array.isArray(s.events) ? s.events.length : 0), 0);
  return { bundle, events, checkpointSize: Number(bundle.checkpoint.split('\n', 2)[1]) };
}

/**
 * Streams the JSON lines to a temporary file beside `out`, then renames it: a download cut short
 * (the header promises more events than arrived) never leaves a file that looks like a bundle.
 */
async function saveLines(response: Response, out: string): Promise<{ events: number; checkpointSize: number }> {
  if (!response.body) throw new CliError(EXIT.unavailable, 'the server sent no bundle');
  await mkdir(dirname(out), { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw fileError('write', out, error);
  });
  const temporary = `${out}.${randomBytes(6).toString('hex')}.part`;
  const file = createWriteStream(temporary, { mode: 0o600 });
  let lines = 0;
  const header: Buffer[] = [];
  try {
    for await (const chunk of Readable.fromWeb(response.body as WebStream<Uint8Array>)) {
      const bytes = chunk as Buffer;
      const newline = bytes.indexOf(NEWLINE);
      // Bytes, decoded once whole: a character can straddle two chunks.
      if (lines === 0) header.push(newline === -1 ? bytes : bytes.subarray(0, newline));
      for (let at = newline; at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) lines++;
      if (!file.write(bytes)) await once(file, 'drain');
    }
    file.end();
    await once(file, 'finish');
    const promised = eventCountOf(Buffer.concat(header).toString('utf8'));
    if (promised === undefined || lines !== promised.eventCount + 1) {
      throw new CliError(EXIT.unavailable, `the download was cut short: ${Math.max(0, lines - 1)} events arrived${promised ? ` of the ${promised.eventCount} the bundle announced` : ''}`);
    }
    await rename(temporary, out).catch((error: unknown) => {
      throw fileError('write', out, error);
    });
    return { events: promised.eventCount, checkpointSize: promised.checkpointSize };
  } catch (error) {
    file.destroy();
    await rm(temporary, { force: true });
    if (error instanceof CliError) throw error;
    // The file system names its failures with a code; the network's arrive as a cut stream.
    if ((error as NodeJS.ErrnoException).code !== undefined) throw fileError('write', out, error);
    throw new CliError(EXIT.unavailable, `the download was cut short: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function eventCountOf(header: string): { eventCount: number; checkpointSize: number } | undefined {
  try {
    const parsed = JSON.parse(header) as { kind?: unknown; eventCount?: unknown; checkpoint?: unknown };
    if (parsed.kind !== 'ledger' || typeof parsed.eventCount !== 'number' || typeof parsed.checkpoint !== 'string') return undefined;
    return { eventCount: parsed.eventCount, checkpointSize: Number(parsed.checkpoint.split('\n', 2)[1]) };
  } catch {
    return undefined;
  }
}
