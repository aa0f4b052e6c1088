import { usePolled } from '../lib/poll.js';
import { useSession } from '../lib/session.js';
import { ErrorNotice } from '../components/Notice.js';
import { Handoffs } from '../inbox/Handoffs.js';
import { INBOX_POLL_MS, InboxEntry, type InboxItem } from '../inbox/Inbox.js';

/** The inbox, on a desk: what waits for my signature now (optionally only some commands). */
export function WaitingForMe(props: { commands?: string[]; title?: string }) {
  const session = useSession();
  const inbox = usePolled(() => session.api.get<{ items: InboxItem[] }>('/inbox'), INBOX_POLL_MS, [session.token]);
  const items = (inbox.value?.items ?? []).filter((i) => !props.commands || props.commands.includes(i.command));
  return (
    <>
    <Handoffs />
    <section aria-labelledby="waiting-desk">
      <h2 id="waiting-desk">{props.title ?? 'Waiting for my signature'}</h2>
      {inbox.error ? <ErrorNotice error={inbox.error} acting="reading the inbox" /> : null}
      {inbox.value && items.length === 0 ? <p class="muted">Nothing waits for you.</p> : null}
      <ul class="cards">
        {items.map((item) => (
          <li key={item.actId} class="card">
            <InboxEntry item={item} onChanged={inbox.reload} />
          </li>
        ))}
      </ul>
    </section>
    </>
  );
}
