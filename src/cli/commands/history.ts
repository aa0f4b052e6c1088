import { idArg, parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { EXIT } from '../errors.js';
import { listOf, table, text } from '../format.js';
import { writeJson, writeLines } from '../io.js';
import { namesOf, withNames } from '../names.js';

export const history: Command = {
  name: 'history',
  summary: "a carrier's history: revision, time, event, who signed",
  usage: `Usage: custody history <carrierId> [--json]

Every event of the carrier's stream, oldest first: its revision, the time of the act, the event
type, and the people who signed it (R-ACCESS-1: everyone who held or read it is there, signed).

Options:
  --json   print the server's answer, with each event's data and hash`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {});
    const [carrierId] = positionalsOf(positionals, ['carrierId']);
    const connection = await connect(io);
    const reply = await connection.call((api) => api.carrierHistory(idArg(carrierId!, 'carrier')));
    if (values.json) {
      writeJson(io, reply);
      return EXIT.ok;
    }
    const events = listOf(reply, 'events', 'history');
    const names = await namesOf(connection);
    writeLines(
      io.stdout,
      `History of ${carrierId} (${events.length} event${events.length === 1 ? '' : 's'}):`,
      ...table(
        ['REV', 'TIME', 'EVENT', 'SIGNED BY'],
        events.map((e) => [text(e.revision), text(e.time), text(e.type), withNames(names, e.signers ?? e.signedBy)]),
      ),
    );
    return EXIT.ok;
  },
};
