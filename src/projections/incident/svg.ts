import type { IncidentAct, IncidentReport, IncidentSpan } from './reconstruct.js';
import { durationWords, timeTicks } from './ticks.js';

/** Text into XML/HTML, so a carrier title like `<b>` is shown, never interpreted. */
export const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** Holders' fills: no reds or pinks, which mean "missing or lost" here and nothing else. */
export const HOLDER_PALETTE = [
  '#4e79a7', '#f28e2b', '#59a14f', '#76b7b2', '#edc948', '#b07aa1',
  '#9c755f', '#86bcb6', '#a0cbe8', '#8cd17d', '#ffbe7d', '#d4a6c8',
];
/** The one colour for missing and lost, used by nothing else. */
export const ALERT = '#c00000';
const NO_HOLDER = '#d9d9d9';
const WIDTH = 1100;
const LABEL = 230;
const ROW = 24;
const TOP = 44;
/** A span narrower than this is drawn this wide and listed in the short-spans table. */
export const MIN_BAR_PX = 4;
/** Beyond this the picture stops being readable; the tables still list everything. */
export const MAX_ROWS = 80;
/** Printed act key lines under the picture; the timeline table lists every act. */
const MAX_KEY_LINES = 60;

/** `<tag attributes>text<title>tip</title></tag>`: on screen a tooltip; what paper needs is printed too. */
const element = (tag: string, attributes: string, tip: string, text = '') =>
  `<${tag} ${attributes}>${escapeXml(text)}<title>${escapeXml(tip)}</title></${tag}>`;
const label = (x: number, y: number, text: string, extra = '') =>
  `<text x="${x.toFixed(1)}" y="${y}" font-size="11"${extra}>${escapeXml(text)}</text>`;

/** The plot's scale: the window's start to where the report stops (the earlier of `to` and when it was made). */
export function scaleOf(report: IncidentReport) {
  const fromMs = Date.parse(report.query.from);
  const endMs = Date.parse(report.drawnTo);
  const range = Math.max(1, endMs - fromMs);
  const plot = WIDTH - LABEL - 20;
  return { fromMs, endMs, plot, px: (ms: number) => LABEL + ((ms - fromMs) / range) * plot, pxPerMs: plot / range };
}

export type ShortSpan = { carrierId: string; span: IncidentSpan; durationMs: number; duration: string };

/** Spans of the drawn rows too short to see at the picture's scale: drawn at the minimum width and listed here. */
export function shortSpans(report: IncidentReport): ShortSpan[] {
  const { pxPerMs } = scaleOf(report);
  return report.carriers.slice(0, MAX_ROWS).flatMap((c) =>
    c.spans
      .map((span) => ({ carrierId: c.carrierId, span, durationMs: Date.parse(span.to) - Date.parse(span.from) }))
      .filter((s) => s.durationMs * pxPerMs < MIN_BAR_PX)
      .map((s) => ({ ...s, duration: durationWords(s.durationMs) })),
  );
}

/** What a mark means, by the event it records on that carrier. */
type Mark = 'act' | 'destroyed' | 'lost' | 'missing';
const markOf = (eventType: string): Mark =>
  eventType === 'CarrierDestroyed' ? 'destroyed' : eventType === 'CarrierDeclaredLost' ? 'lost' : eventType === 'CarrierReportedMissing' ? 'missing' : 'act';

const MARK_MEANING = { missing: 'reported missing', lost: 'declared lost', destroyed: 'destroyed' } as const;

/** The mark's shape centred on (x, y): diamond for an act, cross for destruction, triangle for loss, ring for missing. */
function markShape(mark: Mark, x: number, y: number): string {
  const at = `${x.toFixed(1)} ${y}`;
  switch (mark) {
    case 'destroyed':
      return `d="M${x - 5} ${y - 5} l10 10 m0 -10 l-10 10" stroke="#111" stroke-width="2.5" fill="none"`;
    case 'lost':
      return `d="M${at} m0 -6 l6 11 h-12 z" fill="${ALERT}" stroke="#111" stroke-width="0.5"`;
    case 'missing':
      return `d="M${at} m-5 0 a5 5 0 1 0 10 0 a5 5 0 1 0 -10 0" fill="#fff" stroke="${ALERT}" stroke-width="2.5"`;
    default:
      return `d="M${at} m0 -5 l4 5 l-4 5 l-4 -5 z" fill="#111"`;
  }
}

