import { durationInWords } from './format.js';
import type { Output } from './io.js';

/**
 * Progress of a long run on stderr: a line at most once a second (and at the end), with the rate
 * and the time left, so a clerk importing thousands of lines sees it move and when it will be done.
 * `now` is injectable so tests need no real waiting.
 */
export function progressMeter(out: Output, total: number, verb: string, now: () => number = Date.now) {
  const started = now();
  let lastPrinted = started;
  return {
    tick(done: number): void {
      const at = now();
      if (done < total && at - lastPrinted < 1000) return;
      lastPrinted = at;
      out.write(`${progressLine(done, total, at - started, verb)}\n`);
    },
  };
}

/** `120 of 2000 lines imported (6%), 85 lines/s, about 22 s left`. */
export function progressLine(done: number, total: number, elapsedMs: number, verb: string): string {
  const percent = total === 0 ? 100 : Math.floor((done * 100) / total);
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const rateText = rate >= 10 ? String(Math.round(rate)) : rate.toFixed(1);
  const left = done >= total ? 'done' : rate > 0 ? `about ${durationInWords(((total - done) / rate) * 1000)} left` : 'time left unknown';
  return `${done} of ${total} lines ${verb} (${percent}%), ${rateText} lines/s, ${left}`;
}
