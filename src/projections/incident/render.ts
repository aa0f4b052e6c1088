import { ValidationError } from '../../domain/errors.js';
import type { IncidentReport } from './reconstruct.js';
import { html as escaped, raw } from 'hono/html';
import { incidentSvg, shortSpans } from './svg.js';

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

/** Sentences that tie the report to a verifiable state: ledger, checkpoint, who made it and when. */
function provenanceLines(report: IncidentReport): string[] {
  const p = report.provenance;
  const until =
    report.drawnTo === report.query.to
      ? ''
      : `The window reaches past the moment the report was made: custody is shown up to ${report.madeAt}, nothing after it.`;
  return [
    `Made at ${report.madeAt}${p ? ` by ${p.madeBy.name} (${p.madeBy.personId})` : ''}.`,
    ...(p
      ? [
          `Ledger ${p.ledgerId}; ${
            p.checkpoint
              ? `newest signed checkpoint when made: size ${p.checkpoint.size}, root ${p.checkpoint.root}, signed ${p.checkpoint.time}`
              : 'no checkpoint had been signed yet'
          }.`,
        ]
      : []),
    until,
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
      head: ['#', 'Time', 'Act', 'Where', 'Seal', 'Carriers', 'Signed by', 'What happened', 'Act id'],
      rows: report.timeline.map((a, i) => [
        String(i + 1),
        a.time,
        a.commandType,
        a.location ?? '',
        a.seal ?? '',
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
    ...provenanceLines(report).flatMap((line) => [line, '']),
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

/** Columns whose values are never wrapped (times, act ids): a value broken over two lines is misread. */
const NOWRAP = new Set(['First', 'Last', 'Time', 'Act id', 'From', 'To', 'Duration', 'Where', 'Seal', 'Carrier']);

const htmlTable = ({ head, rows }: { head: string[]; rows: string[][] }, cls = '') => {
  const cell = (text: string, i: number) => (NOWRAP.has(head[i]!) ? escaped`<td class="nowrap">${text}</td>` : escaped`<td>${text}</td>`);
  return escaped`<table${raw(cls ? ` class="${cls}"` : '')}>
<thead><tr>${head.map((h) => escaped`<th>${h}</th>`)}</tr></thead>
<tbody>
${rows.map((r) => escaped`<tr>${r.map(cell)}</tr>
`)}</tbody>
</table>`;
};

function shortSpanTable(report: IncidentReport) {
  const rows = shortSpans(report).map((s) => [s.carrierId, s.span.holders.join(' and ') || 'no holder', `${s.span.role}, ${s.span.status}`, s.span.from, s.span.to, s.duration]);
  if (rows.length === 0) return '';
  return escaped`<aside><h3>Spans too short to see (${rows.length})</h3>
<p>Drawn at the minimum width; their true length is here.</p>
${htmlTable({ head: ['Carrier', 'Holder', 'Part', 'From', 'To', 'Duration'], rows }, 'short-spans')}</aside>`;
}

function html(report: IncidentReport): string {
  const t = tables(report);
  const f = filters(report);
  const acts = `${report.timeline.length} acts${report.truncated ? `, cut at ${report.query.maxActs}` : ''}`;
  return `${escaped`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Incident reconstruction ${report.query.from} to ${report.query.to}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.nowrap { white-space: nowrap; }
.picture { display: flex; gap: 1.5em; align-items: flex-start; flex-wrap: wrap; }
aside h3 { margin: 0; font-size: 14px; }
aside p { margin: 0.3em 0; font-size: 12px; }
</style>
</head>
<body>
<h1>Incident reconstruction</h1>
<p>Window: ${report.query.from} to ${report.query.to}${f.length > 0 ? `; ${f.join('; ')}` : ''}.</p>
${provenanceLines(report).map((line) => escaped`<p class="provenance">${line}</p>
`)}<div class="picture">
${raw(incidentSvg(report))}
${shortSpanTable(report)}
</div>
<h2>Who could have had access (${report.people.length})</h2>
${htmlTable(t.people)}
<h2>Carriers (${report.carriers.length})</h2>
${htmlTable(t.carriers)}
<h2>Timeline (${acts})</h2>
${htmlTable(t.timeline)}
</body>
</html>
`}`;
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
