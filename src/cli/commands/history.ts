import { idArg, parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { EXIT } from '../errors.js';
import { listOf, table, text } from '../format.js';
import { writeJson, writeLines } from '../io.js';
import { namesOf, withNames, type Names } from '../names.js';

export const history: Command = {
  name: 'history',
  summary: "a carrier's history: revision, when each act took effect, event, who signed when",
  usage: `Usage: custody history <carrierId> [--json]

Every event of the carrier's stream, oldest first: its revision, when its act took effect (its last
signature), the event type, the people who signed it and when each signed (R-ACCESS-1: everyone who
held or read it is there, signed), when the act was prepared and when the ledger recorded it.
Acts from older ledgers, whose signatures carry no time, take effect at their prepared time.

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
        ['REV', 'TOOK EFFECT', 'EVENT', 'SIGNED BY', 'PREPARED', 'RECORDED'],
        events.map((e) => [text(e.revision), text(e.time), text(e.type), signedBy(e, names), text(e.preparedAt), text(e.recordedAt ?? '-')]),
      ),
    );
    return EXIT.ok;
  },
};

/** "clerk1 (Chen Li) 2026-11-23T09:00:01.000Z, ...": each signer, named, with the time they signed (none for v1). */
function signedBy(event: Record<string, unknown>, names: Names): string {
  const signatures = Array.isArray(event['signatures']) ? (event['signatures'] as Array<Record<string, unknown>>) : [];
  if (signatures.length === 0) return withNames(names, event['signers'] ?? event['signedBy']);
  return signatures
    .map((s) => (typeof s['signedAt'] === 'string' ? `${names(s['signer'])} ${s['signedAt']}` : names(s['signer'])))
    .join(', ');
}
