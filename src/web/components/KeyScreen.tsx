import { useState } from 'preact/hooks';
import { EncryptedKeyFile } from '../../domain/encrypted-key.js';
import { CorruptKeyFile, WrongPassphrase, decryptKey, encryptKey, newPlainKey, publicKeyOfSeed, type PlainKey } from '../../crypto/portable/key-vault.js';
import { forgetKey, storeKey, storedKeys } from '../lib/keystore.js';
import type { SigningKey } from '../lib/sign-act.js';
import { ErrorNotice, Notice } from './Notice.js';
import { SignActFile } from './SignActFile.js';
import { FirstOfficer } from './FirstOfficer.js';

const MIN_PASSPHRASE = 10;

/** Unlock a key kept (encrypted) in this browser, import one, or make one. */
export function KeyScreen(props: { onUnlocked: (key: SigningKey) => Promise<void>; reason?: string }) {
  const [keys, setKeys] = useState(storedKeys);
  const [adding, setAdding] = useState(keys.length === 0);
  return (
    <main id="main" class="keys">
      <h1>Custody ledger</h1>
      <p class="lead">Your key stays in this browser, encrypted with your passphrase. It signs every act you perform; the server never sees it.</p>
      {props.reason ? <Notice tone="info" title={props.reason} /> : null}
      {keys.length > 0 ? (
        <section aria-labelledby="stored-keys">
          <h2 id="stored-keys">Keys on this device</h2>
          <ul class="cards">
            {keys.map((file) => (
              <li key={file.publicKey} class="card">
                <UnlockKey file={file} onUnlocked={props.onUnlocked} onForget={() => (forgetKey(file.publicKey), setKeys(storedKeys()))} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {adding ? (
        <AddKey onAdded={() => (setKeys(storedKeys()), setAdding(false))} />
      ) : (
        <button type="button" class="secondary" onClick={() => setAdding(true)}>
          Add a key: import a key file or make a new key
        </button>
      )}
      {keys.length > 0 ? <SignActFile keys={keys} /> : null}
    </main>
  );
}

function UnlockKey(props: { file: EncryptedKeyFile; onUnlocked: (key: SigningKey) => Promise<void>; onForget: () => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [personId, setPersonId] = useState(props.file.personId ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const id = `unlock-${props.file.publicKey.slice(0, 8)}`;
  async function unlock(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const plain = await decryptKey(props.file, passphrase);
      await props.onUnlocked({ personId: plain.personId ?? personId, publicKey: plain.publicKey, secretKey: plain.secretKey });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
    <form onSubmit={unlock} aria-label={`Unlock the key of ${props.file.personId ?? 'an unnamed person'}`}>
      <p class="card-title">{props.file.personId ?? 'Key without a person'}</p>
      <p class="muted mono">public key {props.file.publicKey.slice(0, 16)}…</p>
      {props.file.personId ? null : (
        <label>
          Person id
          <input value={personId} required onInput={(e) => setPersonId(e.currentTarget.value)} />
        </label>
      )}
      <label for={id}>Passphrase</label>
      <input id={id} type="password" autocomplete="current-password" required value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
      <div class="row">
        <button type="submit" disabled={busy}>{busy ? 'Unlocking…' : 'Unlock and log in'}</button>
        <button type="button" class="link" onClick={props.onForget}>Remove from this device</button>
      </div>
      {error ? <KeyError error={error} /> : null}
    </form>
      {error instanceof Error && error.name === 'KeyNotEnrolled' ? (
        <FirstOfficer
          keyOf={async () => {
            const plain = await decryptKey(props.file, passphrase);
            return { personId: plain.personId ?? personId, publicKey: plain.publicKey, secretKey: plain.secretKey };
          }}
          onEnrolled={async () => {
            const plain = await decryptKey(props.file, passphrase);
            await props.onUnlocked({ personId: plain.personId ?? personId, publicKey: plain.publicKey, secretKey: plain.secretKey });
          }}
        />
      ) : null}
    </>
  );
}

export function KeyError(props: { error: unknown }) {
  if (props.error instanceof WrongPassphrase) {
    return <Notice tone="error" title="Wrong passphrase"><p>The key could not be decrypted with this passphrase. Nothing was sent to the server.</p></Notice>;
  }
  if (props.error instanceof CorruptKeyFile) return <Notice tone="error" title="This key file cannot be used"><p>{props.error.message}</p></Notice>;
  if (props.error instanceof Error && props.error.name === 'KeyNotEnrolled') return <Notice tone="error" title="Key not enrolled"><p>{props.error.message}</p></Notice>;
  return <ErrorNotice error={props.error} acting="logging in" />;
}

function AddKey(props: { onAdded: () => void }) {
  const [mode, setMode] = useState<'import' | 'new'>('import');
  const [plain, setPlain] = useState<PlainKey | null>(null);
  const [encrypted, setEncrypted] = useState<EncryptedKeyFile | null>(null);
  const [personId, setPersonId] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [made, setMade] = useState<string | null>(null);

  async function readFile(event: Event) {
    setError(null);
    setPlain(null);
    setEncrypted(null);
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      setPlain(null);
      const parsed = parseKeyFile(await file.text());
      if ('format' in parsed) setEncrypted(parsed);
      else {
        setPlain(parsed);
        if (parsed.personId) setPersonId(parsed.personId);
      }
    } catch (e) {
      setError(e);
    }
  }

  async function save(event: Event) {
    event.preventDefault();
    setError(null);
    if (encrypted) {
      storeKey(encrypted);
      props.onAdded();
      return;
    }
    if (passphrase.length < MIN_PASSPHRASE) return setError(new Error(`the passphrase must be at least ${MIN_PASSPHRASE} characters`));
    if (passphrase !== again) return setError(new Error('the two passphrases differ'));
    setBusy(true);
    try {
      const key = mode === 'new' ? newPlainKey(personId) : { ...plain!, personId: plain!.personId ?? personId };
      storeKey(await encryptKey(key, passphrase));
      if (mode === 'new') setMade(key.publicKey);
      else props.onAdded();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  if (made) {
    return (
      <section class="card" aria-labelledby="made-key">
        <h2 id="made-key">Your new key is ready</h2>
        <p>Give this public key to your security officer, who enrols you with it:</p>
        <p class="mono big-code" data-testid="new-public-key">{made}</p>
        <button type="button" onClick={props.onAdded}>Done</button>
      </section>
    );
  }
  return (
    <section class="card" aria-labelledby="add-key">
      <h2 id="add-key">Add a key</h2>
      <div class="segmented" role="group" aria-label="How to add a key">
        <button type="button" aria-pressed={mode === 'import'} onClick={() => setMode('import')}>Import a key file</button>
        <button type="button" aria-pressed={mode === 'new'} onClick={() => setMode('new')}>Make a new key</button>
      </div>
      <form onSubmit={save}>
        {mode === 'import' ? (
          <label>
            Key file (from <code>custody keygen</code>, or an encrypted key file exported here)
            <input type="file" accept=".key,.json,application/json" onChange={readFile} data-testid="key-file" />
          </label>
        ) : null}
        {encrypted ? <p class="muted">Encrypted key of {encrypted.personId ?? 'an unnamed person'}: its passphrase is asked when you unlock it.</p> : null}
        {(mode === 'new' || (plain && !plain.personId)) && !encrypted ? (
          <label>
            Your person id
            <input value={personId} required pattern="[A-Za-z0-9][A-Za-z0-9._:\-]*" onInput={(e) => setPersonId(e.currentTarget.value)} />
          </label>
        ) : null}
        {encrypted ? null : (
          <>
            <label>
              New passphrase (at least {MIN_PASSPHRASE} characters)
              <input type="password" autocomplete="new-password" required value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
            </label>
            <label>
              The passphrase again
              <input type="password" autocomplete="new-password" required value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
            </label>
          </>
        )}
        <button type="submit" disabled={busy || (mode === 'import' && !plain && !encrypted)}>
          {busy ? 'Encrypting…' : mode === 'new' ? 'Make my key' : 'Keep this key, encrypted'}
        </button>
        {error ? <KeyError error={error} /> : null}
      </form>
    </section>
  );
}

/** A plain key file as `custody keygen` writes it, or an encrypted one; anything else is corrupt. */
export function parseKeyFile(text: string): PlainKey | EncryptedKeyFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CorruptKeyFile('the file is not JSON');
  }
  if (typeof json !== 'object' || json === null) throw new CorruptKeyFile('the file holds no key');
  const record = json as Record<string, unknown>;
  if ('format' in record) {
    const parsed = EncryptedKeyFile.safeParse(record);
    if (!parsed.success) throw new CorruptKeyFile(parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; '));
    return parsed.data;
  }
  const { personId, publicKey, secretKey } = record;
  if (typeof publicKey !== 'string' || typeof secretKey !== 'string') throw new CorruptKeyFile('expected { personId?, publicKey, secretKey }');
  if (publicKeyOfSeed(secretKey) !== publicKey) throw new CorruptKeyFile('the public key does not belong to the secret key: the file is damaged or was edited');
  return { ...(typeof personId === 'string' ? { personId } : {}), publicKey, secretKey };
}
