import type { LedgerProgress } from './verify-ledger.js';

/** `[##########----------]  50%  500,000/1,000,000 events  21,300/s` */
export function progressLine(progress: LedgerProgress, elapsedMs: number, width = 30): string {
  const fraction = progress.total === 0 ? 1 : Math.min(1, progress.events / progress.total);
  const filled = Math.round(fraction * width);
  const rate = elapsedMs > 0 ? Math.round(progress.events / (elapsedMs / 1000)) : 0;
  const n = (x: number) => x.toLocaleString('en-US');
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${n(progress.events)}/${n(progress.total)} events  ${n(rate)}/s`;
}

/**
 * A progress bar redrawn in place on a terminal (carriage return, at most ten times a second), and
 * erased when done so the report that follows starts on a clean line.
 */
export function createProgressBar(out: { write(text: string): unknown }, now: () => number = () => performance.now()) {
  const started = now();
  let drawn = -Infinity;
  let width = 0;
  return {
    update(progress: LedgerProgress): void {
      const t = now();
      if (t - drawn < 100 && progress.events < progress.total) return;
      drawn = t;
      const line = progressLine(progress, t - started);
      width = Math.max(width, line.length);
      out.write(`\r${line}`);
    },
    done(): void {
      if (width > 0) out.write(`\r${' '.repeat(width)}\r`);
    },
  };
}
