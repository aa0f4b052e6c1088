import { CommandForm } from '../components/CommandForm.js';
import { Sections } from '../components/Tabs.js';
import { useSession } from '../lib/session.js';
import { OpenAct } from './OpenAct.js';
import { WaitingForMe } from './WaitingForMe.js';

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
                title="Take over carriers in transit"
                intro={<p>Usually the giving clerk prepares the transport and you sign it under “To sign”. Here: a transport you prepare yourself, for carriers you may see. Both couriers sign (R-TRANSPORT-2), each on their own device.</p>}
                preset={{ couriers: [me, ''], leavesPremises: true }}
                submitLabel="Sign the transport"
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
              />
            ),
          },
        ]}
      />
    </div>
  );
}
