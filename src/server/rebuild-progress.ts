import type { RebuildProgress } from '../projections/lifecycle.js';

/**
 * At start the server reads the whole log before it serves (a million events take tens of seconds
 * here): every few seconds, say how far it has got, so an operator can tell slow from stuck. A
 * small ledger is read before the first line is due, and says nothing.
 */
export function rebuildReporter(print: (line: string) => void, now: () => number = () => performance.now(), everyMs = 5_000) {
  const started = now();
  let last = started;
  const n = (value: bigint) => value.toLocaleString('en-US');
  return (progress: RebuildProgress): void => {
    const t = now();
    if (t - last < everyMs) return;
    last = t;
    const percent = progress.head > 0n ? Math.min(100, Number((progress.position * 100n) / progress.head)) : 100;
    const seconds = Math.round((t - started) / 1000);
    print(`custody-ledger reading the log: position ${n(progress.position)} of ${n(progress.head)} (${percent}%) after ${seconds} s`);
  };
}
