import { existsSync } from 'node:fs';
import { parseCommandArgs, positionalsOf, required } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { CliError, EXIT, usageError } from '../errors.js';
import { resolvePath } from '../files.js';
import { writeJson, writeLines, type CliIo } from '../io.js';
import { PASSPHRASE_HELP, PASSPHRASE_OPTIONS, usePassphraseSource } from '../passphrase.js';
import { readKeyFile } from '../key-file.js';
import { keysOf } from '../trusted-keys.js';
import { sha256Hex } from '../../crypto/hash.js';
import { isKeyName, parseNote } from '../../verify/note/note.js';
import { readWitnessState, writeWitnessState } from '../../verify/witness/state-file.js';
import { cosignCheckpoint, initialWitnessState, witnessVerifierKey, WitnessRefused, type WitnessState } from '../../verify/witness/witness.js';

const options = {
  state: { type: 'string' },
  key: { type: 'string' },
  name: { type: 'string' },
  trust: { type: 'string' },
  ...PASSPHRASE_OPTIONS,
} as const;

export const witness: Command = {
  name: 'witness',
  summary: "an independent office cosigns the ledger's checkpoints after checking they extend the last it cosigned",
  usage: `Usage: custody witness init --state <file> --key <witness.key> --name <name> --trust <ledger key> [--json]
       custody witness cosign --state <file> --key <witness.key> [--json]

A witness (an auditor's office, outside the ledger's control) remembers the last checkpoint it
cosigned, in its state file, and cosigns a newer one only with a proof that it extends that one.
Once it has cosigned, the ledger cannot drop, reorder or rewrite what that checkpoint covered, nor
show two offices two different histories, without the witness refusing.

init     writes a fresh state file for the ledger whose key you trust (--trust: its verifier key, or
         the JSON of GET /ledger, got by another route) and prints the witness's verifier key: the
         ledger's operator starts the server with --witness <it>, and verifiers pass it to
         custody verify --witness.
cosign   asks the server (you must be logged in: custody login) for its latest checkpoint and the
         consistency proof from the one in the state file, checks both against the ledger key in
         the state file, records the new state, then hands in the cosignature. A checkpoint that
         does not extend the last one cosigned (a fork, a rollback) is refused: exit 1, nothing
         signed, the state file unchanged.

Options:
  --state <file>        the witness's state file, one per ledger
  --key <witness.key>   the witness's own key file (custody keygen); not a person's key
${PASSPHRASE_HELP}
  --name <name>         the witness's name on its cosignature lines, e.g. audit-office
  --trust <ledger key>  the ledger's public key, as for custody verify --trust`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    usePassphraseSource(io, values);
    const [action] = positionalsOf(positionals, ['init|cosign']);
    const statePath = resolvePath(io, required(values.state, '--state <file>'));
    const key = await readKeyFile(io, resolvePath(io, required(values.key, '--key <witness.key>')));
    if (action === 'init') return init(io, statePath, key.secretKey, required(values.name, '--name <name>'), required(values.trust, '--trust <ledger key>'), values.json);
    if (action === 'cosign') return cosign(io, statePath, key.secretKey, values.json);
    throw usageError(`custody witness ${JSON.stringify(action)}: the action is init or cosign`);
  },
};

async function init(io: CliIo, statePath: string, secretKey: string, name: string, trust: string, json: boolean | undefined) {
  if (existsSync(statePath)) {
    // Starting over would let the ledger lead this witness to cosign a history it once refused.
    throw new CliError(EXIT.refused, `${statePath} already exists: a witness keeps its state; it never starts over for the same ledger`);
  }
  const [trusted] = await keysOf(io, [trust], 'ledger', '--trust');
  if (trusted === undefined) throw usageError('--trust must give the ledger\'s public key');
  // A bare public key names its ledger too: the ledger id is derived from the key (ledger-<sha256 prefix>).
  const ledgerKey = { ...trusted, name: trusted.name ?? `ledger-${sha256Hex(trusted.publicKey).slice(0, 16)}` };
  // The name goes on every cosignature line, which the ledger would refuse if it held a space or a '+'.
  if (!isKeyName(name)) throw usageError(`--name ${JSON.stringify(name)} is not a key name: no spaces, no '+'`);
  const verifierKey = witnessVerifierKey(name, secretKey);
  writeWitnessState(statePath, initialWitnessState(name, ledgerKey.name, ledgerKey.publicKey));
  if (json) writeJson(io, { state: statePath, origin: ledgerKey.name, verifierKey });
  else writeLines(io.stdout, `Witness ${name} for ${ledgerKey.name}: state in ${statePath}.`, `Its verifier key (for the server's --witness and custody verify --witness):`, verifierKey);
  return EXIT.ok;
}

async function cosign(io: CliIo, statePath: string, secretKey: string, json: boolean | undefined) {
  const state = readWitnessState(statePath);
  if (typeof state === 'string') throw usageError(state);
  const connection = await connect(io);
  const request = await connection.call((api) => api.cosignRequest(state.size));
  let signed: { line: string; state: WitnessState };
  try {
    // Checked every time, even when there is nothing new: the same size with another root is a fork.
    signed = cosignCheckpoint(state, secretKey, request);
  } catch (error) {
    if (error instanceof WitnessRefused) throw new CliError(EXIT.refused, `refused to cosign (${error.reason}): ${error.message}`);
    throw error;
  }
  if (signed.state.size === state.size && alreadyCosigned(request.note, state)) {
    if (json) writeJson(io, { size: state.size, cosigned: false });
    else writeLines(io.stdout, `Nothing new: checkpoint ${state.size} of ${state.origin} is already cosigned by ${state.name}.`);
    return EXIT.ok;
  }
  // Recorded before the line leaves: a witness that forgot a cosignature could be led into a fork.
  writeWitnessState(statePath, signed.state);
  const reply = await connection.call((api) => api.cosign(signed.state.size, signed.line));
  if (json) writeJson(io, { size: reply.size, cosigned: true, witnesses: reply.witnesses ?? [] });
  else writeLines(io.stdout, `Cosigned checkpoint ${reply.size} of ${state.origin} as ${state.name}${reply.witnesses ? ` (cosigned by ${reply.witnesses.join(', ')})` : ''}.`);
  return EXIT.ok;
}

const alreadyCosigned = (note: string, state: WitnessState): boolean => {
  const parsed = parseNote(note);
  return typeof parsed !== 'string' && parsed.signatures.some((s) => s.name === state.name);
};
