import { describe, expect, it } from 'vitest';
import { progressLine, progressMeter } from '../../src/cli/progress.js';

describe('import progress', () => {
  it('says how far, how fast and how long is left, in words', () => {
    expect(progressLine(120, 2000, 1500, 'imported')).toBe('120 of 2000 lines imported (6%), 80 lines/s, about 24 s left');
    expect(progressLine(3, 1000, 2000, 'checked')).toBe('3 of 1000 lines checked (0%), 1.5 lines/s, about 11 min left');
    expect(progressLine(0, 10, 0, 'imported')).toBe('0 of 10 lines imported (0%), 0.0 lines/s, time left unknown');
    expect(progressLine(10, 10, 500, 'imported')).toBe('10 of 10 lines imported (100%), 20 lines/s, done');
  });

  it('prints at most a line a second, and always the last', () => {
    let written = '';
    let clock = 0;
    const meter = progressMeter({ write: (t: string) => (written += t) }, 4, 'imported', () => clock);
    clock = 200;
    meter.tick(1);
    clock = 1200;
    meter.tick(2);
    clock = 1300;
    meter.tick(3);
    clock = 1400;
    meter.tick(4);
    expect(written.split('\n').filter(Boolean)).toEqual([
      '2 of 4 lines imported (50%), 1.7 lines/s, about 1 s left',
      '4 of 4 lines imported (100%), 2.9 lines/s, done',
    ]);
  });
});
