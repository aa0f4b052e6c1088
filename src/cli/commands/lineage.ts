import { idArg, parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { EXIT } from '../errors.js';
import { text } from '../format.js';
import { writeJson, writeLines } from '../io.js';
import { plural } from '../../domain/describe/words.js';
import { arrayAt, objectAt, type Json } from './reply-fields.js';

const describe = (node: Json): string =>
  `${text(node.carrierId)}  copy ${text(node.copyNumber)}  ${text(node.status)}  ${text(node.holders)}  ${text(node.location)}  since ${text(node.since)}`;

/** The carrier and its copies, each level indented under the one it was copied from. */
function tree(node: Json, depth: number): string[] {
  return [`${'  '.repeat(depth)}${describe(node)}`, ...arrayAt(node, 'copies').flatMap((copy) => tree(copy, depth + 1))];
}

/** "1 copy", "3 copies", "no copies": every copy below the carrier, copies of copies included. */
function copiesInWords(node: Json): string {
  const count = (n: Json): number => arrayAt(n, 'copies').reduce((sum, copy) => sum + 1 + count(copy), 0);
  const copies = count(node);
  return copies === 0 ? 'no copies' : plural(copies, 'copy');
}

export const lineage: Command = {
  name: 'lineage',
  summary: "a carrier's parent chain and all its copies, each with status and holder",
  usage: `Usage: custody lineage <carrierId> [--json]

The carriers it was copied from (parent first, the original last), then the carrier and every
copy of it, recursively, each with status, holder(s), location and since when. Not found (exit 3)
when it does not exist or you may not see it.

Options:
  --json   print the server's answer`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {});
    const [given] = positionalsOf(positionals, ['carrierId']);
    const carrierId = idArg(given!, 'carrier');
    const reply = await (await connect(io)).call((api) => api.lineage(carrierId));
    if (values.json) {
      writeJson(io, reply);
      return EXIT.ok;
    }
    const ancestors = arrayAt(reply, 'ancestors');
    const root = objectAt(reply, 'tree');
    writeLines(
      io.stdout,
      ...(ancestors.length > 0 ? ['Copied from (parent first):', ...ancestors.map((a) => `  ${describe(a)}`), ''] : []),
      root ? `${text(root.carrierId)} and ${copiesInWords(root)}:` : 'Carrier and its copies:',
      ...(root ? tree(root, 1) : []),
    );
    return EXIT.ok;
  },
};
