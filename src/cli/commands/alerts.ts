import { idArg, parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { EXIT } from '../errors.js';
import { table, text } from '../format.js';
import { writeJson, writeLines } from '../io.js';

export const alerts: Command = {
  name: 'alerts',
  summary: 'open WATCH alerts: overdue circulations, transports, returns, seals, missing cases',
  usage: `Usage: custody alerts [--now <time>] [--rule <rule>]... [--carrier <carrierId>] [--json]

Every open WATCH alert, judged at --now (default: the server's clock) against the policy in force
at each act's time: overdue circulations (R-CIRC-4), top-secret carriers not back by end of day
(R-HOLD-5), year-end returns (R-HOLD-6), late transports (R-TRANSPORT-5), broken seals, missing
cases and their deadlines (R-LOSS-*), inventory discrepancies (R-INV-1). For security officers
and investigators (exit 4 otherwise).

Options:
  --now <time>          an ISO 8601 instant with a time zone
  --rule <rule>         only this rule (repeatable), e.g. --rule R-CIRC-4
  --carrier <carrierId> only this carrier
  --json                print the server's answer`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      now: { type: 'string' },
      rule: { type: 'string', multiple: true },
      carrier: { type: 'string' },
    });
    positionalsOf(positionals, []);
    const carrierId = values.carrier === undefined ? undefined : idArg(values.carrier, 'carrier');
    const query = {
      ...(values.now !== undefined ? { now: values.now } : {}),
      ...(values.rule !== undefined ? { rules: values.rule } : {}),
      ...(carrierId !== undefined ? { carrierId } : {}),
    };
    const reply = await (await connect(io)).call((api) => api.alerts(query));
    if (values.json) {
      writeJson(io, reply);
      return EXIT.ok;
    }
    if (reply.items.length === 0) {
      writeLines(io.stdout, `No open alerts at ${reply.now}.`);
      return EXIT.ok;
    }
    writeLines(
      io.stdout,
      `${reply.items.length} open alert${reply.items.length === 1 ? '' : 's'} at ${reply.now}:`,
      ...table(
        ['RULE', 'SEVERITY', 'CARRIER', 'SINCE', 'DETAIL'],
        reply.items.map((a) => [text(a.rule), text(a.severity), text(a.carrierId), text(a.since), text(a.detail)]),
      ),
    );
    return EXIT.ok;
  },
};
