import { beforeAll, describe, expect, it } from 'vitest';
import { NotFound, ValidationError } from '../../src/domain/errors.js';
import type { IncidentReport, ProjectionSet } from '../../src/projections/index.js';
import { at, buildScenario } from './scenario.js';

let projections: ProjectionSet;

beforeAll(async () => {
  ({ projections } = await buildScenario());
});

const refusal = (query: unknown): ValidationError => {
  try {
    projections.incident(query);
  } catch (e) {
    return e as ValidationError;
  }
  throw new Error('the query was accepted');
};

describe('incident reconstruction: a window, narrowed by carriers, a person, a location, a classification', () => {
  const transport = () => projections.incident({ from: at('tue', '10:00'), to: at('tue', '15:00'), carrierIds: ['TS1', 'TS2'] });

  it('merges the acts on the chosen carriers into one ordered timeline, one line per act, with its signers', () => {
    const report = transport();
    expect(report.timeline.map((a) => [a.time, a.commandType, a.carriers.map((c) => c.carrierId), a.signers.map((s) => s.personId)])).toEqual([
      [at('tue', '10:30'), 'DispatchTransport', ['TS1', 'TS2'], ['courier1', 'courier2', 'r1clerk1']],
      [at('tue', '11:30'), 'HandOverInTransit', ['TS1', 'TS2'], ['courier1', 'courier2', 'courier3', 'courier4']],
      [at('tue', '14:00'), 'DeliverTransport', ['TS1', 'TS2'], ['courier3', 'courier4', 'r2clerk1']],
    ]);
    expect(report.timeline[0]!.summary).toBe('DispatchTransport: TS1, TS2 (carried: courier1, courier2; handled: r1clerk1)');
    expect(report.truncated).toBe(false);
  });

  it('lists everyone who could have had access in the window, with what they did and when', () => {
    const report = transport();
    expect(report.people.map((p) => [p.personId, p.roles, p.first, p.last])).toEqual([
      ['r1clerk1', ['held', 'handled'], at('tue', '10:00'), at('tue', '10:30')],
      ['courier1', ['carried', 'handled'], at('tue', '10:30'), at('tue', '11:30')],
      ['courier2', ['carried', 'handled'], at('tue', '10:30'), at('tue', '11:30')],
      ['courier3', ['carried', 'handled'], at('tue', '11:30'), at('tue', '14:00')],
      ['courier4', ['carried', 'handled'], at('tue', '11:30'), at('tue', '14:00')],
      ['r2clerk1', ['held'], at('tue', '14:00'), at('tue', '15:00')],
    ]);
    expect(report.carriers[0]).toMatchObject({ carrierId: 'TS1', atStart: { status: 'held', holders: ['r1clerk1'], since: at('tue', '08:11') } });
    expect(report.carriers[0]!.spans.map((s) => [s.role, s.holders, s.from, s.to])).toEqual([
      ['held', ['r1clerk1'], at('tue', '10:00'), at('tue', '10:30')],
      ['carried', ['courier1', 'courier2'], at('tue', '10:30'), at('tue', '11:30')],
      ['carried', ['courier3', 'courier4'], at('tue', '11:30'), at('tue', '14:00')],
      ['held', ['r2clerk1'], at('tue', '14:00'), at('tue', '15:00')],
    ]);
  });

  it('for a person: every carrier they held or took part in within the window, and everyone else around those carriers', () => {
    const report = projections.incident({ from: at('tue', '00:00'), to: at('wed', '23:59'), person: 'reader05' });
    expect(report.carriers.map((c) => c.carrierId)).toEqual(['D-ORIG-c2', 'TS-LATE-OUT', 'TS-READ']);
    const reading = report.timeline.filter((a) => a.parties.some((p) => p.personId === 'reader05'));
    expect(reading.map((a) => [a.time, a.commandType])).toEqual([
      [at('tue', '13:00'), 'IssueToReader'],
      [at('tue', '15:00'), 'ReturnFromReader'],
      [at('wed', '10:05'), 'TransferCustody'],
      [at('wed', '19:00'), 'TransferCustody'],
    ]);
    expect(report.people.map((p) => p.personId)).toEqual(expect.arrayContaining(['reader03', 'reader05', 'r1clerk1', 'r1clerk2', 'r3clerk1']));
  });

  it('for a location and a minimum classification: only carriers of that level placed there in the window', () => {
    const report = projections.incident({ from: at('tue', '08:00'), to: at('tue', '12:00'), location: 'R1/safe-1', minClassification: 'top-secret' });
    expect(report.carriers.every((c) => c.classification === 'top-secret')).toBe(true);
    expect(report.carriers.map((c) => c.carrierId)).toEqual(expect.arrayContaining(['TS-LATE-OUT', 'TS1', 'TS2', 'XSS-1']));
    expect(report.carriers.map((c) => c.carrierId)).not.toContain('D-ORIG');
  });

  it('says what an act did to each carrier: the original copied, each copy made, not "of 3 carriers"', () => {
    const report = projections.incident({ from: at('mon', '00:00'), to: at('wed', '23:59') });
    const copies = report.timeline.filter((a) => a.commandType === 'MakeCopies');
    expect(copies.length).toBeGreaterThan(0);
    for (const a of copies) {
      const made = a.carriers.filter((c) => c.eventType === 'CopyRegistered').map((c) => c.carrierId);
      expect(a.summary).toContain(`${made.join(', ')} made as a copy`);
      expect(a.summary).not.toMatch(/of \d+ carriers/);
    }
  });

  it('a window reaching into the future ends when the report was made: no span runs past it', () => {
    const report = projections.incident({ from: at('mon', '00:00'), to: '2999-01-01T00:00:00.000Z' });
    expect(report.drawnTo).toBe(report.madeAt);
    for (const c of report.carriers) for (const s of c.spans) expect(s.to <= report.madeAt).toBe(true);
    for (const p of report.people) expect(p.last <= report.madeAt).toBe(true);
  });

  it('stops a long timeline where asked and says so', () => {
    const report = projections.incident({ from: at('mon', '00:00'), to: at('wed', '23:59'), maxActs: 5 });
    expect(report.timeline).toHaveLength(5);
    expect(report.truncated).toBe(true);
  });

  it('refuses a bad query field by field, and an unknown carrier as "not found"', () => {
    expect(refusal({ from: at('wed', '10:00'), to: at('tue', '10:00') }).issues).toEqual([expect.objectContaining({ path: ['to'], code: 'invalid_window' })]);
    expect(refusal({ from: 'last week', to: 'now' }).issues.map((i) => i.path)).toEqual([['from'], ['to']]);
    expect(refusal({ from: at('tue', '10:00'), to: at('tue', '11:00'), minClassification: 'cosmic' }).issues[0]?.path).toEqual(['minClassification']);
    expect(refusal({ from: at('tue', '10:00'), to: at('tue', '11:00'), colour: 'red' }).issues[0]?.code).toBe('unrecognized_keys');
    expect(() => projections.incident({ from: at('tue', '10:00'), to: at('tue', '11:00'), carrierIds: ['NO-SUCH'] })).toThrow(NotFound);
  });
});

