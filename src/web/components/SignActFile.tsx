import { useState } from 'preact/hooks';
import { UnsignedAct } from '../../domain/act.js';
import type { EncryptedKeyFile } from '../../domain/encrypted-key.js';
import { decryptKey } from '../../crypto/portable/key-vault.js';
import { actIdOf, actSignature } from '../lib/sign-act.js';
import { download } from '../lib/keystore.js';
import { ActDetails } from '../inbox/Inbox.js';
import { KeyError } from './KeyScreen.js';
import { Notice } from './Notice.js';

/** Signs an act file offline with a key of this device (a new person's own enrolment), writing a signature file. */
export function SignActFile(props: { keys: EncryptedKeyFile[] }) {
  const [act, setAct] = useState<UnsignedAct | null>(null);
  const [keyIndex, setKeyIndex] = useState(0);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [signed, setSigned] = useState(false);
  async function read(event: Event) {
    setError(null);
    setSigned(false);
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      const parsed = UnsignedAct.safeParse((JSON.parse(await file.text()) as { act?: unknown }).act);
      if (!parsed.success) throw new Error('this file holds no act to sign');
      setAct(parsed.data);
    } catch (e) {
      setError(e);
    }
  }
  async function sign(event: Event) {
    event.preventDefault();
    setError(null);
    try {
      const file = props.keys[keyIndex]!;
      const plain = await decryptKey(file, passphrase);
      const personId = plain.personId ?? '';
      if (!act!.signers.includes(personId)) throw new Error(`${personId || 'this key'} is not one of this act's signers (${act!.signers.join(', ')})`);
      const signature = await actSignature(act!, { personId, publicKey: plain.publicKey, secretKey: plain.secretKey });
      download(`${personId}.signature.json`, `${JSON.stringify({ actId: await actIdOf(act!), signature }, null, 2)}\n`);
      setSigned(true);
    } catch (e) {
      setError(e);
    }
  }
  return (
    <section class="card" aria-labelledby="sign-file">
      <h2 id="sign-file">Sign an act file</h2>
      <p class="muted">For an act handed to you as a file, such as your own enrolment: sign it here, give the signature file back.</p>
      <label>
        Act file
        <input type="file" accept=".json,application/json" onChange={read} data-testid="act-file" />
      </label>
      {act ? (
        <form onSubmit={sign}>
          <p class="card-title">{act.command.type}</p>
          <ActDetails act={act} />
          <label>
            Sign with
            <select value={keyIndex} onChange={(e) => setKeyIndex(Number(e.currentTarget.value))}>
              {props.keys.map((k, i) => <option key={k.publicKey} value={i}>{k.personId ?? k.publicKey.slice(0, 12)}</option>)}
            </select>
          </label>
          <label>
            Passphrase
            <input type="password" autocomplete="current-password" value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
          </label>
          <button type="submit">Sign and save the signature file</button>
        </form>
      ) : null}
      {signed ? <Notice tone="ok" title="Signed: give the signature file to the person who gave you the act." /> : null}
      {error ? <KeyError error={error} /> : null}
    </section>
  );
}
