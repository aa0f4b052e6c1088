import { useEffect, useMemo, useState } from 'preact/hooks';
import { createApi } from './lib/api.js';
import { logIn } from './lib/login.js';
import { useRoute } from './lib/route.js';
import { SessionContext, hasRole, type Session } from './lib/session.js';
import type { SigningKey } from './lib/sign-act.js';
import { storedKeys, download } from './lib/keystore.js';
import { KeyScreen } from './components/KeyScreen.js';
import { Inbox, useInboxCount } from './inbox/Inbox.js';
import { ClerkDesk } from './clerk/ClerkDesk.js';
import { CourierDesk } from './courier/CourierDesk.js';
import { OfficerDesk } from './officer/OfficerDesk.js';
import { InvestigatorDesk } from './investigator/InvestigatorDesk.js';
import { ActPage } from './inbox/ActPage.js';
import { MyDesk } from './mine/MyDesk.js';
import { Pickers } from './components/Pickers.js';

type Desk = { route: string; label: string; allowed: (s: Session) => boolean; render: () => preact.JSX.Element };

const DESKS: Desk[] = [
  { route: 'inbox', label: 'Inbox', allowed: () => true, render: () => <Inbox /> },
  { route: 'mine', label: 'My carriers', allowed: () => true, render: () => <MyDesk /> },
  { route: 'clerk', label: 'Registry', allowed: (s) => hasRole(s.me, 'registry-clerk'), render: () => <ClerkDesk /> },
  { route: 'courier', label: 'Courier', allowed: (s) => hasRole(s.me, 'courier'), render: () => <CourierDesk /> },
  { route: 'officer', label: 'Security office', allowed: (s) => hasRole(s.me, 'security-officer') || hasRole(s.me, 'approver'), render: () => <OfficerDesk /> },
  { route: 'investigator', label: 'Investigation', allowed: (s) => hasRole(s.me, 'investigator') || hasRole(s.me, 'security-officer'), render: () => <InvestigatorDesk /> },
];

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [reason, setReason] = useState<string | undefined>();
  const [route, go] = useRoute();

  async function unlocked(key: SigningKey): Promise<void> {
    const login = await logIn(key);
    let current: Session | null = null;
    const api = createApi(
      () => current?.token,
      () => {
        // A token expires (15 minutes) or the server restarted: back to the key, nothing kept.
        setSession(null);
        setReason('Your session ended (it expired or the server restarted). Unlock your key to log in again; nothing was lost.');
      },
    );
    current = { key, api, ...login };
    setReason(undefined);
    setSession(current);
    if (!route) go(DESKS.find((d) => d.route !== 'inbox' && d.route !== 'mine' && d.allowed(current!))?.route ?? 'inbox');
  }

  if (!session) return <KeyScreen onUnlocked={unlocked} {...(reason ? { reason } : {})} />;
  const desks = DESKS.filter((d) => d.allowed(session));
  const actRoute = /^act\/([0-9a-f]{6,64})$/.exec(route);
  const desk = desks.find((d) => d.route === route) ?? desks[0]!;
  return (
    <SessionContext.Provider value={session}>
      <Shell session={session} desks={desks} current={actRoute ? '' : desk.route} onLogOut={() => setSession(null)}>
        {actRoute ? <ActPage code={actRoute[1]!} /> : desk.render()}
      </Shell>
    </SessionContext.Provider>
  );
}

function Shell(props: { session: Session; desks: Desk[]; current: string; onLogOut: () => void; children: preact.ComponentChildren }) {
  const { me, key } = props.session;
  const waiting = useInboxCount(props.session);
  const encrypted = useMemo(() => storedKeys().find((k) => k.publicKey === key.publicKey), [key.publicKey]);
  useEffect(() => {
    document.title = `${props.desks.find((d) => d.route === props.current)?.label ?? 'Act'} · Custody ledger`;
  }, [props.current]);
  return (
    <>
      <a class="skip" href="#main">Skip to the desk</a>
      <header class="top">
        <div class="who">
          <span class="who-name">{me.name}</span>
          <span class="muted">
            {me.id} · {me.unit} · cleared {me.clearance}
          </span>
        </div>
        <nav aria-label="Desks">
          {props.desks.map((d) => (
            <a key={d.route} href={`#/${d.route}`} aria-current={d.route === props.current ? 'page' : undefined}>
              {d.label}
              {d.route === 'inbox' && waiting > 0 ? <span class="badge" aria-label={`${waiting} waiting`}>{waiting}</span> : null}
            </a>
          ))}
        </nav>
        <div class="account">
          {encrypted ? (
            <button type="button" class="link" onClick={() => download(`${me.id}.custody-key.json`, `${JSON.stringify(encrypted, null, 2)}\n`)}>
              Export encrypted key file
            </button>
          ) : null}
          <button type="button" class="link" onClick={props.onLogOut}>Lock</button>
        </div>
      </header>
      <main id="main">{props.children}</main>
      <Pickers />
    </>
  );
}
