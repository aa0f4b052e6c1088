import { idArg, parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { EXIT } from '../errors.js';
import { listOf, table, text } from '../format.js';
import { writeJson, writeLines } from '../io.js';

export const holdings: Command = {
  name: 'holdings',
  summary: "what a person holds now (default: you)",
  usage: `Usage: custody holdings [<personId>] [--at <time>] [--known-at <time>] [--json]

Lists the carriers a person is accountable for right now ("人在文件在"): id, classification, title,
location, since when. Without <personId>, your own (anyone's for security officers and investigators).

With --at, what the person held at that moment (acts take effect when their last signer signs):
each carrier's status, location, and the period it was in that state. With --known-at, as the ledger
stood at that instant: acts appended later do not count (without --at, --at is that instant too).

Options:
  --at <time>         an ISO 8601 instant with a time zone, e.g. 2026-11-23T09:00:00Z
  --known-at <time>   as the ledger stood at this instant
  --json              print the server's answer`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { at: { type: 'string' }, 'known-at': { type: 'string' } });
    const [given] = positionalsOf(positionals, [], ['personId']);
    const connection = await connect(io);
    const personId = given === undefined ? connection.session.personId : idArg(given, 'person');
    const knownAt = values['known-at'];
    const at = values.at ?? knownAt;
    const reply = await connection.call((api) => (at === undefined ? api.holdings(personId) : api.holdingsAt(personId, at, knownAt)));
    if (values.json) {
      writeJson(io, reply);
      return EXIT.ok;
    }
    const rows = listOf(reply, 'holdings', 'carriers');
    if (at !== undefined) {
      writeLines(io.stdout, ...heldAt(personId, at, rows));
      return EXIT.ok;
    }
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

function heldAt(personId: string, at: string, rows: Array<Record<string, unknown>>): string[] {
  if (rows.length === 0) return [`${personId} held nothing at ${at}.`];
  return [
    `${personId} held ${rows.length} carrier${rows.length === 1 ? '' : 's'} at ${at}:`,
    ...table(
      ['CARRIER', 'STATUS', 'LOCATION', 'SINCE', 'UNTIL', 'ACT'],
      rows.map((r) => [text(r.carrierId), text(r.status), text(r.location), text(r.since), text(r.until), text(field(r, 'act', 'eventType'))]),
    ),
  ];
}

const field = (record: Record<string, unknown>, object: string, key: string): unknown => {
  const inner = record[object];
  return inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>)[key] : undefined;
};
