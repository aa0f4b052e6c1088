import nacl from 'tweetnacl';
import { actSigningBytes, signatureSigningBytes, type ActSignature, type UnsignedAct } from '../../domain/act.js';
import { signingBytes } from '../../domain/canonical.js';
import { fromBase64url, toBase64url, toHex } from '../../crypto/portable/base64url.js';

/**
 * ALL signing the web app does, in one place: acts and logins, with tweetnacl over the bytes
 * src/domain defines (the same code the CLI and the server use; nothing is re-serialised here).
 */

export type SigningKey = { personId: string; publicKey: string; secretKey: string };

function detached(message: Uint8Array, secretKey: string): string {
  const seed = fromBase64url(secretKey);
  if (seed === undefined || seed.length !== 32) throw new TypeError('an Ed25519 secret key is 32 bytes of base64url');
  return toBase64url(nacl.sign.detached(message, nacl.sign.keyPair.fromSeed(seed).secretKey));
}

/** An act's id: SHA-256 (WebCrypto) of the bytes every signer signs, in lowercase hex, as the server computes it. */
export async function actIdOf(act: UnsignedAct): Promise<string> {
  return toHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', actSigningBytes(act) as Uint8Array<ArrayBuffer>)));
}

/**
 * The signature `key` gives `act` now: v2, dated by the signer's clock (issue #17). The act takes
 * effect at its last required signature, so the time a person signs is part of what they sign.
 */
export async function actSignature(act: UnsignedAct, key: SigningKey, now: () => string = () => new Date().toISOString()): Promise<ActSignature> {
  const signedAt = now();
  const bytes = signatureSigningBytes(await actIdOf(act), signedAt);
  return { signer: key.personId, publicKey: key.publicKey, signedAt, signature: detached(bytes, key.secretKey) };
}

/** What a person signs to log in (src/api/auth.ts, README "The HTTP API"). */
export const LOGIN_SIGNING_DOMAIN = 'custody-ledger/login/v1';

export function loginSignature(ledgerId: string, key: SigningKey, challenge: string): string {
  return detached(signingBytes(LOGIN_SIGNING_DOMAIN, { ledger: ledgerId, personId: key.personId, challenge }), key.secretKey);
}
