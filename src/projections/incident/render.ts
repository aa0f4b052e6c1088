import { ValidationError } from '../../domain/errors.js';
import type { IncidentReport } from './reconstruct.js';
import { escapeXml, incidentSvg } from './svg.js';

export type IncidentFormat = 'json' | 'md' | 'html';

function filters(report: IncidentReport): string[] {
  const q = report.query;
  return [
    q.person !== undefined ? `person ${q.person}` : '',
    q.location !== undefined ? `location ${q.location}` : '',
    q.minClassification !== undefined ? `classification ${q.minClassification} or above` : '',
    q.carrierIds ? `carriers ${q.carrierIds.join(', ')}` : '',
  ].filter(Boolean);
}

/** The report's three tables, as rows of plain text cells. */
function tables(report: IncidentReport) {
  return {
    people: {
      head: ['Person', 'Name', 'Part', 'Carriers', 'First', 'Last'],
      rows: report.people.map((p) => [p.personId, p.name, p.roles.join(', '), p.carrierIds.join(', '), p.first, p.last]),
    },
    carriers: {
      head: ['Carrier', 'Title', 'Classification', 'Registry', 'At the start of the window'],
      rows: report.carriers.map((c) => [
        c.carrierId,
        c.title,
        c.classification,
        c.registry,
        c.atStart
          ? `${c.atStart.status}, ${c.atStart.holders.join(' and ') || 'no holder'} at ${c.atStart.location} since ${c.atStart.since}`
          : 'not yet registered',
      ]),
    },
    timeline: {
      head: ['Time', 'Act', 'Carriers', 'Signed by', 'What happened', 'Act id'],
      rows: report.timeline.map((a) => [
        a.time,
        a.commandType,
        a.carriers.map((c) => `${c.carrierId}@${c.revision}`).join(', '),
        a.signers.map((s) => `${s.name} (${s.personId})`).join(', '),
        a.summary,
        a.actId,
      ]),
    },
  };
}

const mdCell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
const mdTable = ({ head, rows }: { head: string[]; rows: string[][] }) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n');

function markdown(report: IncidentReport): string {
  const t = tables(report);
  const f = filters(report);
  return [
    '# Incident reconstruction',
    '',
    `Window: ${report.query.from} to ${report.query.to}${f.length > 0 ? `; ${f.join('; ')}` : ''}.`,
    '',
    `## Who could have had access (${report.people.length})`,
    '',
    mdTable(t.people),
    '',
    `## Carriers (${report.carriers.length})`,
    '',
    mdTable(t.carriers),
    '',
    `## Timeline (${report.timeline.length} acts${report.truncated ? `, cut at ${report.query.maxActs}` : ''})`,
    '',
    mdTable(t.timeline),
    '',
  ].join('\n');
}

const htmlTable = ({ head, rows }: { head: string[]; rows: string[][] }) =>
  `<table>\n<thead><tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead>\n<tbody>\n${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`)
    .join('\n')}\n</tbody>\n</table>`;

function html(report: IncidentReport): string {
  const t = tables(report);
  const f = filters(report);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Incident reconstruction ${escapeXml(report.query.from)} to ${escapeXml(report.query.to)}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
</style>
</head>
<body>
<h1>Incident reconstruction</h1>
<p>Window: ${escapeXml(report.query.from)} to ${escapeXml(report.query.to)}${f.length > 0 ? `; ${escapeXml(f.join('; '))}` : ''}.</p>
${incidentSvg(report)}
<h2>Who could have had access (${report.people.length})</h2>
${htmlTable(t.people)}
<h2>Carriers (${report.carriers.length})</h2>
${htmlTable(t.carriers)}
<h2>Timeline (${report.timeline.length} acts${report.truncated ? `, cut at ${report.query.maxActs}` : ''})</h2>
${htmlTable(t.timeline)}
</body>
</html>
`;
}

/** The report as JSON (for machines), Markdown (for a case file) or HTML with the timeline picture. */
export function renderIncident(report: IncidentReport, format: IncidentFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'md':
      return markdown(report);
    case 'html':
      return html(report);
    default: {
      const unknown: never = format;
      throw new ValidationError('invalid format', [
        { path: ['format'], code: 'invalid_value', message: `format must be json, md or html, not ${String(unknown)}` },
      ]);
    }
  }
}
