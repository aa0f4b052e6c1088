import type { SignedAct } from '../../domain/act.js';
import { checkCommand, commandDescriptor, commandDescriptors, type CommandDescriptor } from '../../domain/describe/index.js';
import { actIdOf } from '../../ledger/envelope.js';
import { missingSigners, signAct, writeActFile } from '../act-file.js';
import { parseCommandArgs } from '../args.js';
import { commandHelp, commandList, problemLines } from '../command-help.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { dataFromPairs, isKeyValue } from '../data-pairs.js';
import { CliError, EXIT, usageError } from '../errors.js';
import { readJsonFile, resolvePath } from '../files.js';
import { describeAct } from '../format.js';
import { writeJson, writeLines, type CliIo } from '../io.js';
import { PASSPHRASE_HELP, PASSPHRASE_OPTIONS, usePassphraseSource } from '../passphrase.js';
import { readKeyFile } from '../key-file.js';
import { describeOutcome } from '../outcome.js';
import { plainReader } from '../plain-values.js';

const options = {
  data: { type: 'string' },
  'data-file': { type: 'string' },
  out: { type: 'string' },
  sign: { type: 'boolean' },
  submit: { type: 'boolean' },
  list: { type: 'boolean' },
  ...PASSPHRASE_OPTIONS,
} as const;

export const COMMAND_TYPES: readonly string[] = commandDescriptors().map((c) => c.type);

export const prepare: Command = {
  name: 'prepare',
  summary: 'prepare an act for a command at the current heads and write the act file',
  usage: `Usage: custody prepare <CommandType> [key=value ...] [--data <json> | --data-file <file>]
                       (--out <act-file> | --submit) [--sign] [--json]
       custody prepare --list
       custody prepare <CommandType> --help [--json]   (its fields, types, defaults, an example)

Asks the server to decide the command against the ledger as it is now and writes the act every
signer must sign to <act-file> as { act, signatures: [] }. Prints what the act does and who signs.

The command's data comes from key=value words (and/or --data / --data-file, which they override):
  custody prepare TransferCustody carrierId=C1 giver=clerk1 receiver=reader1 location="Office 12" --out t.json
  - values are read as the field wants them: copies=2 is a number, reference=2026 stays text
  - lists of ids take commas or JSON: readers=analyst,director  readers='["analyst","director"]'
  - dotted keys build objects: description.kind=document description.classification=secret
  - the data is checked before the server is asked: every missing or wrong field is named at once

Options:
  --list              list the command types, each with what it records
  --out <act-file>    where to write the act file
  --sign              sign it at once as the logged-in person (with the session's key file)
${PASSPHRASE_HELP}
  --submit            submit it right away: appended when every signer has signed, otherwise it
                      waits in the co-signers' inboxes (custody inbox)
  --data <json>       the data as one JSON object
  --data-file <file>  the data from a JSON file
  --verbose           the whole act id and every value, the schema's defaults included
  --json              print { actId, act, signatures, file, outcome }

Command types: ${COMMAND_TYPES.join(', ')}`,

  helpFor(args) {
    const descriptor = args.map((a) => commandDescriptor(a)).find((d) => d !== undefined);
    if (descriptor === undefined) return undefined;
    // --json: the descriptor itself, for scripts and forms (the zod schema stays behind).
    const { schema: _schema, ...described } = descriptor;
    return args.includes('--json') ? JSON.stringify(described, null, 2) : commandHelp(descriptor);
  },

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    usePassphraseSource(io, values);
    if (values.list) {
      if (values.json) writeJson(io, commandDescriptors().map(({ type, group, purpose }) => ({ type, group, purpose })));
      else writeLines(io.stdout, commandList());
      return EXIT.ok;
    }
    const [type, ...pairs] = positionals;
    if (type === undefined) throw usageError('missing <CommandType> (custody prepare --list shows them)');
    const command = knownType(type);
    const commandType = command.type;
    const notPairs = pairs.filter((p) => !isKeyValue(p));
    if (notPairs.length > 0) throw usageError(`expected key=value, got ${JSON.stringify(notPairs[0])}`);
    if (values.out === undefined && !values.submit) throw usageError('missing --out <act-file> (or --submit)');
    const data = dataFromPairs(pairs, await baseData(io, values.data, values['data-file']), plainReader(command.fields));
    requireWellFormed(command, data);

    const connection = await connect(io);
    const prepared = await connection.call((api) => api.prepare({ type: commandType, data }));
    const actId = actIdOf(prepared.act);
    let file: SignedAct = { act: prepared.act, signatures: [] };
    if (values.sign) {
      const key = await readKeyFile(io, connection.session.keyFile);
      file = signAct(file, connection.session.personId, key).signed;
    }
    const out = values.out === undefined ? undefined : resolvePath(io, values.out);
    if (out !== undefined) await writeActFile(out, file);
    if (!values.json) {
      writeLines(io.stdout, `Prepared ${describeAct(file, actId, { verbose: values.verbose === true }).join('\n')}`);
      if (out !== undefined) writeLines(io.stdout, `Wrote ${out}.`);
    }
    const outcome = values.submit ? await connection.call((api) => api.submit(file)) : undefined;
    if (values.json) {
      writeJson(io, { actId, act: file.act, signers: file.act.signers, signatures: file.signatures, file: out ?? null, outcome: outcome ?? null });
      return EXIT.ok;
    }
    if (outcome !== undefined) {
      writeLines(io.stdout, ...describeOutcome(outcome, { verbose: values.verbose === true }));
    } else {
      const unsigned = missingSigners(file);
      writeLines(
        io.stdout,
        unsigned.length > 0
          ? `To sign: ${unsigned.join(', ')}, each with: custody sign ${values.out} --key <their key file>; then custody submit ${values.out}`
          : `Every signer has signed: custody submit ${values.out}`,
      );
    }
    return EXIT.ok;
  },
};

function knownType(type: string): CommandDescriptor {
  const known = commandDescriptor(type);
  if (known !== undefined) return known;
  const close = COMMAND_TYPES.find((t) => t.toLowerCase() === type.toLowerCase());
  throw usageError(`unknown command type ${JSON.stringify(type)}${close ? `; did you mean ${close}?` : '; custody prepare --list shows them'}`);
}

/** Every missing or wrong field at once, in words, before the server is asked. */
function requireWellFormed(command: CommandDescriptor, data: Record<string, unknown>): void {
  const checked = checkCommand(command.type, data);
  if (checked.ok) return;
  const count = checked.problems.length;
  throw new CliError(EXIT.usage, `the ${command.type} data has ${count === 1 ? 'a problem' : `${count} problems`} (custody prepare ${command.type} --help lists its fields):`, {
    issues: checked.problems.map((p) => ({ path: p.path, message: p.message, code: p.problem })),
    detail: problemLines(checked.problems, command),
  });
}

async function baseData(io: CliIo, inline: string | undefined, file: string | undefined): Promise<Record<string, unknown>> {
  if (inline !== undefined && file !== undefined) throw usageError('give --data or --data-file, not both');
  if (inline === undefined && file === undefined) return {};
  let value: unknown;
  if (inline !== undefined) {
    try {
      value = JSON.parse(inline) as unknown;
    } catch (error) {
      throw usageError(`--data is not JSON: ${(error as Error).message}`);
    }
  } else {
    value = await readJsonFile(resolvePath(io, file!), 'JSON data file');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw usageError('the data must be a JSON object');
  return value as Record<string, unknown>;
}