describe('incident reports as JSON, Markdown and HTML with a timeline picture', () => {
  const report = (): IncidentReport => projections.incident({ from: at('tue', '08:00'), to: at('tue', '18:00'), carrierIds: ['TS1', 'TS2', 'XSS-1', 'D-ORIG-c2'] });

  it('JSON is the report itself', () => {
    const r = report();
    expect(JSON.parse(projections.renderIncident(r, 'json'))).toEqual(JSON.parse(JSON.stringify(r)));
  });

  it('Markdown has the window, the people, the carriers and the timeline as tables, with pipes escaped', () => {
    const md = projections.renderIncident(report(), 'md');
    expect(md).toContain(`Window: ${at('tue', '08:00')} to ${at('tue', '18:00')}; carriers TS1, TS2, XSS-1, D-ORIG-c2.`);
    expect(md).toMatch(/## Who could have had access \(\d+\)/);
    expect(md).toContain('| D-ORIG-c2 | Annual defence plan | secret | R1 |');
    expect(md).toContain('| # | Time | Act | Where | Seal | Carriers | Signed by | What happened | Act id |');
    expect(md).toContain('TS1@1, TS2@1');
  });

  it('HTML draws carriers as rows, holders as coloured spans and acts as marks, and escapes every text', () => {
    const r = report();
    const html = projections.renderIncident(r, 'html');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + 6);
    expect((svg.match(/<text class="row"/g) ?? []).length).toBe(r.carriers.length);
    const spans = r.carriers.reduce((n, c) => n + c.spans.length, 0);
    expect((svg.match(/<rect class="span"/g) ?? []).length).toBe(spans);
    const marks = r.timeline.reduce((n, a) => n + a.carriers.length, 0);
    expect((svg.match(/<path class="act /g) ?? []).length).toBe(marks);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;minutes&quot;');
    expect(html).not.toContain('<script>');
  });

  it('refuses a format it does not know, naming the field', () => {
    expect(() => projections.renderIncident(report(), 'pdf' as 'md')).toThrow(ValidationError);
  });
});
