import { useState } from 'preact/hooks';
import { actIdOf, actSignature, type SigningKey } from '../lib/sign-act.js';
import { createApi } from '../lib/api.js';
import { ErrorNotice } from './Notice.js';

/**
 * A new ledger has nobody enrolled, so nobody can log in: its first security officer enrols
 * themself with a self-signed EnrolPerson, the one act the server takes without a token (and only
 * while the ledger is empty; on any other ledger it answers 401 and nothing happens).
 */
export function FirstOfficer(props: { keyOf: () => Promise<SigningKey>; onEnrolled: () => Promise<void> }) {
  const [name, setName] = useState('');
  const [unit, setUnit] = useState('Security Office');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function enrol(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const key = await props.keyOf();
      const api = createApi(() => undefined, () => undefined);
      const command = {
        type: 'EnrolPerson',
        data: { personId: key.personId, name, unit, clearance: 'top-secret', roles: [{ role: 'security-officer' }], publicKey: key.publicKey, enrolledBy: key.personId },
      };
      const prepared = await api.post<{ actId: string; act: Parameters<typeof actIdOf>[0] }>('/acts/prepare', { command });
      if ((await actIdOf(prepared.act)) !== prepared.actId) throw new Error('the server named the act by another id than its content: nothing was signed');
      await api.post('/acts', { act: prepared.act, signatures: [await actSignature(prepared.act, key)] });
      await props.onEnrolled();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={enrol} class="first-officer" aria-label="Enrol the first security officer">
      <p>Is this a new ledger with nobody enrolled yet? Its first security officer enrols themself here, with this key.</p>
      <label>
        Your name
        <input value={name} required onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        Your unit
        <input value={unit} required onInput={(e) => setUnit(e.currentTarget.value)} />
      </label>
      <button type="submit" class="secondary" disabled={busy || name.trim() === ''}>Enrol me as the first security officer</button>
      {error ? <ErrorNotice error={error} acting="the first enrolment" /> : null}
    </form>
  );
}