/** A span's look: fill by holder; carried dashed; read outlined; missing hollow red dashes; lost red hatching. */
function spanLook(span: IncidentSpan, fill: string): string {
  if (span.status === 'missing') return `fill="#fff" stroke="${ALERT}" stroke-width="2" stroke-dasharray="6,3"`;
  if (span.status === 'lost') return `fill="url(#lost)" stroke="${ALERT}" stroke-width="2"`;
  const outline = span.role === 'carried' ? ' stroke="#222" stroke-dasharray="3,2"' : span.role === 'read' ? ' stroke="#222" stroke-width="1.5"' : '';
  return `fill="${fill}"${outline}`;
}

/** "3  2026-12-01 16:25:00Z  DispatchTransport  at R2/safe-1  seal S-1": one printed line per act. */
export const actLine = (n: number, act: IncidentAct): string =>
  [`${n}.`, act.time.replace('T', ' '), act.commandType, act.location ? `at ${act.location}` : '', act.seal ? `seal ${act.seal}` : ''].filter(Boolean).join('  ');

/**
 * The timeline picture: one row per carrier, time running left to right from the window's start to
 * when the report was made (or the window's end, if earlier), each custody span a bar filled by its
 * holder(s), each act a numbered mark, the numbers keyed in print under the picture.
 */
