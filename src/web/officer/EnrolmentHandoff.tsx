import { useState } from 'preact/hooks';
import { ActSignature } from '../../domain/act.js';
import type { Outcome } from '../lib/acts.js';
import { download } from '../lib/keystore.js';
import { useSession } from '../lib/session.js';
import { ErrorNotice, Notice } from '../components/Notice.js';

/**
 * A new person cannot log in before they are enrolled, yet must sign their own enrolment (proving
 * they hold the key). So the act travels as a file: the officer hands it over, the person signs it
 * on their own device ("Sign an act file" before logging in), the officer adds their signature here.
 */
export function EnrolmentHandoff(props: { outcome: Outcome; personId: string }) {
  const session = useSession();
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  if (props.outcome.status !== 'pending') return null;
  const { actId, act } = props.outcome;
  async function addSignature(event: Event) {
    setError(null);
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      const parsed = ActSignature.safeParse((JSON.parse(await file.text()) as { signature?: unknown }).signature);
      if (!parsed.success) throw new Error('this is not a signature file made by “Sign an act file”');
      const outcome = await session.api.post<{ status: string; missing?: string[] }>(`/acts/${actId}/signatures`, parsed.data);
      setDone(outcome.status === 'appended' ? `${props.personId} is enrolled.` : `Signature added; still waiting for ${outcome.missing?.join(', ')}.`);
    } catch (e) {
      setError(e);
    }
  }
  return (
    <div class="handoff">
      <p>1. Give this file to {props.personId}, who signs it on their own device (before logging in: “Sign an act file”).</p>
      <button type="button" class="secondary" onClick={() => download(`enrol-${props.personId}.act.json`, `${JSON.stringify({ actId, act }, null, 2)}\n`)}>
        Download the enrolment to sign
      </button>
      <label>
        2. Their signature file
        <input type="file" accept=".json,application/json" onChange={addSignature} data-testid="signature-file" />
      </label>
      {done ? <Notice tone="ok" title={done} /> : null}
      {error ? <ErrorNotice error={error} acting="adding the signature" /> : null}
    </div>
  );
}
