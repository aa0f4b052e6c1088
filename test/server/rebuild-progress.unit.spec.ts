import { describe, expect, it } from 'vitest';
import { rebuildReporter } from '../../src/server/rebuild-progress.js';

describe('the start-up progress line', () => {
  it('says nothing for a ledger read within the first interval, then one line per interval', () => {
    let now = 0;
    const lines: string[] = [];
    const report = rebuildReporter((line) => lines.push(line), () => now, 5_000);
    now = 4_000;
    report({ position: 1_000n, head: 1_000_000n });
    expect(lines).toEqual([]);
    now = 5_000;
    report({ position: 250_000n, head: 1_000_000n });
    now = 6_000;
    report({ position: 300_000n, head: 1_000_000n });
    now = 10_500;
    report({ position: 1_000_500n, head: 1_000_000n });
    expect(lines).toEqual([
      'custody-ledger reading the log: position 250,000 of 1,000,000 (25%) after 5 s',
      'custody-ledger reading the log: position 1,000,500 of 1,000,000 (100%) after 11 s',
    ]);
  });
});
