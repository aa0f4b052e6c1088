import { actSigningBytes, SignedAct, signatureSigningBytes, signedMessageOf, sortSignatures, type ActSignature, type UnsignedAct } from '../domain/act.js';
import type { IsoTime } from '../domain/primitives.js';
import { sha256Hex } from '../crypto/hash.js';
import { createSigner, createVerifier, type Verifier } from '../crypto/ed25519.js';
import { CliError, EXIT, refused } from './errors.js';
import { readJsonFile, writeFileSafely } from './files.js';
import type { LoadedKey } from './key-file.js';

/**
 * The act file `{ act, signatures }`: what travels between signers' machines (by USB stick, mail,
 * a shared folder) until every signer has signed and someone submits it.
 */

export async function readActFile(file: string): Promise<SignedAct> {
  const parsed = SignedAct.safeParse(await readJsonFile(file, 'act file'));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message }));
    throw new CliError(EXIT.usage, `${file} is not an act file ({ act, signatures })`, { issues });
  }
  return parsed.data;
}

/** Act files describe classified carriers (metadata, not content): private by default. */
export async function writeActFile(file: string, signed: SignedAct): Promise<void> {
  await writeFileSafely(file, `${JSON.stringify(signed, null, 2)}\n`, { mode: 0o600 });
}

/** Signers of the act who have not signed it yet. */
export const missingSigners = (signed: SignedAct): string[] =>
  signed.act.signers.filter((s) => !signed.signatures.some((sig) => sig.signer === s));

/**
 * Every signature already on the file must verify over the act as it is now: otherwise the act was
 * changed after someone signed it, and signing it too would only produce a file the ledger refuses.
 */
export function requireIntactSignatures(signed: SignedAct, verifier: Verifier = createVerifier()): void {
  const bytes = actSigningBytes(signed.act);
  const actId = sha256Hex(bytes);
  for (const s of signed.signatures) {
    const { signer, publicKey, signature } = s;
    if (!signed.act.signers.includes(signer)) {
      throw refused('L-2', `the file carries a signature of ${signer}, who is not a signer of this act`);
    }
    if (!verifier.verify(publicKey, signedMessageOf(s, actId, bytes), signature)) {
      throw refused('L-2', `the signature of ${signer} does not verify over this act: the act was changed after they signed it`);
    }
  }
}

export type SignOutcome = { signed: SignedAct; signature: ActSignature; alreadySigned: boolean };

/**
 * Adds the signature of `signer` made with `key`, dated `now` (this machine's clock): a v2 signature,
 * which signs the act's id and its signer's time together. Offline: needs nothing but the file and the key.
 * Refuses a signer the act does not name (L-2), a second key for the same signer, and, for an
 * enrolment, a key other than the one being enrolled.
 */
export function signAct(signed: SignedAct, signer: string, key: LoadedKey, now: IsoTime = new Date().toISOString()): SignOutcome {
  const { act } = signed;
  if (!act.signers.includes(signer)) {
    throw refused('L-2', `${signer} is not a signer of this act (signers: ${act.signers.join(', ')})`);
  }
  requireEnrolledKey(act, signer, key.publicKey);
  requireIntactSignatures(signed);
  const existing = signed.signatures.find((s) => s.signer === signer);
  if (existing) {
    if (existing.publicKey !== key.publicKey) {
      throw refused('L-2', `${signer} already signed this act with another key (${existing.publicKey})`);
    }
    return { signed, signature: existing, alreadySigned: true };
  }
  const message = signatureSigningBytes(sha256Hex(actSigningBytes(act)), now);
  const signature: ActSignature = { signer, publicKey: key.publicKey, signedAt: now, signature: createSigner(key.secretKey).sign(message) };
  return { signed: { act, signatures: sortSignatures([...signed.signatures, signature]) }, signature, alreadySigned: false };
}

/** An enrollee proves possession of the key being enrolled: any other key cannot sign for them. */
function requireEnrolledKey(act: UnsignedAct, signer: string, publicKey: string): void {
  const data = act.command.data as { personId?: unknown; publicKey?: unknown };
  if (act.command.type === 'EnrolPerson' && data.personId === signer && data.publicKey !== publicKey) {
    throw refused('L-2', `this act enrols ${signer} with key ${String(data.publicKey)}; the key given is ${publicKey}`);
  }
}
