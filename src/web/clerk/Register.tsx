import { useState } from 'preact/hooks';
import type { CarrierSummary } from '../components/Pickers.js';
import { ErrorNotice } from '../components/Notice.js';
import { usePolled } from '../lib/poll.js';
import { registriesOf, useSession } from '../lib/session.js';
import { whenInWords } from '../lib/time.js';

const STATUSES = ['held', 'in-transit', 'on-loan', 'missing', 'lost', 'destroyed'];
const CLASSIFICATIONS = ['confidential', 'secret', 'top-secret'];

/** The register of what the registry holds: every carrier I may see, filtered on the server and by text. */
export function Register() {
  const session = useSession();
  const [status, setStatus] = useState('');
  const [classification, setClassification] = useState('');
  const [text, setText] = useState('');
  const [onlyMine, setOnlyMine] = useState(true);
  const query = new URLSearchParams({ limit: '500', ...(status ? { status } : {}), ...(classification ? { classification } : {}) });
  const list = usePolled(() => session.api.get<{ items: CarrierSummary[] }>(`/carriers?${query}`), 10_000, [session.token, status, classification]);
  const registries = registriesOf(session.me);
  const needle = text.trim().toLowerCase();
  const items = (list.value?.items ?? []).filter(
    (c) =>
      (!onlyMine || registries.length === 0 || registries.includes(c.registry)) &&
      (needle === '' || [c.id, c.title, c.reference, c.location, ...c.holders].some((v) => v.toLowerCase().includes(needle))),
  );
  return (
    <section aria-labelledby="register-title">
      <h2 id="register-title">Register of holdings</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()} role="search" aria-label="Filter the register">
        <label>
          Search
          <input type="search" value={text} placeholder="id, title, reference, holder, place" onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">any</option>
            {STATUSES.map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <label>
          Classification
          <select value={classification} onChange={(e) => setClassification(e.currentTarget.value)}>
            <option value="">any</option>
            {CLASSIFICATIONS.map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        {registries.length > 0 ? (
          <label class="check">
            <input type="checkbox" checked={onlyMine} onChange={(e) => setOnlyMine(e.currentTarget.checked)} />
            Only registry {registries.join(', ')}
          </label>
        ) : null}
      </form>
      {list.error ? <ErrorNotice error={list.error} acting="reading the register" /> : null}
      <p class="muted" aria-live="polite">{list.value ? `${items.length} carrier${items.length === 1 ? '' : 's'}` : 'Loading…'}</p>
      <table class="register">
        <thead>
          <tr>
            <th scope="col">Carrier</th>
            <th scope="col">Title</th>
            <th scope="col">Class.</th>
            <th scope="col">Status</th>
            <th scope="col">Held by</th>
            <th scope="col">Where</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id}>
              <th scope="row" class="mono" data-label="Carrier">{c.id}</th>
              <td data-label="Title">{c.title}</td>
              <td data-label="Class."><span class={`class class-${c.classification}`}>{c.classification}</span></td>
              <td data-label="Status"><span class={`status status-${c.status}`}>{c.status}</span></td>
              <td data-label="Held by">{c.holders.join(', ')}</td>
              <td data-label="Where">{c.location}</td>
              <td data-label="Since">{whenInWords(c.since)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
