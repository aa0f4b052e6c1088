import { EncryptedKeyFile } from '../../domain/encrypted-key.js';

/**
 * The keys kept in this browser: only ever encrypted (src/crypto/portable/key-vault.ts), one per
 * person, in localStorage. The plain key lives in memory while the desk is unlocked, never on disk,
 * never on the server.
 */

const STORAGE_KEY = 'custody-ledger/keys/v1';

export function storedKeys(): EncryptedKeyFile[] {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(raw) ? raw.flatMap((k) => (EncryptedKeyFile.safeParse(k).success ? [k as EncryptedKeyFile] : [])) : [];
  } catch {
    return [];
  }
}

export function storeKey(file: EncryptedKeyFile): void {
  const others = storedKeys().filter((k) => k.publicKey !== file.publicKey);
  localStorage.setItem(STORAGE_KEY, JSON.stringify([...others, file]));
}

export function forgetKey(publicKey: string): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(storedKeys().filter((k) => k.publicKey !== publicKey)));
}

/** Offers a file to save, built in the page (no server round trip). */
export function download(name: string, content: string | Blob, type = 'application/json'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
