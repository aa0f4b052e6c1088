import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { Answer } from '../components/Answer.js';
import { ErrorNotice } from '../components/Notice.js';
import { Sections } from '../components/Tabs.js';
import { download } from '../lib/keystore.js';
import { useSession } from '../lib/session.js';
import { isoFromLocalInput, whenInWords } from '../lib/time.js';

/** The investigator's desk: where is it, where was it at T, holdings at T, access, lineage, trace, alerts, incidents, bundles. */
export function InvestigatorDesk() {
  return (
    <div class="desk">
      <h1>Investigation</h1>
      <Sections
        label="Investigation desk"
        sections={[
          { id: 'where', label: 'Where', render: () => <Query kind="where" /> },
          { id: 'holdings', label: 'Holdings at T', render: () => <Query kind="holdings" /> },
          { id: 'access', label: 'Access and lineage', render: () => <Query kind="access" /> },
          { id: 'trace', label: 'Trace', render: () => <Query kind="trace" /> },
          { id: 'alerts', label: 'Alerts', render: () => <Query kind="alerts" /> },
          { id: 'incident', label: 'Incident', render: () => <Incident /> },
          { id: 'bundle', label: 'Bundle', render: () => <Bundle /> },
        ]}
      />
    </div>
  );
}

type Kind = 'where' | 'holdings' | 'access' | 'trace' | 'alerts';

const QUERIES: Record<Kind, { title: string; subject?: 'carrier' | 'person'; time?: string; paths: (id: string, at: string) => string[] }> = {
  where: { title: 'Where is it, or where was it at a time', subject: 'carrier', time: 'At (leave empty for now)', paths: (id, at) => [`/carriers/${enc(id)}/where${at ? `?at=${enc(at)}` : ''}`] },
  holdings: { title: 'What a person held at a time', subject: 'person', time: 'At', paths: (id, at) => [`/persons/${enc(id)}/holdings-at?at=${enc(at || new Date().toISOString())}`] },
  access: { title: 'Everyone who had access, and the copies', subject: 'carrier', paths: (id) => [`/carriers/${enc(id)}/access`, `/carriers/${enc(id)}/lineage`] },
  trace: { title: 'Lost-carrier trace (R-LOSS)', subject: 'carrier', time: 'Judged at (leave empty for now)', paths: (id, at) => [`/carriers/${enc(id)}/trace${at ? `?now=${enc(at)}` : ''}`] },
  alerts: { title: 'Open alerts', time: 'At (leave empty for now)', paths: (_, at) => [`/alerts${at ? `?now=${enc(at)}` : ''}`] },
};

const enc = encodeURIComponent;

