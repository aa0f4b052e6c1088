import { idArg, parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { EXIT } from '../errors.js';
import { table, text } from '../format.js';
import { writeJson, writeLines } from '../io.js';
import { shortId } from '../outcome.js';
import { arrayAt } from './reply-fields.js';

export const access: Command = {
  name: 'access',
  summary: 'everyone who held, carried, read, copied or witnessed a carrier (R-ACCESS-1)',
  usage: `Usage: custody access <carrierId> [--json]

The access record of a carrier (R-ACCESS-1): each person who held, carried, read, copied or
witnessed it, with their roles and first and last time, then every line with its act. For
security officers and investigators (exit 4 otherwise).

Options:
  --verbose  whole act ids
  --json     print the server's answer`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {});
    const [given] = positionalsOf(positionals, ['carrierId']);
    const carrierId = idArg(given!, 'carrier');
    const record = await (await connect(io)).call((api) => api.access(carrierId));
    if (values.json) {
      writeJson(io, record);
      return EXIT.ok;
    }
    const people = arrayAt(record, 'people');
    writeLines(
      io.stdout,
      `${carrierId} (${text(record.classification)}) ${text(record.title)}: ${people.length} ${people.length === 1 ? 'person' : 'people'} had access`,
      ...table(
        ['PERSON', 'NAME', 'ROLES', 'FIRST', 'LAST', 'ACTS'],
        people.map((p) => [text(p.personId), text(p.name), text(p.roles), text(p.first), text(p.last), text(p.acts)]),
      ),
      '',
      ...table(
        ['TIME', 'PERSON', 'ROLE', 'EVENT', 'ACT'],
        arrayAt(record, 'lines').map((l) => [text(l.time), text(l.personId), text(l.role), text(l.eventType), values.verbose || typeof l.actId !== 'string' ? text(l.actId) : shortId(l.actId)]),
      ),
    );
    return EXIT.ok;
  },
};
