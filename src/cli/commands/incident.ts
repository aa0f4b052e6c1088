import { idArg, parseCommandArgs, positionalsOf, required } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { EXIT, usageError } from '../errors.js';
import { resolvePath, writeFileSafely } from '../files.js';
import { table, text } from '../format.js';
import { writeJson, writeLines } from '../io.js';
import type { IncidentQuery } from '../../client/custody-api.js';
import { arrayAt, objectAt, type Json } from './reply-fields.js';

const FORMATS = ['json', 'md', 'html'] as const;
type Format = (typeof FORMATS)[number];

function summaryLines(report: Json): string[] {
  const query = objectAt(report, 'query');
  const timeline = arrayAt(report, 'timeline');
  return [
    `Incident window ${text(query?.from)} to ${text(query?.to)}: ${arrayAt(report, 'carriers').length} carrier(s), ${timeline.length} act(s)${report.truncated ? ' (timeline truncated)' : ''}`,
    ...provenanceLines(report),
    '',
    ...table(
      ['TIME', 'COMMAND', 'CARRIERS', 'SIGNED BY', 'ACT'],
      timeline.map((a) => [text(a.time), text(a.commandType), arrayAt(a, 'carriers').map((c) => text(c.carrierId)).join(', '), arrayAt(a, 'signers').map((s) => text(s.personId)).join(', '), text(a.actId)]),
    ),
    '',
    'Who could have had access:',
    ...table(
      ['PERSON', 'NAME', 'ROLES', 'CARRIERS', 'FIRST', 'LAST'],
      arrayAt(report, 'people').map((p) => [text(p.personId), text(p.name), text(p.roles), text(p.carrierIds), text(p.first), text(p.last)]),
    ),
  ];
}

/** When and by whom the report was made, against which ledger and checkpoint: what ties it to a verifiable state. */
function provenanceLines(report: Json): string[] {
  const provenance = objectAt(report, 'provenance');
  const checkpoint = provenance ? objectAt(provenance, 'checkpoint') : undefined;
  const madeBy = provenance ? objectAt(provenance, 'madeBy') : undefined;
  return [
    `Made at ${text(report.madeAt)}${madeBy ? ` by ${text(madeBy.name)} (${text(madeBy.personId)})` : ''}; custody shown up to ${text(report.drawnTo)}`,
    ...(provenance
      ? [`Ledger ${text(provenance.ledgerId)}; ${checkpoint ? `checkpoint size ${text(checkpoint.size)}, root ${text(checkpoint.root)}` : 'no checkpoint signed yet'}`]
      : []),
  ];
}

export const incident: Command = {
  name: 'incident',
  summary: 'incident reconstruction: every custody act in a window and who could have had access',
  usage: `Usage: custody incident --from <time> --to <time> [--person <personId>] [--location <location>]
                       [--min-classification <level>] [--carriers <id,id,...>]
                       [--format json|md|html] [--out <file>] [--json]

A merged, ordered timeline of every custody act in the window on the carriers the filters select
(each filter narrows; none selects every carrier), with who signed each, and everyone who could
have had access. For security officers and investigators (exit 4 otherwise).

Without --format, a summary to read in the terminal. --format md or html is the server's report
(HTML with an SVG timeline: carriers as rows, holders as coloured spans, acts as marks); json (or
--json) the report as data. --out writes it to a file (mode 0600) instead of standard output.

Options:
  --from <time>, --to <time>     the window, ISO 8601 instants with a time zone
  --person <personId>            carriers the person held, carried, read or handled in the window
  --location <location>          carriers at the location in the window
  --min-classification <level>   carriers at this classification or above
  --carriers <id,id,...>         these carriers
  --format json|md|html          the report's format
  --out <file>                   write the report there
  --json                         same as --format json`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      from: { type: 'string' },
      to: { type: 'string' },
      person: { type: 'string' },
      location: { type: 'string' },
      'min-classification': { type: 'string' },
      carriers: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
    });
    positionalsOf(positionals, []);
    const format = values.format ?? (values.json ? 'json' : undefined);
    if (format !== undefined && !FORMATS.includes(format as Format)) throw usageError(`--format must be one of ${FORMATS.join(', ')}`);
    const carriers = values.carriers?.split(',').map((id) => idArg(id.trim(), 'carrier'));
    const query: IncidentQuery = {
      from: required(values.from, '--from'),
      to: required(values.to, '--to'),
      ...(values.person !== undefined ? { person: idArg(values.person, 'person') } : {}),
      ...(values.location !== undefined ? { location: values.location } : {}),
      ...(values['min-classification'] !== undefined ? { minClassification: values['min-classification'] } : {}),
      ...(carriers ? { carriers } : {}),
    };
    const connection = await connect(io);
    const output =
      format === 'md' || format === 'html'
        ? await connection.call((api) => api.incidentText(query, format))
        : await connection.call((api) => api.incident(query));
    const rendered = typeof output === 'string' ? output : format === 'json' ? `${JSON.stringify(output, null, 2)}\n` : undefined;
    if (values.out !== undefined) {
      const file = resolvePath(io, values.out);
      // The report names classified carriers and the people who had them: private, like a key file.
      await writeFileSafely(file, rendered ?? summaryLines(output as Json).map((l) => `${l}\n`).join(''), { mode: 0o600 });
      writeLines(io.stderr, `wrote ${file}`);
    } else if (typeof output === 'string') io.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
    else if (format === 'json') writeJson(io, output);
    else writeLines(io.stdout, ...summaryLines(output));
    return EXIT.ok;
  },
};