function Query(props: { kind: Kind }) {
  const session = useSession();
  const q = QUERIES[props.kind];
  const [id, setId] = useState('');
  const [at, setAt] = useState('');
  const [answers, setAnswers] = useState<unknown[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const prefix = `q-${props.kind}`;
  async function ask(event: Event) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const iso = at ? (isoFromLocalInput(at) ?? '') : '';
      setAnswers(await Promise.all(q.paths(id.trim(), iso).map((p) => session.api.get(p))));
    } catch (e) {
      setAnswers(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="card" aria-labelledby={`${prefix}-title`}>
      <h2 id={`${prefix}-title`}>{q.title}</h2>
      <form class="filters" onSubmit={ask}>
        {q.subject ? (
          <label>
            {q.subject === 'carrier' ? 'Carrier id' : 'Person id'}
            <input value={id} required list={q.subject === 'carrier' ? 'pick-carrier' : 'pick-person'} onInput={(e) => setId(e.currentTarget.value)} data-testid={`${prefix}-id`} />
          </label>
        ) : null}
        {q.time ? (
          <label>
            {q.time}
            <input type="datetime-local" step={1} value={at} onInput={(e) => setAt(e.currentTarget.value)} data-testid={`${prefix}-at`} />
          </label>
        ) : null}
        <button type="submit" disabled={busy}>{busy ? 'Asking…' : 'Ask the ledger'}</button>
      </form>
      {error ? <ErrorNotice error={error} acting="this question" /> : null}
      {answers ? <Answers list={answers.map((a) => (props.kind === 'where' ? <><WhereHeadline answer={a} /><Answer value={a} /></> : <Answer value={a} />))} /> : null}
    </section>
  );
}

/** The answer to "where is it" in one sentence, above the full record. */
function WhereHeadline(props: { answer: unknown }) {
  const a = props.answer as { carrierId?: string; status?: string; holders?: string[]; location?: string; since?: string; at?: string };
  if (!a.carrierId) return null;
  return (
    <p class="headline" data-testid="where-headline">
      {a.at ? `At ${whenInWords(a.at)}, ` : 'Now, '}
      {a.carrierId} is <strong>{a.status}</strong>
      {a.holders?.length ? <>, held by <strong>{a.holders.join(' and ')}</strong></> : null}
      {a.location ? <> at <strong>{a.location}</strong></> : null}
      {a.since ? `, since ${whenInWords(a.since)}` : ''}.
    </p>
  );
}

function Answers(props: { list: ComponentChildren[] }) {
  return <div class="answers" aria-live="polite">{props.list.map((a, i) => <div key={i} class="answer">{a}</div>)}</div>;
}

function Incident() {
  const session = useSession();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [carriers, setCarriers] = useState('');
  const [answer, setAnswer] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const query = () => {
    const p = new URLSearchParams({ from: isoFromLocalInput(from) ?? from, to: isoFromLocalInput(to) ?? to });
    if (carriers.trim()) p.set('carriers', carriers.trim());
    return p;
  };
  async function run(event: Event) {
    event.preventDefault();
    setError(null);
    try {
      setAnswer(await session.api.get(`/incidents?${query()}`));
    } catch (e) {
      setError(e);
    }
  }
  async function report() {
    try {
      download('incident-report.html', await session.api.blob(`/incidents?${query()}&format=html`), 'text/html');
    } catch (e) {
      setError(e);
    }
  }
  return (
    <section class="card" aria-labelledby="incident-title">
      <h2 id="incident-title">Incident reconstruction</h2>
      <form class="filters" onSubmit={run}>
        <label>
          From
          <input type="datetime-local" step={1} required value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          To
          <input type="datetime-local" step={1} required value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <label>
          Carriers (comma-separated, optional)
          <input value={carriers} onInput={(e) => setCarriers(e.currentTarget.value)} />
        </label>
        <div class="row">
          <button type="submit">Reconstruct</button>
          <button type="button" class="secondary" onClick={report} disabled={!from || !to}>Download the report (HTML, with timeline)</button>
        </div>
      </form>
      {error ? <ErrorNotice error={error} acting="the incident report" /> : null}
      {answer ? <div class="answer"><Answer value={answer} /></div> : null}
    </section>
  );
}

function Bundle() {
  const session = useSession();
  const [id, setId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  async function get(event: Event) {
    event.preventDefault();
    setError(null);
    try {
      download(`${id}.bundle.json`, await session.api.blob(`/carriers/${enc(id)}/bundle`));
      setSaved(`${id}.bundle.json`);
    } catch (e) {
      setError(e);
    }
  }
  return (
    <section class="card" aria-labelledby="bundle-title">
      <h2 id="bundle-title">Download a carrier's bundle</h2>
      <p class="muted">The bundle holds the carrier's events, its lineage, everyone's keys and a signed checkpoint: check it offline with <code>custody verify</code>, trusting nothing from this server.</p>
      <form class="filters" onSubmit={get}>
        <label>
          Carrier id
          <input value={id} required list="pick-carrier" onInput={(e) => setId(e.currentTarget.value)} />
        </label>
        <button type="submit">Download</button>
      </form>
      {saved ? <p role="status">Saved {saved}.</p> : null}
      {error ? <ErrorNotice error={error} acting="the bundle" /> : null}
    </section>
  );
}
