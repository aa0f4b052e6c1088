import { describe, expect, it } from 'vitest';
import { dataFromPairs, valueOf } from '../../src/cli/data-pairs.js';
import { CliError, EXIT } from '../../src/cli/errors.js';

const usageErrorOf = (f: () => unknown): CliError => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
    return error as CliError;
  }
  throw new Error('expected a usage error');
};

describe('key=value pairs become command data', () => {
  it('keeps words as text and reads numbers, booleans, null and arrays as JSON', () => {
    expect(
      dataFromPairs(['carrierId=C1', 'location=Office 12', 'copies=2', 'urgent=true', 'seal=null', 'readers=["r1","r2"]']),
    ).toEqual({ carrierId: 'C1', location: 'Office 12', copies: 2, urgent: true, seal: null, readers: ['r1', 'r2'] });
  });

  it('keeps number-like text that is not JSON as text, and a quoted number as a string', () => {
    expect(dataFromPairs(['reference=CO-2026-17', 'code=007', 'when=2026-01-02', 'number="2026"'])).toEqual({
      reference: 'CO-2026-17',
      code: '007',
      when: '2026-01-02',
      number: '2026',
    });
  });

  it('builds nested objects from dotted keys', () => {
    expect(dataFromPairs(['description.kind=document', 'description.copyNumber=1', 'destination.registry=R2'])).toEqual({
      description: { kind: 'document', copyNumber: 1 },
      destination: { registry: 'R2' },
    });
  });

  it('splits at the first equals sign only, so a value may contain more', () => {
    expect(dataFromPairs(['reason=a=b'])).toEqual({ reason: 'a=b' });
  });

  it('applies pairs over base data from --data, overriding and extending it', () => {
    const base = { carrierId: 'C1', description: { kind: 'document', title: 'Old' } };
    expect(dataFromPairs(['description.title=New', 'holder=clerk1'], base)).toEqual({
      carrierId: 'C1',
      description: { kind: 'document', title: 'New' },
      holder: 'clerk1',
    });
    expect(base.description.title).toBe('Old');
  });

  it('refuses a word without a key, an empty segment, a key given twice and a dotted key under a value', () => {
    expect(usageErrorOf(() => dataFromPairs(['=x'])).message).toMatch(/key=value/);
    expect(usageErrorOf(() => dataFromPairs(['a..b=1'])).message).toMatch(/empty name/);
    expect(usageErrorOf(() => dataFromPairs(['a=1', 'a=2'])).message).toMatch(/a is given twice/);
    expect(usageErrorOf(() => dataFromPairs(['a=1', 'a.b=2'])).message).toMatch(/a is already 1/);
  });

  it('refuses field names that would reach the object prototype', () => {
    expect(usageErrorOf(() => dataFromPairs(['__proto__.polluted=1'])).message).toMatch(/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads a value as JSON only when it looks like JSON', () => {
    expect(valueOf('12')).toBe(12);
    expect(valueOf('-3')).toBe(-3);
    expect(valueOf('{"a":1}')).toEqual({ a: 1 });
    expect(valueOf('[1,')).toBe('[1,');
    expect(valueOf('Infinity')).toBe('Infinity');
    expect(valueOf('truely')).toBe('truely');
  });
});
