import { idArg, parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { EXIT } from '../errors.js';
import { describeRecord } from '../format.js';
import { writeJson, writeLines } from '../io.js';
import { namesOf, withNames } from '../names.js';

/** The fields a person asks first about a carrier: where is it, with whom, since when. */
/** The members of a carrier record that name people, shown with their names. */
const PERSON_FIELDS = ['holders', 'holder', 'registeredBy'];

export const CARRIER_FIELDS = ['carrierId', 'id', 'at', 'status', 'holders', 'holder', 'location', 'since', 'until', 'classification', 'kind', 'title'];

export const where: Command = {
  name: 'where',
  summary: 'where a carrier is: status, holder(s), location, classification, since when',
  usage: `Usage: custody where <carrierId> [--at <time>] [--known-at <time>] [--json]

Shows the carrier as the ledger has it now: its status (held, in-transit, destroyed, ...), who holds
it (a courier pair in transit), where, since when, and its description. Not found (exit 3) when it
does not exist or you may not see it: a refusal never reveals whether a carrier exists.

With --at, where it was at that moment and who held it, under which act, until when. An act takes
effect when its last signer signs; at exactly that time, the act has happened. Not found (exit 3)
when it was registered later.

With --known-at, the same question as the ledger stood at that moment: acts appended later (an act
signed offline and submitted afterwards) do not count. What a clerk could have known then; the answer
never changes, whatever is appended later. Without --at, --at is the --known-at time.

Options:
  --at <time>         an ISO 8601 instant with a time zone, e.g. 2026-11-23T09:00:00Z
  --known-at <time>   as the ledger stood at this instant
  --json              print the server's record`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { at: { type: 'string' }, 'known-at': { type: 'string' } });
    const [given] = positionalsOf(positionals, ['carrierId']);
    const carrierId = idArg(given!, 'carrier');
    const knownAt = values['known-at'];
    const at = values.at ?? knownAt;
    const connection = await connect(io);
    const carrier = await connection.call((api) => (at === undefined ? api.carrier(carrierId) : api.where(carrierId, at, knownAt)));
    if (values.json) {
      writeJson(io, carrier);
      return EXIT.ok;
    }
    const names = await namesOf(connection);
    const named = Object.fromEntries(Object.entries(carrier).map(([key, value]) => [key, PERSON_FIELDS.includes(key) ? withNames(names, value) : value]));
    writeLines(io.stdout, ...describeRecord(named, CARRIER_FIELDS));
    return EXIT.ok;
  },
};
