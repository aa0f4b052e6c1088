import { parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { ApiProblem } from '../../client/http.js';
import { connect, type Connection } from '../connect.js';
import { download } from '../download.js';
import { CliError, EXIT } from '../errors.js';
import { resolvePath, writeFileSafely } from '../files.js';
import { writeJson, writeLines, type CliIo } from '../io.js';
import { parseCheckpointText } from '../../verify/checkpoint/checkpoint.js';
import { hashToBase64 } from '../../verify/merkle/hash.js';
import { parseNote } from '../../verify/note/note.js';

const options = {
  take: { type: 'boolean' },
  wait: { type: 'boolean' },
  out: { type: 'string' },
} as const;

/** A young ledger has no checkpoint until the server's first periodic one: --wait polls this often, this long. */
const WAIT_POLL_MS = 5_000;
const WAIT_AT_MOST_MS = 15 * 60_000;

export const checkpoint: Command = {
  name: 'checkpoint',
  summary: "the ledger's latest signed checkpoint (or, for security officers, take one now)",
  usage: `Usage: custody checkpoint [--take | --wait] [--out <file>] [--json]

Prints the ledger's latest checkpoint: a signed note (C2SP) committing to every event recorded so
far (tree size and Merkle root) and to every stream's head, with the cosignatures of witnesses. The
server signs one every few minutes when events were appended.

Keep the note: later, \`custody verify <bundle> --known <file>\` proves the history a bundle shows
extends what you saw then, and reports a fork (another history of the same size) if it does not.
Nothing is verified here: custody verify checks the signatures against the keys you trust.

Options:
  --take        sign and record a checkpoint now (security officers; the latest if nothing changed)
  --wait        on a young ledger with no checkpoint yet, wait for the server's first (at most 15 min)
  --out <file>  also write the signed note to a file
  --json        print { origin, size, root, time, heads, witnesses, note }`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    positionalsOf(positionals, []);
    const connection = await connect(io);
    let note: string;
    if (values.take) {
      const response = await download(io, connection, '/checkpoints', { method: 'POST', accept: 'application/json', timeoutMs: 5 * 60_000 });
      const reply = (await response.json().catch(() => undefined)) as { note?: unknown } | undefined;
      if (typeof reply?.note !== 'string') throw new CliError(EXIT.unavailable, `${connection.session.server} answered POST /checkpoints without a signed note`);
      note = reply.note;
    } else {
      note = await latestNote(io, connection, values.wait === true);
    }
    const opened = describe(note, connection.session.server);
    if (values.out !== undefined) await writeFileSafely(resolvePath(io, values.out), note, { mode: 0o644 });
    if (values.json) {
      writeJson(io, opened);
      return EXIT.ok;
    }
    const { origin, size, time, witnesses } = opened;
    writeLines(io.stderr, `Checkpoint of ${origin}: ${size} events, signed ${time}${witnesses.length > 0 ? `, cosigned by ${witnesses.join(', ')}` : ', no cosignatures yet'}.`);
    io.stdout.write(note);
    return EXIT.ok;
  },
};

/**
 * The latest signed note. None yet (404) is said in words with what to do; with `wait`, asked again
 * until the server's first periodic checkpoint is there.
 */
async function latestNote(io: CliIo, connection: Connection, wait: boolean): Promise<string> {
  const sleep = io.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  for (let waited = 0; ; waited += WAIT_POLL_MS) {
    try {
      return await (await download(io, connection, '/checkpoints/latest', { accept: 'text/plain', timeoutMs: 30_000 })).text();
    } catch (error) {
      if (!(error instanceof ApiProblem) || error.status !== 404) throw error;
      if (!wait) {
        throw new CliError(
          EXIT.notFound,
          'no checkpoint signed yet: the server signs one every few minutes once events are recorded. custody checkpoint --wait waits for it; a security officer can sign one now with custody checkpoint --take',
        );
      }
      if (waited >= WAIT_AT_MOST_MS) throw new CliError(EXIT.notFound, `no checkpoint was signed in ${WAIT_AT_MOST_MS / 60_000} minutes of waiting; ask a security officer to take one (custody checkpoint --take)`);
      if (waited === 0) writeLines(io.stderr, 'No checkpoint signed yet; waiting for the server to sign the first (Ctrl-C to stop)...');
      await sleep(WAIT_POLL_MS);
    }
  }
}

/** The note's checkpoint, read (not verified) so that a person sees what it commits to. */
function describe(note: string, server: string) {
  const parsed = parseNote(note);
  const checkpoint = typeof parsed === 'string' ? parsed : parseCheckpointText(parsed.text);
  if (typeof parsed === 'string' || typeof checkpoint === 'string') {
    throw new CliError(EXIT.unavailable, `${server} answered with something that is not a signed checkpoint: ${typeof parsed === 'string' ? parsed : checkpoint}`);
  }
  return {
    origin: checkpoint.origin,
    size: checkpoint.size,
    root: hashToBase64(checkpoint.root),
    time: checkpoint.time,
    heads: { count: checkpoint.heads.count, root: hashToBase64(checkpoint.heads.root) },
    // The ledger's own signature comes first; every later line is a witness's cosignature.
    witnesses: parsed.signatures.slice(1).map((s) => s.name),
    note,
  };
}
