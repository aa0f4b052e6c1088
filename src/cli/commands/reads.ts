import { idArg, parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { EXIT, usageError } from '../errors.js';
import { table, text } from '../format.js';
import { writeJson, writeLines } from '../io.js';

export const reads: Command = {
  name: 'reads',
  summary: 'the access log: who read which carrier, when, and whether they were shown it',
  usage: `Usage: custody reads [--carrier <carrierId>] [--person <personId>] [--from <time>] [--to <time>] [--json]

Every recorded read, oldest first: when, who, what kind of read (where, history, trace, access,
bundle, incident...), which carriers or what else it named, and whether the reader was shown it,
told "not found" (a carrier they may not see is answered so, and recorded so) or refused. For
security officers and investigators (exit 4 otherwise).

Options:
  --carrier <carrierId>  only reads of this carrier
  --person <personId>    only reads by this person
  --from <time>          reads at or after this ISO 8601 instant (with a time zone)
  --to <time>            reads before this instant
  --limit <n>            at most this many (1 to 1000, default 100)
  --cursor <cursor>      the page after the one that printed this cursor
  --json                 print the server's answer`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      carrier: { type: 'string' },
      person: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
    });
    positionalsOf(positionals, []);
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 1000)) {
      throw usageError(`--limit must be a whole number from 1 to 1000, not ${values.limit}`);
    }
    const query = {
      ...(values.carrier !== undefined ? { carrier: idArg(values.carrier, 'carrier') } : {}),
      ...(values.person !== undefined ? { person: idArg(values.person, 'person') } : {}),
      ...(values.from !== undefined ? { from: values.from } : {}),
      ...(values.to !== undefined ? { to: values.to } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(values.cursor !== undefined ? { cursor: values.cursor } : {}),
    };
    const page = await (await connect(io)).call((api) => api.reads(query));
    if (values.json) {
      writeJson(io, page);
      return EXIT.ok;
    }
    if (page.items.length === 0) {
      writeLines(io.stdout, 'No recorded reads match.');
      return EXIT.ok;
    }
    writeLines(
      io.stdout,
      ...table(
        ['TIME', 'PERSON', 'READ', 'CARRIERS', 'SUBJECT', 'OUTCOME', 'REQUEST'],
        page.items.map((r) => [text(r.time), text(r.personId), text(r.kind), text(r.carriers), text(r.subject), text(r.outcome), text(r.requestId)]),
      ),
      ...(page.nextCursor === null ? [] : ['', `More reads: run again with --cursor ${page.nextCursor}`]),
    );
    return EXIT.ok;
  },
};
