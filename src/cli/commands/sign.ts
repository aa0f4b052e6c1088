import { actIdOf } from '../../ledger/envelope.js';
import { missingSigners, readActFile, signAct, writeActFile } from '../act-file.js';
import { parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { EXIT, usageError } from '../errors.js';
import { resolvePath } from '../files.js';
import { describeAct } from '../format.js';
import { writeJson, writeLines, type CliIo } from '../io.js';
import { PASSPHRASE_HELP, PASSPHRASE_OPTIONS, usePassphraseSource } from '../passphrase.js';
import { readKeyFile, signerFor, type LoadedKey } from '../key-file.js';
import { describeOutcome } from '../outcome.js';
import { readSession } from '../session.js';

const options = {
  key: { type: 'string' },
  as: { type: 'string' },
  submit: { type: 'boolean' },
  ...PASSPHRASE_OPTIONS,
} as const;

export const sign: Command = {
  name: 'sign',
  summary: 'add your signature to an act file (offline: no server, no network)',
  usage: `Usage: custody sign <act-file> [--key <key-file>] [--as <personId>] [--submit] [--json]

Shows what the act records (command, carriers, events, time, act id = SHA-256 of the signed bytes)
and adds your Ed25519 signature to the file. Needs no server and no network: the file can travel
from one signer's machine to the next (two couriers sign one transport on two machines). Refused
when you are not one of the act's signers, or when a signature already on the file no longer
verifies (the act was changed after it was signed).

Options:
  --key <key-file>   your key file (default: the key file of your login session)
${PASSPHRASE_HELP}
  --as <personId>    who you are (default: the person the key file names)
  --submit           then submit it (needs a login session; the only step that uses the network)
  --json             print { actId, signer, alreadySigned, missing, file, outcome }`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    usePassphraseSource(io, values);
    const [path] = positionalsOf(positionals, ['act-file']);
    const file = resolvePath(io, path!);
    const signed = await readActFile(file);
    const key = await keyFor(io, values.key);
    const signer = signerFor(key, values.as);
    const outcome = signAct(signed, signer, key, io.clock?.());
    if (!outcome.alreadySigned) await writeActFile(file, outcome.signed);
    const actId = actIdOf(signed.act);
    const missing = missingSigners(outcome.signed);
    // What was signed is shown before anything goes on the network, so a refused submission still says it.
    if (!values.json) {
      writeLines(
        io.stdout,
        'Signing',
        ...describeAct(outcome.signed, actId),
        outcome.alreadySigned ? `${signer} had already signed ${file}; nothing changed.` : `Signed as ${signer}: ${file}`,
      );
    }
    const submitted = values.submit ? await (await connect(io)).call((api) => api.submit(outcome.signed)) : undefined;
    if (values.json) {
      writeJson(io, { actId, signer, alreadySigned: outcome.alreadySigned, missing, file, outcome: submitted ?? null });
      return EXIT.ok;
    }
    if (submitted !== undefined) writeLines(io.stdout, ...describeOutcome(submitted));
    else writeLines(io.stdout, missing.length > 0 ? `Still to sign: ${missing.join(', ')}` : `Every signer has signed: custody submit ${path}`);
    return EXIT.ok;
  },
};

/** The key named by --key, else the one the login session was made with. */
async function keyFor(io: CliIo, flag: string | undefined): Promise<LoadedKey> {
  if (flag !== undefined) return readKeyFile(io, resolvePath(io, flag));
  const session = await readSession(io);
  if (session === undefined) throw usageError('missing --key <key-file> (and no login session to take it from)');
  return readKeyFile(io, session.keyFile);
}
