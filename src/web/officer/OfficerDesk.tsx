import { useState } from 'preact/hooks';
import { CommandForm } from '../components/CommandForm.js';
import { rememberPeople } from '../components/Pickers.js';
import { CommandChooser, Sections } from '../components/Tabs.js';
import { ErrorNotice } from '../components/Notice.js';
import { WaitingForMe } from '../courier/WaitingForMe.js';
import { actorPreset } from '../lib/presets.js';
import { usePolled } from '../lib/poll.js';
import { hasRole, useSession } from '../lib/session.js';
import { EnrolmentHandoff } from './EnrolmentHandoff.js';

const APPROVALS = [
  { type: 'ApproveCopies', label: 'Approve copies' },
  { type: 'ApproveDestruction', label: 'Approve destruction' },
  { type: 'ApproveMediaExit', label: 'Approve removable media leaving' },
  { type: 'ApproveMediaRepair', label: 'Approve media repair' },
];

const PEOPLE = [
  { type: 'ChangePersonRoles', label: 'Change roles' },
  { type: 'ChangePersonClearance', label: 'Change clearance' },
  { type: 'RotatePersonKey', label: 'Replace a key' },
  { type: 'RevokePersonKey', label: 'Revoke a key' },
  { type: 'DeactivatePerson', label: 'Deactivate' },
];

/** The security officer's and approver's desk: approvals, what waits to be co-signed, enrolment, people, the policy. */
export function OfficerDesk() {
  const session = useSession();
  const me = session.me.id;
  const officer = hasRole(session.me, 'security-officer');
  const [enrolling, setEnrolling] = useState<string>('');
  const enrol = actorPreset('EnrolPerson', me, { clearance: 'secret', roles: [] });
  return (
    <div class="desk">
      <h1>{officer ? 'Security office' : 'Approvals'}</h1>
      <Sections
        label="Security office desk"
        sections={[
          {
            id: 'approve',
            label: 'Approvals',
            render: () => (
              <>
                <WaitingForMe title="Waiting for my signature" />
                <CommandChooser label="Approve" commands={APPROVALS} render={(type) => <CommandForm type={type} title={APPROVALS.find((a) => a.type === type)!.label} preset={{ approvedBy: me }} locked={['approvedBy']} />} />
              </>
            ),
          },
          ...(officer
            ? [
                {
                  id: 'enrol',
                  label: 'Enrol',
                  render: () => (
                    <CommandForm
                      type="EnrolPerson"
                      title="Enrol a person"
                      intro={<p>The person signs their own enrolment with the key they made, proving they hold it.</p>}
                      preset={enrol.preset}
                      locked={enrol.locked}
                      submitLabel="Sign the enrolment"
                      onDone={(_, data) => (setEnrolling(String(data.personId)), rememberPeople([String(data.personId)]))}
                      renderOutcome={(o) => <EnrolmentHandoff outcome={o} personId={enrolling} />}
                    />
                  ),
                },
                {
                  id: 'people',
                  label: 'People',
                  render: () => <CommandChooser label="Change" commands={PEOPLE} render={(type) => <CommandForm type={type} title={PEOPLE.find((a) => a.type === type)!.label} {...actorPreset(type, me)} />} />,
                },
              ]
            : []),
          { id: 'policy', label: 'Policy', render: () => <PolicyView /> },
        ]}
      />
    </div>
  );
}

function PolicyView() {
  const session = useSession();
  const policy = usePolled(() => session.api.get<{ policy: Record<string, unknown>; since?: string; by?: string }>('/policy'), 0, [session.token]);
  if (policy.error) return <ErrorNotice error={policy.error} acting="reading the policy" />;
  if (!policy.value) return <p class="muted">Loading…</p>;
  const settings = (policy.value.policy ?? {}) as Record<string, unknown>;
  return (
    <section aria-labelledby="policy-title">
      <h2 id="policy-title">The policy in force</h2>
      <dl class="facts">
        {Object.entries(settings).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd class="mono">{typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
