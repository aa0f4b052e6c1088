import { describe, expect, it } from 'vitest';
import type { IncidentAct, IncidentReport, IncidentSpan } from '../../src/projections/index.js';
import { renderIncident } from '../../src/projections/index.js';
import { ALERT, HOLDER_PALETTE, MIN_BAR_PX, incidentSvg, shortSpans } from '../../src/projections/incident/svg.js';
import { durationWords, timeTicks } from '../../src/projections/incident/ticks.js';

const ms = (iso: string) => Date.parse(iso);

describe('axis ticks at round instants, labelled exactly, from seconds to years', () => {
  it('minutes: ticks on whole minutes, never truncated odd instants; the first tick carries the date', () => {
    const ticks = timeTicks(ms('2026-12-01T16:22:37Z'), ms('2026-12-01T16:31:05Z'));
    expect(ticks.map((t) => t.label)).toEqual(['2026-12-01 16:24', '16:26', '16:28', '16:30']);
    for (const t of ticks) expect(t.ms % 60_000).toBe(0);
  });

  it('seconds: labelled with seconds', () => {
    expect(timeTicks(ms('2026-12-01T16:22:01.500Z'), ms('2026-12-01T16:22:09Z')).map((t) => t.label)).toEqual([
      '2026-12-01 16:22:02', '16:22:03', '16:22:04', '16:22:05', '16:22:06', '16:22:07', '16:22:08', '16:22:09',
    ]);
  });

  it('hours crossing midnight: the new day is named where it starts', () => {
    const labels = timeTicks(ms('2026-12-01T20:10:00Z'), ms('2026-12-02T06:00:00Z')).map((t) => t.label);
    expect(labels).toEqual(['2026-12-01 22:00', '2026-12-02 00:00', '02:00', '04:00', '06:00']);
  });

  it('days, months and years', () => {
    expect(timeTicks(ms('2026-11-23T05:00:00Z'), ms('2026-11-29T00:00:00Z')).map((t) => t.label)).toEqual(['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    expect(timeTicks(ms('2026-02-10T00:00:00Z'), ms('2026-08-01T00:00:00Z')).map((t) => t.label)).toEqual(['2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08']);
    const years = timeTicks(ms('2019-05-01T00:00:00Z'), ms('2026-05-01T00:00:00Z'));
    expect(years.map((t) => t.label)).toEqual(['2020', '2021', '2022', '2023', '2024', '2025', '2026']);
    for (const t of years) expect(new Date(t.ms).toISOString()).toMatch(/^\d{4}-01-01T00:00:00\.000Z$/);
  });

  it('never more than asked for', () => {
    for (const range of [3_000, 500_000, 9e6, 4e8, 3e10, 9e11]) expect(timeTicks(0, range).length).toBeLessThanOrEqual(8);
  });

  it('durations in words', () => {
    expect([durationWords(1000), durationWords(250_000), durationWords(7_500_000), durationWords(0)]).toEqual(['1 s', '4 min 10 s', '2 h 5 min', '0 s']);
  });
});

const span = (from: string, to: string, holders: string[], extra: Partial<IncidentSpan> = {}): IncidentSpan => ({
  from, to, status: 'held', holders, location: 'R1/safe-1', role: 'held', ...extra,
});
const act = (time: string, commandType: string, carrierId: string, eventType: string, extra: Partial<IncidentAct> = {}): IncidentAct => ({
  time, actId: `act-${time}`, commandType, carriers: [{ carrierId, revision: 1, eventType }], signers: [], parties: [], location: null, seal: null, summary: commandType, ...extra,
});

/** A day's window, the report made at 18:00 (before `to`): a one-second read, a copy gone missing, one destroyed. */
function report(): IncidentReport {
  const day = (hhmm: string) => `2026-12-01T${hhmm}:00.000Z`;
  return {
    query: { from: day('08:00'), to: '2026-12-09T00:00:00.000Z', maxActs: 10_000 },
    madeAt: day('18:00'),
    drawnTo: day('18:00'),
    provenance: { ledgerId: 'ledger-7', checkpoint: { size: 41, root: 'cm9vdA==', time: day('17:00') }, madeBy: { personId: 'officer1', name: 'Ada Officer' } },
    carriers: [
      { carrierId: 'C1', title: 'Plan', classification: 'secret', registry: 'R1', atStart: null, spans: [
        span(day('08:00'), day('12:00'), ['clerk1']),
        span(day('12:00'), '2026-12-01T12:00:01.000Z', ['reader1'], { role: 'read', status: 'on-loan' }),
        span('2026-12-01T12:00:01.000Z', day('18:00'), ['courier1'], { role: 'carried', status: 'in-transit' }),
      ] },
      { carrierId: 'C1-c2', title: 'Plan copy', classification: 'secret', registry: 'R1', atStart: null, spans: [
        span(day('08:00'), day('10:00'), ['clerk1']),
        span(day('10:00'), day('18:00'), [], { status: 'missing' }),
      ] },
      { carrierId: 'C9', title: 'Old disk', classification: 'secret', registry: 'R1', atStart: null, spans: [span(day('08:00'), day('09:00'), ['clerk1'])] },
    ],
    timeline: [
      act(day('09:00'), 'DestroyCarrier', 'C9', 'CarrierDestroyed'),
      act(day('10:00'), 'ReportMissing', 'C1-c2', 'CarrierReportedMissing'),
      act(day('12:00'), 'DispatchTransport', 'C1', 'TransportDispatched', { location: 'R2/safe-1', seal: 'SEAL-77' }),
    ],
    people: [],
    truncated: false,
  };
}
const attr = (element: string, name: string) => element.match(new RegExp(`${name}="([^"]*)"`))?.[1];

describe('the timeline picture', () => {
  const svg = incidentSvg(report());

  it('ticks sit at round instants and stop when the report was made, which the picture says', () => {
    const labels = [...svg.matchAll(/<text class="tick"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(labels).toEqual(['2026-12-01 08:00', '10:00', '12:00', '14:00', '16:00', '18:00']);
    expect(svg).toContain('Drawn from 2026-12-01T08:00:00.000Z to 2026-12-01T18:00:00.000Z (when the report was made)');
    const rects = [...svg.matchAll(/<rect class="span[^"]*"[^>]*>/g)].map((m) => m[0]);
    const right = Math.max(...rects.map((r) => Number(attr(r, 'x')) + Number(attr(r, 'width'))));
    const end = svg.match(/<line class="end" x1="([\d.]+)"/)![1];
    expect(right).toBeCloseTo(Number(end), 0);
  });

  it('a one-second read gets the minimum width, and is listed as a short span', () => {
    const short = [...svg.matchAll(/<rect class="span short"[^>]*>/g)].map((m) => m[0]);
    expect(short).toHaveLength(1);
    expect(Number(attr(short[0]!, 'width'))).toBe(MIN_BAR_PX);
    expect(shortSpans(report()).map((s) => [s.carrierId, s.span.holders, s.duration])).toEqual([['C1', ['reader1'], '1 s']]);
    const html = renderIncident(report(), 'html');
    expect(html).toContain('Spans too short to see (1)');
    expect(html).toMatch(/<td class="nowrap">2026-12-01T12:00:00.000Z<\/td>/);
  });

  it('holders never wear the alert red; missing is red and hollow, destruction a cross, and the legend shows exactly those', () => {
    const fills = [...svg.matchAll(/<rect class="(?:span|legend-holder)[^"]*"[^>]*fill="([^"]*)"/g)].map((m) => m[1]);
    for (const fill of HOLDER_PALETTE) expect(fill.toLowerCase()).not.toMatch(/^#(c|d|e|f)[0-9a-f]0{2}/);
    expect(HOLDER_PALETTE).not.toContain(ALERT);
    expect(fills).not.toContain(ALERT);
    expect(svg).toMatch(new RegExp(`<rect class="span"[^>]*fill="#fff" stroke="${ALERT}"`));
    expect(svg).toContain('<path class="act destroyed"');
    expect(svg).toContain('<path class="act missing"');
    const legend = [...svg.matchAll(/<g class="legend-key"[^>]*>.*?<\/g>\n<text[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(legend).toEqual(expect.arrayContaining(['missing: nobody holds it', 'reported missing', 'destroyed', 'carried in transit']));
    expect(legend).not.toContain('declared lost');
  });

  it('prints each act with its number, type, place and seal (paper has no tooltips)', () => {
    const key = [...svg.matchAll(/<text class="act-key"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(key).toEqual([
      '1.  2026-12-01 09:00:00.000Z  DestroyCarrier',
      '2.  2026-12-01 10:00:00.000Z  ReportMissing',
      '3.  2026-12-01 12:00:00.000Z  DispatchTransport  at R2/safe-1  seal SEAL-77',
    ]);
    expect((svg.match(/<text class="act-number"/g) ?? []).length).toBe(3);
  });
});

describe('act numbers on a crowded row', () => {
  it('acts too close to number apart are printed once as a range, not on top of each other', () => {
    const r = report();
    r.timeline.push(act('2026-12-01T12:00:30.000Z', 'HandOverInTransit', 'C1', 'TransportHandedOver'));
    const numbers = [...incidentSvg(r).matchAll(/<text class="act-number"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(numbers).toEqual(['1', '2', '3–4']);
  });
});

describe('the report ties itself to a verifiable state', () => {
  it('names the ledger, the checkpoint (size and root), who made it and when, in HTML and Markdown', () => {
    for (const format of ['html', 'md'] as const) {
      const text = renderIncident(report(), format);
      expect(text).toContain('Made at 2026-12-01T18:00:00.000Z by Ada Officer (officer1).');
      expect(text).toContain('Ledger ledger-7; newest signed checkpoint when made: size 41, root cm9vdA==, signed 2026-12-01T17:00:00.000Z.');
      expect(text).toContain('custody is shown up to 2026-12-01T18:00:00.000Z, nothing after it');
    }
  });
});
