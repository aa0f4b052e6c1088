import { effectiveTimeOf } from '../domain/signed-time.js';
import { StoredEnvelope } from '../domain/act.js';
import type { Carrier } from '../domain/carrier/state.js';
import type { Person } from '../domain/person/state.js';
import type { RecordedEvent } from '../store/port.js';
import type { PendingActRecord } from '../inbox/port.js';
import { carriersOfAct, summarise } from '../inbox/summary.js';
import type { z } from '@hono/zod-openapi';
import type { ActView, CarrierView, HistoryItem, InboxItem, PersonView } from './schemas.js';

/** A carrier as the API shows it. Pure: the state the write model holds, flattened for readers. */
export function carrierView(c: Carrier): CarrierView {
  const d = c.description;
  return {
    id: c.id,
    status: c.status,
    kind: d.kind,
    classification: d.classification,
    title: d.title,
    registry: d.registry,
    reference: d.reference,
    originator: d.originator,
    copyNumber: d.copyNumber,
    holders: c.holders,
    location: c.location,
    since: c.since,
    atRegistry: c.atRegistry,
    registeredAt: c.registeredAt,
    registeredBy: c.registeredBy,
    parentId: c.parentId,
    copies: c.copies,
    circulation: c.circulation,
    transport: c.transport,
    // `version` counts the events folded in; the first event is revision 0.
    revision: c.version - 1,
  };
}

/**
 * The JSON text of a carrier's view, made once per carrier state: the write model replaces a
 * carrier's state object on every event, so a state seen before has the same text. This keeps the
 * hottest read (GET /carriers/:id) to a Map lookup and a write.
 */
export function createCarrierJsonCache() {
  const texts = new WeakMap<Carrier, string>();
  return (carrier: Carrier): string => {
    let text = texts.get(carrier);
    if (text === undefined) {
      text = JSON.stringify(carrierView(carrier));
      texts.set(carrier, text);
    }
    return text;
  };
}

export const personView = (p: Person): z.infer<typeof PersonView> => ({
  id: p.id,
  name: p.name,
  unit: p.unit,
  clearance: p.clearance,
  roles: p.roles,
  status: p.status,
  keys: p.keys,
  enrolledAt: p.enrolledAt,
});

/** One stored event of a carrier's stream with who signed it: the record an investigator reads. */
export function historyItem(recorded: RecordedEvent): z.infer<typeof HistoryItem> {
  const { act, index, signatures } = StoredEnvelope.parse(recorded.data);
  const event = act.events[index];
  if (!event) throw new Error(`stored event ${recorded.eventId} points outside its act`);
  const effective = effectiveTimeOf(act, signatures);
  const recordedAt = recorded.metadata['recordedAt'];
  return {
    revision: Number(recorded.revision),
    type: recorded.type,
    time: effective.time,
    preparedAt: act.time,
    effectiveBy: effective.rule,
    recordedAt: typeof recordedAt === 'string' ? recordedAt : null,
    data: event.data,
    signers: act.signers,
    signatures,
    actId: String(recorded.metadata['actId']),
    hash: String(recorded.metadata['hash']),
    prevHash: event.prevHash,
  };
}

export function actView(r: PendingActRecord): z.infer<typeof ActView> {
  return {
    actId: r.actId,
    status: r.status,
    act: r.act,
    signatures: r.signatures,
    missing: r.missing,
    expiresAt: r.expiresAt,
    requestedBy: r.requestedBy,
    ...(r.declinedBy !== null ? { declinedBy: r.declinedBy } : {}),
    ...(r.reason !== null ? { reason: r.reason } : {}),
    ...(r.events !== null ? { events: r.events } : {}),
  };
}

export const inboxItem = (r: PendingActRecord, personId: string): z.infer<typeof InboxItem> => ({
  actId: r.actId,
  summary: summarise(r.act, personId),
  command: r.act.command.type,
  carriers: carriersOfAct(r.act),
  requestedBy: r.requestedBy,
  missing: r.missing,
  expiresAt: r.expiresAt,
  act: r.act,
});
