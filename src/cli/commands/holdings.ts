import { idArg, parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { EXIT } from '../errors.js';
import { listOf, table, text } from '../format.js';
import { writeJson, writeLines } from '../io.js';

export const holdings: Command = {
  name: 'holdings',
  summary: "what a person holds now (default: you)",
  usage: `Usage: custody holdings [<personId>] [--json]

Lists the carriers a person is accountable for right now ("人在文件在"): id, classification, title,
location, since when. Without <personId>, your own.

Options:
  --json   print the server's answer`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {});
    const [given] = positionalsOf(positionals, [], ['personId']);
    const connection = await connect(io);
    const personId = given === undefined ? connection.session.personId : idArg(given, 'person');
    const reply = await connection.call((api) => api.holdings(personId));
    if (values.json) {
      writeJson(io, reply);
      return EXIT.ok;
    }
    const rows = listOf(reply, 'holdings', 'carriers');
    if (rows.length === 0) {
      writeLines(io.stdout, `${personId} holds nothing.`);
      return EXIT.ok;
    }
    writeLines(
      io.stdout,
      `${personId} holds ${rows.length} carrier${rows.length === 1 ? '' : 's'}:`,
      ...table(
        ['CARRIER', 'CLASSIFICATION', 'STATUS', 'LOCATION', 'SINCE', 'TITLE'],
        rows.map((r) => [
          text(r.carrierId ?? r.id),
          text(r.classification ?? field(r, 'description', 'classification')),
          text(r.status),
          text(r.location),
          text(r.since),
          text(r.title ?? field(r, 'description', 'title')),
        ]),
      ),
    );
    return EXIT.ok;
  },
};

const field = (record: Record<string, unknown>, object: string, key: string): unknown => {
  const inner = record[object];
  return inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>)[key] : undefined;
};
