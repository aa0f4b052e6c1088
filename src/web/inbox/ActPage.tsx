import { usePolled } from '../lib/poll.js';
import { useSession } from '../lib/session.js';
import { ErrorNotice, Notice } from '../components/Notice.js';
import { INBOX_POLL_MS, InboxEntry, type InboxItem } from './Inbox.js';

/**
 * One act opened on this device by its code (typed, or from the QR code the other device shows):
 * the second courier signs here, on their own phone, what the first prepared on theirs.
 */
export function ActPage(props: { code: string }) {
  const session = useSession();
  const code = props.code.toLowerCase();
  const inbox = usePolled(() => session.api.get<{ items: InboxItem[] }>('/inbox'), INBOX_POLL_MS, [session.token, code]);
  const item = inbox.value?.items.find((i) => i.actId.startsWith(code));
  return (
    <div class="desk">
      <h1>Act {code.slice(0, 8).toUpperCase()}</h1>
      {inbox.error ? <ErrorNotice error={inbox.error} acting="opening the act" /> : null}
      {inbox.value === undefined ? <p class="muted">Looking for the act…</p> : null}
      {inbox.value && !item ? (
        <Notice tone="info" title="No act with this code waits for your signature">
          <p>It may already be signed, declined or expired, or it was prepared for someone else. Check the code on the other device.</p>
        </Notice>
      ) : null}
      {item ? (
        <div class="card">
          <InboxEntry item={item} onChanged={inbox.reload} />
        </div>
      ) : null}
      <p><a href="#/inbox">Back to the inbox</a></p>
    </div>
  );
}
