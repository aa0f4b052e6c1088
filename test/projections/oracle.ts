import type { StoredEnvelope } from '../../src/domain/act.js';
import { evolveCarrier, type RecordedCarrierEvent } from '../../src/domain/carrier/evolve.js';
import { initialCarrierState, isRegistered, type Carrier } from '../../src/domain/carrier/state.js';
import type { EventStore } from '../../src/store/port.js';

/**
 * The slow, obviously right answer to "as of T": replay each carrier's own events dated at or
 * before T with the domain's evolveCarrier. The projections must agree with it at every instant.
 */
export async function replayOracle(store: EventStore) {
  const histories = new Map<string, Array<{ ms: number; event: RecordedCarrierEvent }>>();
  for (const recorded of await store.readAll()) {
    if (!recorded.stream.startsWith('carrier-')) continue;
    const { act, index } = recorded.data as unknown as StoredEnvelope;
    const event = act.events[index]!;
    const id = recorded.stream.slice('carrier-'.length);
    const list = histories.get(id) ?? [];
    list.push({ ms: Date.parse(act.time), event: { type: event.type, data: event.data, time: act.time } as RecordedCarrierEvent });
    histories.set(id, list);
  }
  const stateAt = (carrierId: string, ms: number): Carrier | null => {
    let state = initialCarrierState();
    for (const { ms: at, event } of histories.get(carrierId) ?? []) if (at <= ms) state = evolveCarrier(state, event);
    return isRegistered(state) ? state : null;
  };
  const all = (ms: number) => [...histories.keys()].sort().flatMap((id) => {
    const state = stateAt(id, ms);
    return state ? [state] : [];
  });
  return {
    carrierIds: [...histories.keys()].sort(),
    stateAt,
    heldBy: (personId: string, ms: number) => all(ms).filter((c) => c.holders.includes(personId)).map((c) => c.id),
    placedAt: (location: string, ms: number) =>
      all(ms).filter((c) => (c.status === 'held' || c.status === 'on-loan') && c.location === location).map((c) => c.id),
  };
}
