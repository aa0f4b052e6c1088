import type { IncidentReport } from './reconstruct.js';

/** Text into XML/HTML, so a carrier title like `<b>` is shown, never interpreted. */
export const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

const PALETTE = [
  '#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948',
  '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#86bcb6', '#d37295',
];
const WIDTH = 1100;
const LABEL = 230;
const ROW = 24;
const TOP = 36;
/** Beyond this the picture stops being readable; the tables still list everything. */
export const MAX_ROWS = 80;

const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** How a span is outlined: carried dashed, read outlined, missing or lost in red. */
const STYLE = {
  held: '',
  carried: ' stroke="#222" stroke-dasharray="3,2"',
  read: ' stroke="#222"',
  missing: ' stroke="#c00" stroke-width="2" stroke-dasharray="6,3"',
};

const KEY =
  'bars: who held it (dashed outline: carried in transit; outline: with a reader or borrower; red: missing or lost); ◆: a signed act';

/** `<tag attributes>text<title>tip</title></tag>`: every element carries its details as a tooltip. */
const element = (tag: string, attributes: string, tip: string, text = '') =>
  `<${tag} ${attributes}>${escapeXml(text)}<title>${escapeXml(tip)}</title></${tag}>`;

/**
 * The timeline picture: one row per carrier, time running left to right over the window, each
 * custody span a bar coloured by its holder(s) (dashed when carried, outlined when read), and each
 * act a dark mark on the rows it touched. Hovering shows the details (`<title>`).
 */
export function incidentSvg(report: IncidentReport): string {
  const fromMs = Date.parse(report.query.from);
  const range = Math.max(1, Date.parse(report.query.to) - fromMs);
  const plot = WIDTH - LABEL - 20;
  const x = (iso: string) => LABEL + ((Date.parse(iso) - fromMs) / range) * plot;
  const rows = report.carriers.slice(0, MAX_ROWS);
  const rowOf = new Map(rows.map((c, i) => [c.carrierId, TOP + i * ROW]));
  const colours = new Map<string, string>();
  const colour = (holders: string[]) => {
    const key = holders.join(' + ') || '(none)';
    if (!colours.has(key)) colours.set(key, PALETTE[colours.size % PALETTE.length]!);
    return colours.get(key)!;
  };

  const parts: string[] = [];
  for (let i = 0; i <= 5; i++) {
    const tx = LABEL + (plot * i) / 5;
    const anchor = i === 0 ? 'start' : i === 5 ? 'end' : 'middle';
    parts.push(`<line x1="${tx}" y1="${TOP - 6}" x2="${tx}" y2="${TOP + rows.length * ROW}" stroke="#ddd"/>`);
    parts.push(`<text x="${tx}" y="${TOP - 12}" font-size="10" text-anchor="${anchor}">${escapeXml(fmt(fromMs + (range * i) / 5))}</text>`);
  }
  for (const carrier of rows) {
    const y = rowOf.get(carrier.carrierId)!;
    parts.push(element('text', `class="row" x="4" y="${y + 16}" font-size="11"`, carrier.title, `${carrier.carrierId} (${carrier.classification})`));
    for (const span of carrier.spans) {
      const x1 = x(span.from);
      const w = Math.max(1, x(span.to) - x1);
      const style = STYLE[span.status === 'missing' || span.status === 'lost' ? 'missing' : span.role];
      const fill = `fill="${colour(span.holders)}" fill-opacity="0.85"${style}`;
      const tip = `${span.holders.join(' and ') || 'no holder'} (${span.role}, ${span.status}) at ${span.location}, ${span.from} to ${span.to}`;
      parts.push(element('rect', `class="span" x="${x1.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="16" ${fill}`, tip));
    }
  }
  for (const act of report.timeline) {
    const ax = x(act.time).toFixed(1);
    const tip = `${act.time} ${act.summary}; signed by ${act.signers.map((s) => s.personId).join(', ')}`;
    for (const { carrierId } of act.carriers) {
      const y = rowOf.get(carrierId);
      if (y !== undefined) parts.push(element('path', `class="act" d="M${ax} ${y + 1} l4 5 l-4 5 l-4 -5 z" fill="#111"`, tip));
    }
  }
  const legendTop = TOP + rows.length * ROW + 16;
  [...colours].forEach(([holders, fill], i) => {
    const lx = 4 + (i % 4) * 270;
    const ly = legendTop + Math.floor(i / 4) * 18;
    parts.push(`<rect x="${lx}" y="${ly}" width="12" height="12" fill="${fill}"/>`);
    parts.push(`<text x="${lx + 16}" y="${ly + 10}" font-size="11">${escapeXml(holders)}</text>`);
  });
  const keyTop = legendTop + Math.ceil(colours.size / 4) * 18 + 4;
  parts.push(`<text x="4" y="${keyTop + 10}" font-size="11">${escapeXml(KEY)}</text>`);
  const more = report.carriers.length - rows.length;
  const height = keyTop + 18 + (more > 0 ? 24 : 8);
  if (more > 0) parts.push(`<text x="4" y="${height - 8}" font-size="11">${more} more carriers are listed in the tables, not drawn</text>`);
  const size = `width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}"`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" ${size} font-family="sans-serif" role="img" aria-label="custody timeline">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
}
