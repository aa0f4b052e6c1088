import { readActFile, requireIntactSignatures } from '../act-file.js';
import { parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { EXIT } from '../errors.js';
import { resolvePath } from '../files.js';
import { writeJson } from '../io.js';
import { printOutcome } from '../outcome.js';

export const submit: Command = {
  name: 'submit',
  summary: 'submit an act file: appended, or pending until the others sign',
  usage: `Usage: custody submit <act-file> [--json]

Sends the act and its signatures to the server, as the logged-in person, who must be one of its
signers (anyone else is refused, exit 4). When every signer has signed, the act is appended
to every stream it names (prints the new revisions). Otherwise it waits in the inbox of those who
have not signed yet (prints who) until they sign or it expires: that is success too (exit 0).
Refused (exit 1) with the rule when the ledger says no, for instance when another act moved the
carrier since this one was prepared (prepare it again).

Options:
  --verbose  the whole act id
  --json     print the server's answer { status: appended | pending, actId, events | missing }`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {});
    const [path] = positionalsOf(positionals, ['act-file']);
    const signed = await readActFile(resolvePath(io, path!));
    // A changed act would only be refused by the server; saying so here names the signer it broke.
    requireIntactSignatures(signed);
    const outcome = await (await connect(io)).call((api) => api.submit(signed));
    if (values.json) writeJson(io, outcome);
    else printOutcome(io, outcome, { verbose: values.verbose === true });
    return EXIT.ok;
  },
};
