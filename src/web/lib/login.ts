import { createApi, ApiProblem, type Api } from './api.js';
import { loginSignature, type SigningKey } from './sign-act.js';
import type { Me } from './session.js';

export class KeyNotEnrolled extends Error {
  constructor(personId: string) {
    super(
      `The server did not accept this key for "${personId}": the person is not enrolled on this ledger, or this key was revoked or replaced. Ask your security officer to enrol you with this public key.`,
    );
    this.name = 'KeyNotEnrolled';
  }
}

/** The challenge/token exchange of src/api/auth.ts, signed here with the unlocked key. */
export async function logIn(key: SigningKey): Promise<{ token: string; expiresAt: string; ledgerId: string; me: Me }> {
  const anonymous: Api = createApi(() => undefined, () => undefined);
  const { challenge, ledgerId } = await anonymous.post<{ challenge: string; ledgerId: string }>('/auth/challenge', { personId: key.personId });
  let token: { token: string; expiresAt: string };
  try {
    token = await anonymous.post('/auth/token', { personId: key.personId, publicKey: key.publicKey, challenge, signature: loginSignature(ledgerId, key, challenge) });
  } catch (error) {
    if (error instanceof ApiProblem && error.problem.status === 401) throw new KeyNotEnrolled(key.personId);
    throw error;
  }
  const api = createApi(() => token.token, () => undefined);
  const me = await api.get<Me>(`/persons/${encodeURIComponent(key.personId)}`);
  return { token: token.token, expiresAt: token.expiresAt, ledgerId, me };
}
