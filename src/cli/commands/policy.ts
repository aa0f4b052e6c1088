import { parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { EXIT } from '../errors.js';
import { describeData, table, text } from '../format.js';
import { writeJson, writeLines } from '../io.js';

export const policy: Command = {
  name: 'policy',
  summary: 'the policy in force (thresholds, approval authorities) and every recorded change',
  usage: `Usage: custody policy [--at <time>] [--json]

The policy the ledger judges acts by: the thresholds and approval authorities of RULES.md (reading
time, end of the registry's day, loss deadlines, who approves copies, ...). Each act is judged by
the policy in force at its own time. Shows the one in force now (or at --at), since when and who
adopted it, and every adoption the ledger records.

A security officer adopts a new version with a signed act; its version must be higher than the one
in force (R-POLICY), and it is in force from the act's time on:
  custody prepare AdoptPolicy adoptedBy=officer --data-file new-policy.json --sign --submit
where new-policy.json is { "policy": { ...every setting, "name": ..., "version": ... } }.

Options:
  --at <time>   an ISO 8601 instant with a time zone, e.g. 2026-11-23T09:00:00Z
  --json        print the server's answer`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { at: { type: 'string' } });
    positionalsOf(positionals, []);
    const reply = await (await connect(io)).call((api) => api.policy(values.at));
    if (values.json) {
      writeJson(io, reply);
      return EXIT.ok;
    }
    const { name, version, ...settings } = reply.inForce;
    const origin = reply.since === null ? 'the base policy: no change recorded before then' : `since ${reply.since}, adopted by ${reply.adoptedBy}`;
    writeLines(
      io.stdout,
      `Policy in force at ${reply.at}: ${text(name)} version ${text(version)} (${origin})`,
      ...table(['SETTING', 'VALUE'], describeData(settings).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
      '',
      reply.history.length === 0 ? 'No policy change recorded.' : `${reply.history.length} change${reply.history.length === 1 ? '' : 's'} recorded:`,
      ...(reply.history.length === 0
        ? []
        : table(['FROM', 'VERSION', 'NAME', 'ADOPTED BY'], reply.history.map((a) => [a.from, text(a.policy['version']), text(a.policy['name']), a.adoptedBy]))),
    );
    return EXIT.ok;
  },
};
