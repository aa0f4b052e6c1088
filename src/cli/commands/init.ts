import { CLASSIFICATIONS, type Classification } from '../../domain/primitives.js';
import { signAct } from '../act-file.js';
import { idArg, parseCommandArgs, positionalsOf, required } from '../args.js';
import type { Command } from '../command.js';
import { CliError, EXIT, refused, usageError } from '../errors.js';
import { resolvePath } from '../files.js';
import { writeJson, writeLines } from '../io.js';
import { PASSPHRASE_HELP, PASSPHRASE_OPTIONS, usePassphraseSource } from '../passphrase.js';
import { readKeyFile, signerFor } from '../key-file.js';

const options = {
  db: { type: 'string' },
  key: { type: 'string' },
  id: { type: 'string' },
  name: { type: 'string' },
  unit: { type: 'string' },
  clearance: { type: 'string' },
  ...PASSPHRASE_OPTIONS,
} as const;

export const init: Command = {
  name: 'init',
  summary: 'create the ledger (local, no server) and enrol its first security officer',
  usage: `Usage: custody init --db <path> --key <key-file> --id <personId> --name <name> --unit <unit>
                    [--clearance top-secret] [--json]

Runs on the server's machine, before the server starts, without a network. Creates the ledger in the
SQLite file <path> (and the ledger's own key beside it) if it does not exist, then enrols you as its
first security officer: an EnrolPerson act you sign yourself with <key-file>. Refused if anyone is
enrolled already; from then on a security officer enrols people with custody prepare EnrolPerson.
A server already running on <path> would not see this enrolment: run init first, then start it.

Options:
  --db <path>          the ledger's SQLite file (the server's --db)
  --key <key-file>     your key file (custody keygen)
${PASSPHRASE_HELP}
  --id <personId>      your person id (must match the key file's, if it names one)
  --name <name>        your full name, as you sign it
  --unit <unit>        your unit
  --clearance <level>  confidential, secret or top-secret (default top-secret)
  --json               print { ledgerId, db, personId, actId }`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    usePassphraseSource(io, values);
    positionalsOf(positionals, []);
    const dbPath = resolvePath(io, required(values.db, '--db <path>'));
    const keyPath = resolvePath(io, required(values.key, '--key <key-file>'));
    const personId = idArg(required(values.id, '--id <personId>'), '--id');
    const name = required(values.name, '--name <name>');
    const unit = required(values.unit, '--unit <unit>');
    const clearance = classification(values.clearance ?? 'top-secret');
    const key = await readKeyFile(io, keyPath);
    signerFor(key, personId); // refuses a key file that names someone else

    // The only command that opens the database: loaded here so that no other command pays for it.
    const { openLedgerHome } = await import('../../server/home.js');
    const home = await openLedgerHome({ dbPath }).catch((error: unknown) => {
      throw new CliError(EXIT.unavailable, `cannot open the ledger in ${dbPath}: ${error instanceof Error ? error.message : String(error)}`);
    });
    try {
      const enrolled = home.ledger.model.persons.size;
      if (enrolled > 0) {
        throw refused('R-PERSON', `the ledger in ${dbPath} already has ${enrolled} enrolled ${enrolled === 1 ? 'person' : 'people'}; a security officer enrols others with custody prepare EnrolPerson`);
      }
      const act = home.ledger.prepare({
        type: 'EnrolPerson',
        data: { personId, name, unit, clearance, roles: [{ role: 'security-officer' }], publicKey: key.publicKey, enrolledBy: personId },
      });
      const { signed } = signAct({ act, signatures: [] }, personId, key);
      const { actId } = await home.ledger.submit(signed);
      if (values.json) {
        writeJson(io, { ledgerId: home.ledgerId, db: dbPath, personId, actId });
      } else {
        writeLines(
          io.stdout,
          `Ledger ${home.ledgerId} in ${dbPath}`,
          `Enrolled ${personId} (${name}, ${unit}, ${clearance}) as its first security officer: act ${actId}.`,
          ...nextSteps(io.env['CUSTODY_SERVER'], dbPath, keyPath, personId),
        );
      }
      return EXIT.ok;
    } finally {
      await home.close();
    }
  },
};

function classification(value: string): Classification {
  if (!(CLASSIFICATIONS as readonly string[]).includes(value)) {
    throw usageError(`--clearance must be one of ${CLASSIFICATIONS.join(', ')}, not ${JSON.stringify(value)}`);
  }
  return value as Classification;
}

/**
 * How to go on: start the server on this file and log in to it. The server is the one CUSTODY_SERVER
 * names when it is set (a loopback address's port becomes the server's --port), else the default.
 */
export function nextSteps(server: string | undefined, dbPath: string, keyPath: string, personId: string): string[] {
  const url = server === undefined || server === '' ? 'http://127.0.0.1:8080' : server.replace(/\/+$/, '');
  let port: string | undefined;
  try {
    const parsed = new URL(url);
    if (['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname) && parsed.port !== '' && parsed.port !== '8080') port = parsed.port;
  } catch {
    // Not a URL: custody login will say so; the hint still shows what was set.
  }
  const login = server === undefined || server === '' ? `custody login --server ${url}` : 'custody login';
  return [
    `Next: start the server on this file (npm start -- --db ${dbPath}${port === undefined ? '' : ` --port ${port}`}), then`,
    `      ${login} --key ${keyPath} --as ${personId}${login === 'custody login' ? `   (CUSTODY_SERVER=${url})` : ''}`,
  ];
}
