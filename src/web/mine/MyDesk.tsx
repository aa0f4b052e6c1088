import { commandDescriptors } from '../../domain/describe/index.js';
import { ActForm } from '../clerk/ClerkDesk.js';
import type { CarrierSummary } from '../components/Pickers.js';
import { ErrorNotice } from '../components/Notice.js';
import { CommandChooser } from '../components/Tabs.js';
import { usePolled } from '../lib/poll.js';
import { useSession } from '../lib/session.js';
import { whenInWords } from '../lib/time.js';

/** Everyone's desk: what I hold now, and any act on a carrier I may perform (a request, a hand-over, a report). */
export function MyDesk() {
  const session = useSession();
  const me = session.me.id;
  const holdings = usePolled(() => session.api.get<{ items: CarrierSummary[] }>(`/persons/${encodeURIComponent(me)}/holdings`), 10_000, [session.token]);
  const commands = commandDescriptors()
    .filter((c) => c.group === 'carrier')
    .map((c) => ({ type: c.type, label: c.purpose && c.purpose !== c.type ? `${c.type}: ${c.purpose}` : c.type }));
  return (
    <div class="desk">
      <h1>My carriers</h1>
      <section aria-labelledby="held-title">
        <h2 id="held-title">What I hold</h2>
        {holdings.error ? <ErrorNotice error={holdings.error} acting="reading your holdings" /> : null}
        {holdings.value && holdings.value.items.length === 0 ? <p class="muted">You hold nothing.</p> : null}
        <ul class="cards">
          {holdings.value?.items.map((c) => (
            <li key={c.id} class="card">
              <p class="card-title">
                <span class="mono">{c.id}</span> · {c.title}
              </p>
              <p class="muted">
                <span class={`class class-${c.classification}`}>{c.classification}</span> · {c.location} · since {whenInWords(c.since)}
              </p>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="act-title">
        <h2 id="act-title">Perform an act</h2>
        <CommandChooser label="Act on a carrier" commands={commands} render={(type) => <ActForm type={type} label={type} me={me} />} />
      </section>
    </div>
  );
}
