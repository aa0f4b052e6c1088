import { normaliseBaseUrl } from '../../client/http.js';
import { createCustodyApi } from '../../client/custody-api.js';
import { sha256Hex } from '../../crypto/hash.js';
import { parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { CliError, EXIT, usageError } from '../errors.js';
import { resolvePath, writeFileSafely } from '../files.js';
import { writeJson, writeLines } from '../io.js';
import { readSession, serverFrom } from '../session.js';

export const ledger: Command = {
  name: 'ledger',
  summary: "the ledger's id and public key, to hand to investigators in person",
  usage: `Usage: custody ledger key [--server <url>] [--out <file>] [--json]

Prints the ledger's id and the public key its checkpoints are signed with, and a fingerprint to
read aloud when handing the key over. An investigator verifies bundles offline against this key
(custody verify <bundle> --trust <key or file>); it must reach them by a path the server does not
control: in person, on paper or on a medium the officer hands over. No login is needed.

Options:
  --server <url>  the server (default: $CUSTODY_SERVER, else the saved session's)
  --out <file>    also write { ledgerId, publicKey } to a file custody verify --trust reads
  --json          print { ledgerId, publicKey, fingerprint }`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { server: { type: 'string' }, out: { type: 'string' } });
    const [what] = positionalsOf(positionals, ['what']);
    if (what !== 'key') throw usageError(`unknown ledger question ${JSON.stringify(what)}: custody ledger key`);
    const server = serverFrom(io, values.server, await readSession(io).catch(() => undefined));
    if (server === undefined) throw usageError('no server: give --server <url> or set CUSTODY_SERVER');
    let baseUrl: string;
    try {
      baseUrl = normaliseBaseUrl(server);
    } catch {
      throw usageError(`--server ${JSON.stringify(server)} is not an http(s) URL`);
    }
    const info = await createCustodyApi({ baseUrl, ...(io.fetch ? { fetch: io.fetch } : {}) }).ledger();
    if (typeof info.publicKey !== 'string') throw new CliError(EXIT.notFound, `${baseUrl} has no ledger key yet`);
    const fingerprint = fingerprintOf(info.publicKey);
    const out = values.out === undefined ? undefined : resolvePath(io, values.out);
    if (out !== undefined) {
      await writeFileSafely(out, `${JSON.stringify({ ledgerId: info.ledgerId, publicKey: info.publicKey }, null, 2)}\n`, { mode: 0o644 });
    }
    if (values.json) {
      writeJson(io, { ledgerId: info.ledgerId, publicKey: info.publicKey, fingerprint, file: out ?? null });
      return EXIT.ok;
    }
    writeLines(
      io.stdout,
      `Ledger       ${info.ledgerId}`,
      `Public key   ${info.publicKey}`,
      `Fingerprint  ${fingerprint}   (SHA-256 of the key; read it aloud when you hand the key over)`,
      ...(out === undefined ? [] : [`Wrote ${out}.`]),
      `Investigators verify with: custody verify <bundle> --trust ${out ?? info.publicKey}`,
    );
    return EXIT.ok;
  },
};

/** The first 80 bits of the key's SHA-256, in groups of four hex digits: short enough to read aloud. */
export const fingerprintOf = (publicKey: string): string => (sha256Hex(publicKey).slice(0, 20).match(/.{4}/g) ?? []).join(' ');
