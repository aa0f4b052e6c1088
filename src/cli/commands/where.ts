import { idArg, parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { EXIT } from '../errors.js';
import { describeRecord } from '../format.js';
import { writeJson, writeLines } from '../io.js';

/** The fields a person asks first about a carrier: where is it, with whom, since when. */
export const CARRIER_FIELDS = ['carrierId', 'id', 'status', 'holders', 'holder', 'location', 'since', 'classification', 'kind', 'title'];

export const where: Command = {
  name: 'where',
  summary: 'where a carrier is: status, holder(s), location, classification, since when',
  usage: `Usage: custody where <carrierId> [--json]

Shows the carrier as the ledger has it now: its status (held, in-transit, destroyed, ...), who holds
it (a courier pair in transit), where, since when, and its description. Not found (exit 3) when it
does not exist or you may not see it: a refusal never reveals whether a carrier exists.

Options:
  --json   print the server's record`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {});
    const [carrierId] = positionalsOf(positionals, ['carrierId']);
    const carrier = await (await connect(io)).call((api) => api.carrier(idArg(carrierId!, 'carrier')));
    if (values.json) writeJson(io, carrier);
    else writeLines(io.stdout, ...describeRecord(carrier, CARRIER_FIELDS));
    return EXIT.ok;
  },
};
