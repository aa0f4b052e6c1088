import { useEffect, useState } from 'preact/hooks';
import { HandToOtherDevice } from '../components/Handoff.js';
import { usePolled } from '../lib/poll.js';
import { useSession } from '../lib/session.js';
import type { UnsignedAct } from '../../domain/act.js';
import { HANDOVERS, Receipt } from '../receipt/Receipt.js';

/**
 * Acts I signed that still wait for someone else: they leave my inbox at once, but the next signer
 * needs their code from my screen. Kept here (memory only) until recorded or dismissed.
 */
type Handoff = { actId: string; summary: string; act: UnsignedAct };
let handoffs: Handoff[] = [];
const listeners = new Set<() => void>();

export function addHandoff(handoff: Handoff): void {
  handoffs = [handoff, ...handoffs.filter((h) => h.actId !== handoff.actId)];
  listeners.forEach((l) => l());
}
function dismiss(actId: string): void {
  handoffs = handoffs.filter((h) => h.actId !== actId);
  listeners.forEach((l) => l());
}

export function Handoffs() {
  const [list, setList] = useState(handoffs);
  useEffect(() => {
    const update = () => setList(handoffs);
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  if (list.length === 0) return null;
  return (
    <section aria-labelledby="handoffs-title">
      <h2 id="handoffs-title">Signed by me just now</h2>
      <ul class="cards">
        {list.map((h) => (
          <li key={h.actId} class="card">
            <HandoffCard handoff={h} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function HandoffCard(props: { handoff: Handoff }) {
  const session = useSession();
  const view = usePolled(() => session.api.get<{ status: string; missing: string[] }>(`/acts/${props.handoff.actId}`), 4000, [props.handoff.actId]);
  const status = view.value?.status ?? 'pending';
  return (
    <article aria-label={`Waiting: ${props.handoff.summary}`} data-handoff={props.handoff.actId}>
      <p class="card-title">{props.handoff.summary}</p>
      {status === 'pending' ? (
        <HandToOtherDevice actId={props.handoff.actId} {...(view.value ? { missing: view.value.missing } : {})} />
      ) : (
        <p role="status">
          <span class={`status status-${status}`}>{status}</span> {status === 'appended' ? 'Everyone has signed: it is in the ledger.' : ''}
        </p>
      )}
      {status === 'appended' && HANDOVERS.has(props.handoff.act.command.type) ? <Receipt actId={props.handoff.actId} act={props.handoff.act} /> : null}
      <button type="button" class="link" onClick={() => dismiss(props.handoff.actId)}>Dismiss</button>
    </article>
  );
}
