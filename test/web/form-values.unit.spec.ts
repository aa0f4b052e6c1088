import { describe, expect, it } from 'vitest';
import { checkCommand, commandDescriptor } from '../../src/domain/describe/index.js';
import { getIn, initialData, setIn } from '../../src/web/lib/values.js';
import { actorPreset } from '../../src/web/lib/presets.js';

/** What a generated form starts with and how it edits its data: the web app's forms without a browser. */
describe('form values', () => {
  it('start from the schema: defaults filled, a list that needs items starts with empty rows, presets win', () => {
    const fields = commandDescriptor('DispatchTransport')!.fields;
    const data = initialData(fields, { giver: 'clerk' });
    expect(data).toMatchObject({ carrierIds: [''], couriers: [''], giver: 'clerk', purpose: 'delivery', seal: null, destination: { registry: null, person: null } });
  });

  it('edit by path without touching the rest, and a cleared field disappears', () => {
    const data = { description: { title: 'A', registry: 'R1' }, readers: ['a', 'b'] };
    const edited = setIn(data, ['readers', 1], 'c');
    expect(edited).toEqual({ description: { title: 'A', registry: 'R1' }, readers: ['a', 'c'] });
    expect(data.readers).toEqual(['a', 'b']);
    expect(setIn(edited, ['description', 'title'], undefined)).toEqual({ description: { registry: 'R1' }, readers: ['a', 'c'] });
    expect(getIn(edited, ['description', 'registry'])).toBe('R1');
  });

  it('fill the acting person on a desk and lock it, leaving the others to choose', () => {
    expect(actorPreset('RegisterCarrier', 'clerk')).toEqual({ preset: { holder: 'clerk', registeredBy: 'clerk' }, locked: ['registeredBy'] });
    expect(actorPreset('ApproveCopies', 'director').locked).toEqual([]);
  });

  it('a form filled as a clerk would parses as the command the CLI would send', () => {
    const { preset } = actorPreset('RegisterCarrier', 'clerk', { location: 'R1 safe 1' });
    let data = initialData(commandDescriptor('RegisterCarrier')!.fields, preset);
    for (const [path, value] of [
      [['carrierId'], 'TS-1'],
      [['description', 'kind'], 'document'],
      [['description', 'classification'], 'secret'],
      [['description', 'title'], 'Survey'],
      [['description', 'originator'], 'Central Office'],
      [['description', 'reference'], '2026'],
      [['description', 'copyNumber'], 1],
      [['description', 'itemCount'], 3],
      [['description', 'registry'], 'R1'],
    ] as const) data = setIn(data, [...path], value);
    const checked = checkCommand('RegisterCarrier', data);
    expect(checked.ok).toBe(true);
  });
});