export function incidentSvg(report: IncidentReport): string {
  const { fromMs, endMs, px } = scaleOf(report);
  const x = (iso: string) => px(Date.parse(iso));
  const rows = report.carriers.slice(0, MAX_ROWS);
  const rowOf = new Map(rows.map((c, i) => [c.carrierId, TOP + i * ROW]));
  const bottom = TOP + rows.length * ROW;
  const colours = new Map<string, string>();
  const colour = (holders: string[]) => {
    if (holders.length === 0) return NO_HOLDER;
    const key = holders.join(' + ');
    if (!colours.has(key)) colours.set(key, HOLDER_PALETTE[colours.size % HOLDER_PALETTE.length]!);
    return colours.get(key)!;
  };

  const parts: string[] = [];
  for (const tick of timeTicks(fromMs, endMs)) {
    const tx = px(tick.ms);
    parts.push(`<line class="tick" x1="${tx.toFixed(1)}" y1="${TOP - 6}" x2="${tx.toFixed(1)}" y2="${bottom}" stroke="#ddd"/>`);
    parts.push(`<text class="tick" x="${tx.toFixed(1)}" y="${TOP - 10}" font-size="10" text-anchor="middle">${escapeXml(tick.label)}</text>`);
  }
  const until = report.drawnTo === report.query.to ? 'the end of the window' : 'when the report was made';
  parts.push(label(LABEL, 14, `Times in UTC. Drawn from ${report.query.from} to ${report.drawnTo} (${until}).`, ' class="caption"'));
  parts.push(`<line class="end" x1="${px(endMs).toFixed(1)}" y1="${TOP - 6}" x2="${px(endMs).toFixed(1)}" y2="${bottom}" stroke="#111" stroke-width="1.5"/>`);

  let hasMissing = false;
  let hasLost = false;
  for (const carrier of rows) {
    const y = rowOf.get(carrier.carrierId)!;
    parts.push(element('text', `class="row" x="4" y="${y + 16}" font-size="11"`, carrier.title, `${carrier.carrierId} (${carrier.classification})`));
    for (const span of carrier.spans) {
      const x1 = x(span.from);
      const w = x(span.to) - x1;
      hasMissing ||= span.status === 'missing';
      hasLost ||= span.status === 'lost';
      const tip = `${span.holders.join(' and ') || 'no holder'} (${span.role}, ${span.status}) at ${span.location}, ${span.from} to ${span.to}`;
      const cls = w < MIN_BAR_PX ? 'span short' : 'span';
      const attributes = `class="${cls}" x="${x1.toFixed(1)}" y="${y + 4}" width="${Math.max(MIN_BAR_PX, w).toFixed(1)}" height="16" ${spanLook(span, colour(span.holders))}`;
      parts.push(element('rect', attributes, tip));
    }
  }
  const acts = report.timeline.map((act, i) => ({ act, n: i + 1 }));
  // Numbers that would overlap on a row are printed once as a range ("1–4"), never on top of each other.
  const numbers = new Map<number, Array<{ x: number; first: number; last: number }>>();
  const number = (y: number, ax: number, n: number) => {
    const row = numbers.get(y) ?? [];
    numbers.set(y, row);
    const previous = row.at(-1);
    const width = (g: { first: number; last: number }) => 6 * (String(g.first).length + (g.last > g.first ? String(g.last).length + 1 : 0)) + 4;
    if (previous && ax < previous.x + width(previous)) previous.last = n;
    else row.push({ x: ax, first: n, last: n });
  };
  for (const { act, n } of acts) {
    const ax = x(act.time);
    const tip = `${act.time} ${act.summary}; signed by ${act.signers.map((s) => s.personId).join(', ')}`;
    for (const { carrierId, eventType } of act.carriers) {
      const y = rowOf.get(carrierId);
      if (y === undefined) continue;
      const mark = markOf(eventType);
      parts.push(element('path', `class="act ${mark}" ${markShape(mark, ax, y + 12)}`, tip));
      number(y, ax, n);
    }
  }
  for (const [y, row] of numbers) {
    for (const g of row) {
      const text = g.last > g.first ? `${g.first}–${g.last}` : String(g.first);
      parts.push(`<text class="act-number" x="${(g.x + 6).toFixed(1)}" y="${y + 6}" font-size="9">${text}</text>`);
    }
  }

  const marks = new Set(report.timeline.flatMap((a) => a.carriers.filter((c) => rowOf.has(c.carrierId)).map((c) => markOf(c.eventType))));
  // The legend: every encoding the picture uses, drawn as it is drawn above.
  let ly = bottom + 18;
  [...colours].forEach(([holders, fill], i) => {
    const lx = 4 + (i % 4) * 270;
    const y = ly + Math.floor(i / 4) * 18;
    parts.push(`<rect class="legend-holder" x="${lx}" y="${y}" width="12" height="12" fill="${fill}"/>`, label(lx + 16, y + 10, `held by ${holders}`));
  });
  ly += Math.ceil(colours.size / 4) * 18 + 4;
  const keys: Array<[string, string]> = [
    ['<rect x="0" y="0" width="18" height="12" fill="#bbb" stroke="#222" stroke-dasharray="3,2"/>', 'carried in transit'],
    ['<rect x="0" y="0" width="18" height="12" fill="#bbb" stroke="#222" stroke-width="1.5"/>', 'with a reader or borrower'],
    ...(hasMissing
      ? ([[`<rect x="0" y="0" width="18" height="12" fill="#fff" stroke="${ALERT}" stroke-width="2" stroke-dasharray="6,3"/>`, 'missing: nobody holds it']] as Array<[string, string]>)
      : []),
    ...(hasLost ? ([[`<rect x="0" y="0" width="18" height="12" fill="url(#lost)" stroke="${ALERT}" stroke-width="2"/>`, 'declared lost']] as Array<[string, string]>) : []),
    [`<path ${markShape('act', 9, 6)}/>`, 'a signed act (numbered below)'],
    ...(['missing', 'lost', 'destroyed'] as const)
      .filter((mark) => marks.has(mark))
      .map((mark): [string, string] => [`<path ${markShape(mark, 9, 6)}/>`, MARK_MEANING[mark]]),
    ['<line x1="9" y1="0" x2="9" y2="12" stroke="#111" stroke-width="1.5"/>', `end of the picture: ${until}`],
  ];
  keys.forEach(([shape, meaning], i) => {
    const lx = 4 + (i % 4) * 270;
    const y = ly + Math.floor(i / 4) * 18;
    parts.push(`<g class="legend-key" transform="translate(${lx} ${y})">${shape}</g>`, label(lx + 24, y + 10, meaning));
  });
  ly += Math.ceil(keys.length / 4) * 18 + 10;

  parts.push(label(4, ly + 10, 'Acts (number, time UTC, act, where, seal):', ' font-weight="bold"'));
  ly += 16;
  for (const { act, n } of acts.slice(0, MAX_KEY_LINES)) {
    parts.push(`<text class="act-key" x="4" y="${ly + 10}" font-size="11" xml:space="preserve">${escapeXml(actLine(n, act))}</text>`);
    ly += 15;
  }
  const notes = [
    acts.length > MAX_KEY_LINES ? `${acts.length - MAX_KEY_LINES} more acts are listed in the timeline table` : '',
    report.carriers.length > rows.length ? `${report.carriers.length - rows.length} more carriers are listed in the tables, not drawn` : '',
  ].filter(Boolean);
  for (const note of notes) {
    parts.push(label(4, ly + 12, note));
    ly += 16;
  }
  const height = ly + 10;
  const size = `width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}"`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" ${size} font-family="sans-serif" role="img" aria-label="custody timeline">`,
    `<defs><pattern id="lost" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="${ALERT}" stroke-width="3"/></pattern></defs>`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
}
