import { describe, expect, it } from 'vitest';
import { signatureSigningBytes, type UnsignedAct } from '../../src/domain/act.js';
import { createSigner, createVerifier, generateKeyPair } from '../../src/crypto/ed25519.js';
import { loginSigningBytes } from '../../src/api/auth.js';
import { actIdOf as ledgerActIdOf, signatureOf } from '../../src/ledger/envelope.js';
import { actIdOf, actSignature, loginSignature } from '../../src/web/lib/sign-act.js';

/** One act, as the server prepares it: the browser and the CLI sign exactly these bytes. */
const act: UnsignedAct = {
  v: 1,
  ledger: 'ledger-0123456789abcdef',
  command: {
    type: 'TransferCustody',
    data: { carrierId: 'TS-2026-001', giver: 'clerk', receiver: 'analyst', location: 'R1 reading room “north” 北' },
  },
  time: '2026-11-23T09:00:00.000Z',
  signers: ['analyst', 'clerk'],
  events: [
    {
      stream: 'carrier-TS-2026-001',
      revision: 3,
      prevHash: 'a'.repeat(64),
      type: 'CustodyTransferred',
      data: { carrierId: 'TS-2026-001', giver: 'clerk', receiver: 'analyst', location: 'R1 reading room “north” 北' },
    },
  ],
};

describe('signing in the browser (src/web/lib/sign-act.ts)', () => {
  const pair = generateKeyPair();
  const key = { personId: 'clerk', ...pair };

  it('gives an act the same signature, over the same bytes, as the CLI (node:crypto): v2, dated by the signer', async () => {
    const signedAt = '2026-11-23T09:00:05.123Z';
    const browser = await actSignature(act, key, () => signedAt);
    const cli = signatureOf(act, 'clerk', pair.publicKey, createSigner(pair.secretKey).sign, signedAt);
    expect(browser).toEqual(cli);
    expect(createVerifier().verify(pair.publicKey, signatureSigningBytes(ledgerActIdOf(act), signedAt), browser.signature)).toBe(true);
  });

  it('names an act by the id the ledger computes (WebCrypto SHA-256 of the signed bytes)', async () => {
    expect(await actIdOf(act)).toBe(ledgerActIdOf(act));
  });

  it('signs a login the server accepts: the bytes of src/api/auth.ts', () => {
    const signature = loginSignature(act.ledger, key, 'c'.repeat(43));
    expect(createVerifier().verify(pair.publicKey, loginSigningBytes(act.ledger, 'clerk', 'c'.repeat(43)), signature)).toBe(true);
  });

  it('refuses a secret key that is not 32 bytes of base64url', async () => {
    await expect(actSignature(act, { ...key, secretKey: 'short' })).rejects.toThrow(/32 bytes/);
  });
});
