import { useState } from 'preact/hooks';
import type { UnsignedAct } from '../../domain/act.js';
import { cosign, shortCode, submittedBy } from '../lib/acts.js';
import { usePolled } from '../lib/poll.js';
import { useSession, type Session } from '../lib/session.js';
import { whenInWords } from '../lib/time.js';
import { ErrorNotice, Notice } from '../components/Notice.js';
import { addHandoff, Handoffs } from './Handoffs.js';
import { HANDOVERS } from '../receipt/Receipt.js';

export type InboxItem = {
  actId: string;
  summary: string;
  command: string;
  carriers: string[];
  requestedBy: string;
  missing: string[];
  expiresAt: string;
  act: UnsignedAct;
};

export const INBOX_POLL_MS = 4000;

export function useInboxCount(session: Session): number {
  const { value } = usePolled(() => session.api.get<{ items: InboxItem[] }>('/inbox'), INBOX_POLL_MS * 2, [session.token]);
  return value?.items.length ?? 0;
}

/** What waits for my signature, in words; what I submitted, and what became of it. */
export function Inbox() {
  const session = useSession();
  const inbox = usePolled(() => session.api.get<{ items: InboxItem[] }>('/inbox'), INBOX_POLL_MS, [session.token]);
  return (
    <div class="desk">
      <h1>Inbox</h1>
      <Handoffs />
      <section aria-labelledby="waiting">
        <h2 id="waiting">Waiting for my signature</h2>
        {inbox.error ? <ErrorNotice error={inbox.error} acting="reading the inbox" /> : null}
        {inbox.value === undefined ? <p class="muted">Loading…</p> : inbox.value.items.length === 0 ? <p class="muted">Nothing waits for you.</p> : null}
        <ul class="cards">
          {inbox.value?.items.map((item) => (
            <li key={item.actId} class="card">
              <InboxEntry item={item} onChanged={inbox.reload} />
            </li>
          ))}
        </ul>
      </section>
      <Submissions />
    </div>
  );
}

export function InboxEntry(props: { item: InboxItem; onChanged: () => void }) {
  const session = useSession();
  const { item } = props;
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  async function act(what: () => Promise<string>) {
    setBusy(true);
    setError(null);
    try {
      setDone(await what());
      setTimeout(props.onChanged, 1500);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const sign = () =>
    act(async () => {
      const outcome = await cosign(session, item.act, item.actId);
      // Kept on screen after the inbox moves on: the next signer's code, or the receipt of a completed hand-over.
      if (outcome.status === 'pending' || HANDOVERS.has(item.command)) addHandoff({ actId: item.actId, summary: capitalise(item.summary), act: item.act });
      return outcome.status === 'appended' ? 'Signed: the act is now in the ledger.' : `Signed: still waiting for ${outcome.missing?.join(' and ')}.`;
    });
  const decline = (event: Event) => {
    event.preventDefault();
    if (reason.trim() === '') return setError(new Error('say why you decline: the reason is shown to the others'));
    return act(async () => {
      await session.api.post(`/acts/${item.actId}/decline`, { reason: reason.trim() });
      return 'Declined: the act will never be recorded.';
    });
  };
  return (
    <article aria-label={item.summary} data-act={item.actId}>
      <p class="card-title">{capitalise(item.summary)}</p>
      <p class="muted">
        {item.command} · asked by {item.requestedBy} · code <span class="mono">{shortCode(item.actId)}</span> · expires {whenInWords(item.expiresAt)}
      </p>
      <p class="muted">Still to sign: {item.missing.join(', ')}</p>
      <ActDetails act={item.act} />
      {done ? (
        <Notice tone="ok" title={done} />
      ) : declining ? (
        <form onSubmit={decline} class="decline">
          <label>
            Why do you decline?
            <input value={reason} required onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          <div class="row">
            <button type="submit" class="danger" disabled={busy}>Decline</button>
            <button type="button" class="link" onClick={() => setDeclining(false)}>Back</button>
          </div>
        </form>
      ) : (
        <div class="row">
          <button type="button" onClick={sign} disabled={busy}>{busy ? 'Signing…' : 'Sign'}</button>
          <button type="button" class="secondary" onClick={() => setDeclining(true)}>Decline…</button>
        </div>
      )}
      {error ? <ErrorNotice error={error} acting="signing" /> : null}
    </article>
  );
}

/** The command's fields as a definition list: what exactly the signature will cover. */
export function ActDetails(props: { act: UnsignedAct }) {
  return (
    <details>
      <summary>What you sign</summary>
      <dl class="facts">
        {Object.entries(props.act.command.data).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd class="mono">{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
          </div>
        ))}
        <div>
          <dt>prepared at</dt>
          <dd class="mono">{props.act.time}</dd>
        </div>
        <div>
          <dt>signers</dt>
          <dd class="mono">{props.act.signers.join(', ')}</dd>
        </div>
      </dl>
    </details>
  );
}

type ActView = { actId: string; status: string; missing: string[]; declinedBy?: string; reason?: string; act: UnsignedAct };

function Submissions() {
  const session = useSession();
  const mine = submittedBy(session.me.id).slice(0, 12);
  const fates = usePolled(
    () => Promise.all(mine.map((s) => session.api.get<ActView>(`/acts/${s.actId}`).catch(() => undefined))),
    INBOX_POLL_MS * 2,
    [session.token, mine.length],
  );
  return (
    <section aria-labelledby="submitted">
      <h2 id="submitted">What I submitted</h2>
      {mine.length === 0 ? <p class="muted">Nothing yet from this device.</p> : null}
      <ul class="plain">
        {mine.map((s, i) => {
          const fate = fates.value?.[i];
          return (
            <li key={s.actId} class="submission">
              <span class={`status status-${fate?.status ?? s.status}`}>{fate?.status ?? s.status}</span> {s.type} · {whenInWords(s.at)}
              {fate?.status === 'pending' ? <span class="muted"> · waiting for {fate.missing.join(', ')}</span> : null}
              {fate?.status === 'declined' ? <span> · declined by {fate.declinedBy}: “{fate.reason}”</span> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
