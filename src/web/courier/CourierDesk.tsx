import { CommandForm } from '../components/CommandForm.js';
import { Qr } from '../components/Qr.js';
import { Sections } from '../components/Tabs.js';
import { shortCode, type Outcome } from '../lib/acts.js';
import { useSession } from '../lib/session.js';
import { OpenAct } from './OpenAct.js';
import { WaitingForMe } from './WaitingForMe.js';

/** Shown on the first courier's phone: the second courier opens the same act on theirs. */
export function HandToSecondDevice(props: { outcome: Outcome }) {
  if (props.outcome.status !== 'pending') return null;
  const url = `${location.origin}/#/act/${props.outcome.actId}`;
  return (
    <div class="handoff">
      <Qr text={url} label={`QR code to open act ${shortCode(props.outcome.actId)} on another device`} size={180} />
      <p>
        The others sign on their own device: scan this code, or type <strong class="mono big-code" data-testid="act-code">{shortCode(props.outcome.actId)}</strong> under “Open an act”.
      </p>
    </div>
  );
}

/** The courier pair's desk, phone-first: what to sign now, open an act from the partner's phone, dispatch, deliver. */
export function CourierDesk() {
  const session = useSession();
  const me = session.me.id;
  return (
    <div class="desk narrow">
      <h1>Courier</h1>
      <Sections
        label="Courier desk"
        sections={[
          {
            id: 'sign',
            label: 'To sign',
            render: () => (
              <>
                <WaitingForMe />
                <OpenAct />
              </>
            ),
          },
          {
            id: 'dispatch',
            label: 'Take for transport',
            render: () => (
              <CommandForm
                type="DispatchTransport"
                title="Take carriers for transport"
                intro={<p>Both couriers sign (R-TRANSPORT-2), each on their own device; the giver signs from their inbox.</p>}
                preset={{ couriers: [me, ''], leavesPremises: true }}
                submitLabel="Sign the transport"
                renderOutcome={(o) => <HandToSecondDevice outcome={o} />}
              />
            ),
          },
          {
            id: 'deliver',
            label: 'Deliver',
            render: () => (
              <CommandForm
                type="DeliverTransport"
                title="Deliver"
                intro={<p>Compare the seal number with the one recorded at dispatch before you sign; the receiver signs last (R-TRANSPORT-3).</p>}
                preset={{ couriers: [me, ''], sealIntact: true }}
                submitLabel="Sign the delivery"
                renderOutcome={(o) => <HandToSecondDevice outcome={o} />}
              />
            ),
          },
        ]}
      />
    </div>
  );
}
