import { StoredEnvelope } from '../../domain/act.js';
import { actIdOf, eventHashOf } from '../../ledger/envelope.js';
import type { JsonObject, RecordedEvent } from '../../store/port.js';
import type { BundleEvent } from './schema.js';

/** A bundle event with what every check needs from it, computed once: its envelope, act id and recomputed hash. */
export type PreparedEvent = {
  event: BundleEvent & { proof?: string[] };
  record: RecordedEvent;
  envelope?: StoredEnvelope;
  actId?: string;
  /** The event hash recomputed from its content (never the stored one). */
  hash?: string;
};

export function prepareEvent(event: BundleEvent & { proof?: string[] }): PreparedEvent {
  const record: RecordedEvent = {
    eventId: '',
    stream: event.stream,
    revision: BigInt(event.revision),
    position: BigInt(event.position),
    type: event.type,
    data: event.data as JsonObject,
    metadata: event.metadata as JsonObject,
  };
  const parsed = StoredEnvelope.safeParse(event.data);
  if (!parsed.success) return { event, record };
  try {
    const actId = actIdOf(parsed.data.act);
    return { event, record, envelope: parsed.data, actId, hash: eventHashOf(actId, parsed.data.index, parsed.data.signatures) };
  } catch {
    // Data without a canonical form (a fraction, a lone surrogate) cannot have been signed, and
    // verifyStream would throw on it: it sees an empty object instead and reports a malformed event.
    return { event, record: { ...record, data: {} } };
  }
}

export const at = (p: PreparedEvent) => ({ position: p.event.position, stream: p.event.stream, revision: p.event.revision });
