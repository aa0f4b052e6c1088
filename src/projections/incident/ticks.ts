/**
 * Axis ticks at round instants (UTC), whatever the scale: seconds to years. Each tick is labelled
 * exactly (a tick at 16:25 is 16:25:00.000, never a truncated 16:25:37), with as much of the date as
 * the step needs; the first tick and every change of day carry the date.
 */
export type Tick = { ms: number; label: string };

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

type Step = { ms: number; unit: 'ms' } | { months: number; unit: 'month' };
const STEPS: Step[] = [
  ...[1, 2, 5, 10, 15, 30].map((n) => ({ ms: n * S, unit: 'ms' as const })),
  ...[1, 2, 5, 10, 15, 30].map((n) => ({ ms: n * M, unit: 'ms' as const })),
  ...[1, 2, 3, 6, 12].map((n) => ({ ms: n * H, unit: 'ms' as const })),
  ...[1, 2, 7, 14].map((n) => ({ ms: n * D, unit: 'ms' as const })),
  ...[1, 3, 6, 12, 24, 60, 120, 600].map((n) => ({ months: n, unit: 'month' as const })),
];
const approxMs = (step: Step) => (step.unit === 'ms' ? step.ms : step.months * 30.4 * D);

/** The first multiple of the step at or after `ms` (weeks start on Monday, months on the 1st). */
function firstTick(ms: number, step: Step): number {
  if (step.unit === 'ms') {
    // 1970-01-01 was a Thursday: weekly ticks are counted from Monday 1970-01-05.
    const origin = step.ms % (7 * D) === 0 ? 4 * D : 0;
    return Math.ceil((ms - origin) / step.ms) * step.ms + origin;
  }
  const d = new Date(ms);
  let months = d.getUTCFullYear() * 12 + d.getUTCMonth();
  if (Date.UTC(Math.floor(months / 12), months % 12, 1) < ms) months += 1;
  months = Math.ceil(months / step.months) * step.months;
  return Date.UTC(Math.floor(months / 12), months % 12, 1);
}

function nextTick(ms: number, step: Step): number {
  if (step.unit === 'ms') return ms + step.ms;
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + step.months, 1);
}

function labelOf(ms: number, step: Step, withDate: boolean): string {
  const iso = new Date(ms).toISOString(); // 2026-12-01T16:25:00.000Z
  if (step.unit === 'month') return step.months % 12 === 0 ? iso.slice(0, 4) : iso.slice(0, 7);
  if (step.ms >= D) return iso.slice(0, 10);
  const time = step.ms >= M ? iso.slice(11, 16) : iso.slice(11, 19);
  return withDate ? `${iso.slice(0, 10)} ${time}` : time;
}

/** At most `max` ticks over [fromMs, toMs], on the smallest round step that keeps within it. */
export function timeTicks(fromMs: number, toMs: number, max = 8): Tick[] {
  const range = Math.max(1, toMs - fromMs);
  const step = STEPS.find((s) => range / approxMs(s) <= max) ?? STEPS.at(-1)!;
  const ticks: Tick[] = [];
  let lastDay = '';
  for (let ms = firstTick(fromMs, step); ms <= toMs; ms = nextTick(ms, step)) {
    const day = new Date(ms).toISOString().slice(0, 10);
    ticks.push({ ms, label: labelOf(ms, step, day !== lastDay) });
    lastDay = day;
  }
  return ticks;
}

/** A duration in words for the short-spans table: "1 s", "4 min 10 s", "2 h 5 min", "3 d 4 h". */
export function durationWords(ms: number): string {
  const parts: Array<[number, string]> = [
    [Math.floor(ms / D), 'd'],
    [Math.floor((ms % D) / H), 'h'],
    [Math.floor((ms % H) / M), 'min'],
    [Math.round((ms % M) / S), 's'],
  ];
  const shown = parts.filter(([n]) => n > 0).slice(0, 2);
  return shown.length === 0 ? (ms > 0 ? `${ms} ms` : '0 s') : shown.map(([n, u]) => `${n} ${u}`).join(' ');
}
