import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import { EncryptedKeyFile, MIN_PBKDF2_ITERATIONS } from '../../src/domain/encrypted-key.js';
import { CorruptKeyFile, WrongPassphrase, decryptKey, encryptKey, newPlainKey, publicKeyOfSeed } from '../../src/crypto/portable/key-vault.js';

/** The encrypted key file, made and opened with WebCrypto in Node exactly as in the browser. */
describe('encrypted key files (src/crypto/portable/key-vault.ts)', () => {
  const key = { personId: 'clerk', ...generateKeyPair() };

  it('opens with the passphrase it was made with, and gives back the same key', async () => {
    const file = await encryptKey(key, 'correct horse battery staple');
    expect(EncryptedKeyFile.parse(file).kdf.iterations).toBeGreaterThanOrEqual(600_000);
    expect(JSON.stringify(file)).not.toContain(key.secretKey);
    expect(await decryptKey(file, 'correct horse battery staple')).toEqual(key);
  });

  it('says "wrong passphrase" for any other passphrase', async () => {
    const file = await encryptKey(key, 'correct horse battery staple');
    await expect(decryptKey(file, 'correct horse battery stapler')).rejects.toBeInstanceOf(WrongPassphrase);
  });

  it('does not open when the person or public key in the file was swapped (they are bound into the encryption)', async () => {
    const file = await encryptKey(key, 'correct horse battery staple');
    await expect(decryptKey({ ...file, personId: 'officer' }, 'correct horse battery staple')).rejects.toBeInstanceOf(WrongPassphrase);
    await expect(decryptKey({ ...file, publicKey: generateKeyPair().publicKey }, 'correct horse battery staple')).rejects.toBeInstanceOf(WrongPassphrase);
  });

  it('calls a file with a weak work factor or a missing field corrupt, before any decryption', async () => {
    const file = await encryptKey(key, 'correct horse battery staple');
    await expect(decryptKey({ ...file, kdf: { ...file.kdf, iterations: MIN_PBKDF2_ITERATIONS - 1 } }, 'x')).rejects.toBeInstanceOf(CorruptKeyFile);
    const { ciphertext: _dropped, ...withoutCiphertext } = file;
    await expect(decryptKey(withoutCiphertext, 'x')).rejects.toBeInstanceOf(CorruptKeyFile);
    await expect(decryptKey('not a key', 'x')).rejects.toBeInstanceOf(CorruptKeyFile);
  });

  it('makes new keys whose public key belongs to the seed (tweetnacl, as node:crypto derives it)', () => {
    const made = newPlainKey('courier1');
    expect(publicKeyOfSeed(made.secretKey)).toBe(made.publicKey);
    expect(publicKeyOfSeed(key.secretKey)).toBe(key.publicKey);
    expect(publicKeyOfSeed('not-a-seed')).toBeUndefined();
  });
});
