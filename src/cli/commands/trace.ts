import { idArg, parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { EXIT } from '../errors.js';
import { durationInWords, table, text } from '../format.js';
import { writeJson, writeLines } from '../io.js';
import { arrayAt, objectAt, type Json } from './reply-fields.js';

function custodyLine(custody: Json | null): string {
  if (!custody) return 'last signed custody  (none)';
  return `last signed custody  ${text(custody.holders)} at ${text(custody.location)} since ${text(custody.since)} (${text(custody.eventType)}, signed by ${text(custody.signers)})`;
}

function sightingLine(sighting: Json | null): string {
  if (!sighting) return 'last sighting        (none)';
  return `last sighting        at ${text(sighting.location)} on ${text(sighting.time)} (inventory ${text(sighting.inventoryId)} by ${text(sighting.takenBy)})`;
}

function relativesLines(relatives: Json[]): string[] {
  if (relatives.length === 0) return ['Parent and copies: none'];
  return [
    'Parent and copies:',
    ...table(
      ['CARRIER', 'RELATION', 'STATUS', 'HOLDERS', 'LOCATION'],
      relatives.map((r) => [text(r.carrierId), text(r.relation), text(r.status), text(r.holders), text(r.location)]),
    ),
  ];
}

function traceLines(trace: Json): string[] {
  const missing = objectAt(trace, 'case');
  const exposure = objectAt(trace, 'exposure');
  const custodians = objectAt(trace, 'custodians');
  const deadlines = objectAt(trace, 'deadlines');
  return [
    `${text(trace.carrierId)} (${text(trace.classification)}) ${text(trace.title)}: ${text(trace.status)}, as of ${text(trace.at)}`,
    missing ? `reported missing     by ${text(missing.reportedBy)} at ${text(missing.reportedAt)}${missing.concluded ? ' (concluded)' : ''}` : 'reported missing     no',
    custodyLine(objectAt(trace, 'lastSignedCustody')),
    sightingLine(objectAt(trace, 'lastSighting')),
    exposure ? `exposure window      ${text(exposure.from)} to ${text(exposure.to)} (${durationInWords(Date.parse(String(exposure.to)) - Date.parse(String(exposure.from)))}, basis: ${text(exposure.basis)})` : '',
    ...(deadlines
      ? [`report deadline      ${text(objectAt(deadlines, 'report')?.summary)}`, `conclusion due       ${text(objectAt(deadlines, 'conclusion')?.summary)}`]
      : []),
    '',
    `Who held, carried or read it since ${text(custodians?.since)}:`,
    ...table(
      ['PERSON', 'NAME', 'IN WINDOW', 'PERIODS'],
      arrayAt(custodians, 'people').map((p) => [
        text(p.personId),
        text(p.name),
        p.inExposureWindow ? 'yes' : 'no',
        arrayAt(p, 'periods').map((period) => `${text(period.role)} ${text(period.from)}..${text(period.to)}`).join('; '),
      ]),
    ),
    '',
    ...relativesLines(arrayAt(trace, 'relatives')),
    '',
    'Still to do:',
    ...arrayAt(trace, 'remaining').map((s) => `  [${text(s.rule)}] ${text(s.step)}${s.due ? ` (due ${text(s.due)})` : ''}`),
  ].filter((line, i, all) => line !== '' || all[i - 1] !== '');
}

export const trace: Command = {
  name: 'trace',
  summary: 'the lost-carrier trace: last custody, exposure window, who had it, deadlines (R-LOSS)',
  usage: `Usage: custody trace <carrierId> [--now <time>] [--json]

For a carrier reported missing: its last signed custody, its last inventory sighting, everyone who
held it or had it in transit since, the exposure window, its parent and sibling copies, the
deadlines running and what remains to be done. Deadlines are judged at --now (default: the
server's clock). For security officers and investigators (exit 4 otherwise).

Options:
  --now <time>   an ISO 8601 instant with a time zone
  --json         print the server's answer`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { now: { type: 'string' } });
    const [given] = positionalsOf(positionals, ['carrierId']);
    const carrierId = idArg(given!, 'carrier');
    const now = values.now;
    const reply = await (await connect(io)).call((api) => api.trace(carrierId, now));
    if (values.json) writeJson(io, reply);
    else writeLines(io.stdout, ...traceLines(reply));
    return EXIT.ok;
  },
};
