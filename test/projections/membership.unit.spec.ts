import { describe, expect, it } from 'vitest';
import { createMembership, membersAt, membersDuring, recordChange } from '../../src/projections/as-of/membership.js';
import { seeded } from './random-history.js';

/** The obvious answer: replay every change at or before `ms`, in time order (log order among equals). */
function naive(changes: Array<{ ms: number; seq: number; carrier: string; gain: boolean }>, ms: number): string[] {
  const set = new Set<string>();
  for (const c of [...changes].sort((a, b) => a.ms - b.ms || a.seq - b.seq)) {
    if (c.ms > ms) break;
    if (c.gain) set.add(c.carrier);
    else set.delete(c.carrier);
  }
  return [...set].sort();
}

describe('the membership index (who held what, when)', () => {
  it('answers "held at T" inclusively: at exactly a change\'s instant the change has happened', () => {
    const m = createMembership();
    recordChange(m, 1000, 'C1', true);
    recordChange(m, 2000, 'C1', false);
    expect([...membersAt(m, 999)]).toEqual([]);
    expect([...membersAt(m, 1000)]).toEqual(['C1']);
    expect([...membersAt(m, 1999)]).toEqual(['C1']);
    expect([...membersAt(m, 2000)]).toEqual([]);
  });

  it('lists everything held at any instant of a window, including what was gained and lost inside it', () => {
    const m = createMembership();
    recordChange(m, 1000, 'before', true);
    recordChange(m, 1500, 'before', false);
    recordChange(m, 2500, 'inside', true);
    recordChange(m, 2600, 'inside', false);
    recordChange(m, 4000, 'after', true);
    expect([...membersDuring(m, 1200, 3000)].sort()).toEqual(['before', 'inside']);
  });

  for (const gap of [1, 3, 64]) {
    it(`agrees with a full replay over random histories with late (back-dated) changes and queries in between (snapshot gap ${gap})`, () => {
      const random = seeded(gap * 101);
      const m = createMembership(gap);
      const changes: Array<{ ms: number; seq: number; carrier: string; gain: boolean }> = [];
      const held = new Map<string, number>();
      let clock = 0;
      for (let seq = 0; seq < 1500; seq++) {
        clock += Math.floor(random() * 5);
        const carrier = `C${Math.floor(random() * 40)}`;
        const since = held.get(carrier);
        // Late changes land before changes already recorded, but never before their own carrier's last one.
        const floor = Math.max(...changes.filter((c) => c.carrier === carrier).map((c) => c.ms), 0);
        const ms = random() < 0.3 ? Math.max(floor, clock - Math.floor(random() * 50)) : clock;
        const gain = since === undefined;
        if (gain) held.set(carrier, ms);
        else held.delete(carrier);
        recordChange(m, ms, carrier, gain);
        changes.push({ ms, seq, carrier, gain });
        if (random() < 0.2) {
          const probe = Math.floor(random() * (clock + 10));
          expect([...membersAt(m, probe)].sort()).toEqual(naive(changes, probe));
        }
      }
      for (let probe = -1; probe <= clock + 1; probe += 7) expect([...membersAt(m, probe)].sort()).toEqual(naive(changes, probe));
      if (gap < 64) expect(m.snapshots.length).toBeGreaterThan(1);
    });
  }
});
