/**
 * Our events as EventStoreDB events and back. Data and metadata are JSON objects stored with content
 * type application/json (so the server's UI and projections can read them); metadata is always
 * written, `{}` when the caller gave none, so that what is read back is what was appended.
 */
import type { AllStreamResolvedEvent, EventData, ResolvedEvent } from '@eventstore/db-client';
import { StoreIntegrityError, type JsonObject, type RecordedEvent } from '../port.js';
import { toPosition, toRevision } from './mapping.js';
import { isPlainObject } from '../append-rules.js';
import type { PreparedEvent } from './requests.js';

export const JSON_CONTENT_TYPE = 'application/json';

/** The client's event for a prepared one: fresh objects parsed from the frozen text, the id as given. */
export function toEventData(event: PreparedEvent): EventData {
  return {
    id: event.eventId,
    contentType: JSON_CONTENT_TYPE,
    type: event.type,
    data: JSON.parse(event.data) as JsonObject,
    metadata: JSON.parse(event.metadata) as JsonObject,
  };
}

/** An adapter-internal event (claims, batch records): JSON with a fresh or derived id. */
export function internalEventData(id: string, type: string, data: JsonObject): EventData {
  return { id, contentType: JSON_CONTENT_TYPE, type, data, metadata: {} };
}

/** The parts of a resolved event we read; both stream reads and $all reads have them. */
type Resolved = Pick<ResolvedEvent, 'event' | 'commitPosition'> | AllStreamResolvedEvent;

/**
 * A resolved event as our RecordedEvent: revision and commit position normalised to bigint, data
 * and metadata checked to be JSON objects. The position comes from the event itself, or from the
 * resolved event's commit position when the server sent only that.
 */
export function fromResolved(resolved: Resolved): RecordedEvent {
  const event = resolved.event;
  if (!event) throw new StoreIntegrityError('EventStoreDB returned a resolved event without its event (a link to a deleted event?)');
  const where = `event ${event.id} in ${event.streamId}`;
  if (!event.isJson) throw new StoreIntegrityError(`${where} is not JSON: it was not written by this store`);
  if (!isPlainObject(event.data)) throw new StoreIntegrityError(`${where} has data that is not a JSON object`);
  const metadata = event.metadata ?? {};
  if (!isPlainObject(metadata)) throw new StoreIntegrityError(`${where} has metadata that is not a JSON object`);
  const position = event.position ?? (resolved.commitPosition === undefined ? undefined : { commit: resolved.commitPosition });
  return {
    eventId: event.id,
    stream: event.streamId,
    revision: toRevision(event.revision, `${where} revision`),
    position: toPosition(position, `${where} position`),
    type: event.type,
    data: event.data as JsonObject,
    metadata: metadata as JsonObject,
  };
}
