import { usePolled } from '../lib/poll.js';
import { registriesOf, useSession } from '../lib/session.js';

export type CarrierSummary = {
  id: string;
  status: string;
  kind: string;
  classification: string;
  title: string;
  registry: string;
  reference: string;
  copyNumber: number;
  holders: string[];
  location: string;
  since: string;
  circulation: { id: string; readers: string[]; reader: string | null } | null;
  transport: { transportId: string; couriers: string[]; seal: string | null; from: string; destination: { person: string | null; registry: string | null } } | null;
};

const PEOPLE_KEY = 'custody-ledger/people';

/** People this device has met (enrolled here, seen as holders): the person picker's suggestions. */
export function rememberPeople(ids: string[]): void {
  const known = new Set(knownPeople());
  for (const id of ids) if (id) known.add(id);
  localStorage.setItem(PEOPLE_KEY, JSON.stringify([...known].sort()));
}
export function knownPeople(): string[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(PEOPLE_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The suggestions every form's pickers offer, fed by the API: the carriers I may see, their
 * holders, registries and locations, and the people this device knows. Refreshed while shown.
 */
export function Pickers() {
  const session = useSession();
  const carriers = usePolled(() => session.api.get<{ items: CarrierSummary[] }>('/carriers?limit=500'), 15_000, [session.token]);
  // GET /persons (everyone enrolled) comes with the CLI's `custody people`; on a server without it, the people seen on carriers.
  const enrolled = usePolled(() => session.api.get<{ items: Array<{ id: string; name: string }> }>('/persons').catch(() => ({ items: [] })), 60_000, [session.token]);
  const items = carriers.value?.items ?? [];
  const names = new Map((enrolled.value?.items ?? []).map((p) => [p.id, p.name]));
  const people = new Set([session.me.id, ...knownPeople(), ...names.keys()]);
  for (const c of items) {
    c.holders.forEach((h) => people.add(h));
    c.circulation?.readers.forEach((r) => people.add(r));
    c.transport?.couriers.forEach((r) => people.add(r));
  }
  const registries = new Set([...registriesOf(session.me), ...items.map((c) => c.registry)]);
  const locations = new Set(items.map((c) => c.location));
  return (
    <div hidden>
      <datalist id="pick-person">{[...people].sort().map((p) => <option key={p} value={p}>{names.get(p) ?? ''}</option>)}</datalist>
      <datalist id="pick-carrier">{items.map((c) => <option key={c.id} value={c.id}>{`${c.title} (${c.classification})`}</option>)}</datalist>
      <datalist id="pick-registry">{[...registries].sort().map((r) => <option key={r} value={r} />)}</datalist>
      <datalist id="pick-location">{[...locations].sort().map((l) => <option key={l} value={l} />)}</datalist>
    </div>
  );
}
