import { describe, expect, it } from 'vitest';
import { readOf } from '../../src/api/read-log-hook.js';

const read = (url: string) => {
  const { pathname, searchParams } = new URL(url, 'http://local');
  return readOf(pathname, searchParams);
};

describe('which GETs are reads, and what they name', () => {
  it('names the carrier of each carrier read, and tells where from where-at', () => {
    expect(read('/carriers/C1/where')).toEqual({ kind: 'where', carriers: ['C1'], subject: null });
    expect(read('/carriers/C1/where?at=2026-12-01T10%3A00%3A00Z')).toMatchObject({ kind: 'where-at', carriers: ['C1'] });
    expect(read('/carriers/C%2F1/trace')).toMatchObject({ kind: 'trace', carriers: ['C/1'] });
    expect(read('/carriers/C1/bundle')).toMatchObject({ kind: 'bundle', carriers: ['C1'] });
  });

  it('names every carrier an incident report asks for, and the subject of the rest', () => {
    expect(read('/incidents?from=a&to=b&carriers=C1,%20C2')).toMatchObject({ kind: 'incident', carriers: ['C1', 'C2'] });
    expect(read('/persons/reader1/holdings')).toEqual({ kind: 'holdings', carriers: [], subject: 'reader1' });
    expect(read('/locations/R1%2Fsafe-1/carriers')).toEqual({ kind: 'location', carriers: [], subject: 'R1/safe-1' });
  });

  it('leaves alone what reads no carrier', () => {
    for (const path of ['/health', '/checkpoints/latest', '/inbox', '/persons', '/proofs/inclusion']) expect(read(path)).toBeUndefined();
  });
});
