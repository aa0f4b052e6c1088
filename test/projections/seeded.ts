/** A source of numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: a small seeded PRNG, so a failing history (or a benchmark's ledger) can be rebuilt from its seed. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
