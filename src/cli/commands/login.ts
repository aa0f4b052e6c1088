import { createCustodyApi } from '../../client/custody-api.js';
import { normaliseBaseUrl } from '../../client/http.js';
import { parseCommandArgs, positionalsOf, required } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../errors.js';
import { resolvePath } from '../files.js';
import { writeJson, writeLines } from '../io.js';
import { PASSPHRASE_HELP, PASSPHRASE_OPTIONS, usePassphraseSource } from '../passphrase.js';
import { readKeyFile, signerFor } from '../key-file.js';
import { readSession, serverFrom, writeSession } from '../session.js';

const options = {
  server: { type: 'string' },
  key: { type: 'string' },
  as: { type: 'string' },
  ...PASSPHRASE_OPTIONS,
} as const;

export const login: Command = {
  name: 'login',
  summary: 'prove you hold your key (challenge/response) and save a session',
  usage: `Usage: custody login [--server <url>] --key <key-file> [--as <personId>] [--json]

Asks the server for a challenge, signs it with your key and exchanges the signature for a
short-lived token. The session { server, personId, token, expiresAt, keyFile } is saved in
$CUSTODY_HOME/session.json (default ~/.custody, mode 0600); later commands use it and renew the
token with the same key file when it expires. Logging in again replaces the session.

Options:
  --server <url>     e.g. http://127.0.0.1:8080 (default: $CUSTODY_SERVER, else the saved session's)
  --key <key-file>   your key file (custody keygen)
${PASSPHRASE_HELP}
  --as <personId>    who you are (default: the person the key file names)
  --json             print the session without the token`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    usePassphraseSource(io, values);
    positionalsOf(positionals, []);
    const keyFile = resolvePath(io, required(values.key, '--key <key-file>'));
    const previous = await readSession(io).catch(() => undefined);
    const server = serverFrom(io, values.server, previous);
    if (server === undefined) throw usageError('no server: give --server <url> or set CUSTODY_SERVER');
    let baseUrl: string;
    try {
      baseUrl = normaliseBaseUrl(server);
    } catch {
      throw usageError(`--server ${JSON.stringify(server)} is not an http(s) URL`);
    }
    const key = await readKeyFile(io, keyFile);
    const personId = signerFor(key, values.as);

    const api = createCustodyApi({ baseUrl, ...(io.fetch ? { fetch: io.fetch } : {}) });
    const { token, expiresAt, ledgerId } = await api.login(personId, key);
    const file = await writeSession(io, { server: baseUrl, personId, token, expiresAt, keyFile, ledgerId });

    if (values.json) {
      writeJson(io, { server: baseUrl, personId, ledgerId, expiresAt, keyFile, session: file });
    } else {
      writeLines(io.stdout, `Logged in to ${baseUrl} (ledger ${ledgerId}) as ${personId} until ${expiresAt}.`, `Session saved in ${file}.`);
    }
    return EXIT.ok;
  },
};
