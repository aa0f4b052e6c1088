import { useState } from 'preact/hooks';
import { CommandForm } from '../components/CommandForm.js';
import { CommandChooser, Sections } from '../components/Tabs.js';
import { actorPreset } from '../lib/presets.js';
import { registriesOf, useSession } from '../lib/session.js';
import { CarrierLabel } from './CarrierLabel.js';
import { Register } from './Register.js';

type Registered = { carrierId: string; title: string; classification: string; registry: string; reference: string; copyNumber: number };

const CIRCULATION = [
  { type: 'OpenCirculation', label: 'Open a circulation (readers)' },
  { type: 'IssueToReader', label: 'Issue to a reader' },
  { type: 'ReturnFromReader', label: 'Take back from a reader' },
  { type: 'WidenCirculation', label: 'Add readers' },
  { type: 'CloseCirculation', label: 'Close the circulation' },
];

const OTHER = [
  { type: 'TransferCustody', label: 'Transfer custody to a person' },
  { type: 'RequestCopies', label: 'Request copies' },
  { type: 'MakeCopies', label: 'Make approved copies' },
  { type: 'DispatchTransport', label: 'Dispatch with couriers' },
  { type: 'HandOverDuty', label: 'Hand over duty' },
  { type: 'TakeInventory', label: 'Take inventory' },
  { type: 'RequestDestruction', label: 'Request destruction' },
  { type: 'DestroyCarriers', label: 'Destroy (with witness)' },
  { type: 'ReceiveCarrier', label: 'Receive from outside' },
  { type: 'ReportMissing', label: 'Report missing' },
  { type: 'IssueArchiveLoan', label: 'Lend from the archive' },
  { type: 'ReturnArchiveLoan', label: 'Take back an archive loan' },
];

/** The registry clerk's desk: register (with a label), the register of holdings, circulation, other acts. */
export function ClerkDesk() {
  const session = useSession();
  const me = session.me.id;
  const registry = registriesOf(session.me)[0];
  const [registered, setRegistered] = useState<Registered | null>(null);
  const register = actorPreset('RegisterCarrier', me, { location: registry ? `${registry} safe 1` : undefined, description: { registry, kind: 'document', copyNumber: 1, itemCount: 1 } });
  return (
    <div class="desk">
      <h1>Registry {registry ?? ''}</h1>
      <Sections
        label="Registry desk"
        sections={[
          {
            id: 'register',
            label: 'Register',
            render: () => (
              <div class="two-col">
                <CommandForm
                  type="RegisterCarrier"
                  title="Register a carrier"
                  intro={<p>Everything the registry book records about it (R-REG-1): metadata only, never content.</p>}
                  preset={register.preset}
                  locked={register.locked}
                  submitLabel="Sign and register"
                  onDone={(_, data) => {
                    const d = data as { carrierId: string; description: Omit<Registered, 'carrierId'> };
                    setRegistered({ carrierId: d.carrierId, ...d.description });
                  }}
                />
                {registered ? <CarrierLabel {...registered} /> : <p class="muted aside">The carrier's label, with its QR code, appears here once it is registered.</p>}
              </div>
            ),
          },
          { id: 'holdings', label: 'Register of holdings', render: () => <Register /> },
          {
            id: 'circulate',
            label: 'Circulate',
            render: () => (
              <CommandChooser label="Circulation act" commands={CIRCULATION} render={(type) => <ActForm type={type} label={CIRCULATION.find((c) => c.type === type)!.label} me={me} />} />
            ),
          },
          {
            id: 'other',
            label: 'Transfer and more',
            render: () => <CommandChooser label="Act" commands={OTHER} render={(type) => <ActForm type={type} label={OTHER.find((c) => c.type === type)!.label} me={me} />} />,
          },
        ]}
      />
    </div>
  );
}

export function ActForm(props: { type: string; label: string; me: string; extra?: Record<string, unknown> }) {
  const { preset, locked } = actorPreset(props.type, props.me, props.extra);
  return <CommandForm type={props.type} title={props.label} preset={preset} locked={locked} />;
}
