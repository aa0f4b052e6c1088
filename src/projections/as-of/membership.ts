import { upperBound } from '../time.js';

/**
 * Which carriers one key (a person, a location) had, over time: its changes ("gained C at t",
 * "lost C at t") in time order, plus snapshots of the whole set taken every so often.
 *
 * "What did P hold at T" is then: binary-search the changes for T, start from the nearest snapshot
 * before it, replay the few changes in between. Cost: O(log n) plus the snapshot's size plus the gap,
 * where n is this key's own history; the rest of the ledger never enters into it.
 *
 * Snapshots are a cache, built lazily by queries: one is taken when the changes since the previous
 * one reach the size of the set (and at least `gap`), so all snapshots together hold no more
 * entries than the history itself. Acts arrive in log order, which is not quite time order (an act
 * may be signed minutes before a later-appended one), so a change can land in the middle; the
 * snapshots after it are then dropped and rebuilt on demand.
 */
export type Membership = {
  /** Fewest changes between two snapshots (below it, replaying is cheaper than keeping a copy). */
  gap: number;
  ms: number[];
  carrier: string[];
  gain: boolean[];
  snapshots: Array<{ upto: number; held: string[] }>;
};

export const createMembership = (gap = 64): Membership => ({ gap, ms: [], carrier: [], gain: [], snapshots: [{ upto: 0, held: [] }] });

export function recordChange(m: Membership, ms: number, carrierId: string, gain: boolean): void {
  const n = m.ms.length;
  if (n === 0 || m.ms[n - 1]! <= ms) {
    m.ms.push(ms);
    m.carrier.push(carrierId);
    m.gain.push(gain);
    return;
  }
  // After every change at the same instant: among equal times, log order decides.
  const i = upperBound(m.ms, ms);
  m.ms.splice(i, 0, ms);
  m.carrier.splice(i, 0, carrierId);
  m.gain.splice(i, 0, gain);
  let keep = m.snapshots.length;
  while (keep > 1 && m.snapshots[keep - 1]!.upto > i) keep -= 1;
  m.snapshots.length = keep;
}

function replay(m: Membership, set: Set<string>, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    if (m.gain[i]) set.add(m.carrier[i]!);
    else set.delete(m.carrier[i]!);
  }
}

/** Takes snapshots up to change `end`, so that the next query near `end` replays little. */
function extendSnapshots(m: Membership, end: number): void {
  const last = m.snapshots[m.snapshots.length - 1]!;
  if (end - last.upto <= m.gap) return;
  const set = new Set(last.held);
  let since = 0;
  for (let i = last.upto; i < end; i++) {
    if (m.gain[i]) set.add(m.carrier[i]!);
    else set.delete(m.carrier[i]!);
    since += 1;
    if (since >= m.gap && since >= set.size) {
      m.snapshots.push({ upto: i + 1, held: [...set] });
      since = 0;
    }
  }
}

function snapshotBefore(m: Membership, end: number): { upto: number; held: string[] } {
  let lo = 0;
  let hi = m.snapshots.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (m.snapshots[mid]!.upto <= end) lo = mid;
    else hi = mid - 1;
  }
  return m.snapshots[lo]!;
}

/** The set after every change at or before `ms`: at exactly an act's time, the act has happened. */
export function membersAt(m: Membership, ms: number): Set<string> {
  const end = upperBound(m.ms, ms);
  extendSnapshots(m, end);
  const snapshot = snapshotBefore(m, end);
  const set = new Set(snapshot.held);
  replay(m, set, snapshot.upto, end);
  return set;
}

/** Everything the key had at any instant in [fromMs, toMs]: held at the start, or gained within. */
export function membersDuring(m: Membership, fromMs: number, toMs: number): Set<string> {
  const set = membersAt(m, fromMs);
  const end = upperBound(m.ms, toMs);
  for (let i = upperBound(m.ms, fromMs); i < end; i++) if (m.gain[i]) set.add(m.carrier[i]!);
  return set;
}

/** The history without the snapshot cache: what "rebuilt equals live" compares. */
export const snapshotMembership = (m: Membership) => ({ ms: [...m.ms], carrier: [...m.carrier], gain: [...m.gain] });
