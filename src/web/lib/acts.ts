import type { UnsignedAct } from '../../domain/act.js';
import { actSignature, actIdOf } from './sign-act.js';
import type { Session } from './session.js';

export type Prepared = { actId: string; act: UnsignedAct; signers: string[] };
export type Outcome = { status: 'appended' | 'pending'; actId: string; missing?: string[]; expiresAt?: string; act: UnsignedAct };

/**
 * Prepare → sign here → submit: the server decides the act at the current heads, this browser signs
 * it (if I am one of its signers), and the server appends it or keeps it for the other signers.
 * The act id is checked here before signing, so what I sign is what the server named.
 */
export async function prepareSignSubmit(session: Session, command: { type: string; data: Record<string, unknown> }): Promise<Outcome> {
  const prepared = await session.api.post<Prepared>('/acts/prepare', { command });
  if ((await actIdOf(prepared.act)) !== prepared.actId) throw new Error('the server named the act by another id than its content: nothing was signed');
  const signatures = prepared.signers.includes(session.me.id) ? [await actSignature(prepared.act, session.key)] : [];
  const outcome = await session.api.post<{ status: 'appended' | 'pending'; actId: string; missing?: string[]; expiresAt?: string }>('/acts', {
    act: prepared.act,
    signatures,
  });
  remember(session.me.id, { actId: outcome.actId, type: command.type, at: new Date().toISOString(), status: outcome.status });
  return { ...outcome, act: prepared.act };
}

/** Signs an act waiting in the inbox and hands the signature in. */
export async function cosign(session: Session, act: UnsignedAct, actId: string): Promise<Outcome> {
  if ((await actIdOf(act)) !== actId) throw new Error('the act does not match its id: nothing was signed');
  const outcome = await session.api.post<{ status: 'appended' | 'pending'; actId: string; missing?: string[] }>(`/acts/${actId}/signatures`, await actSignature(act, session.key));
  return { ...outcome, act };
}

//// What I submitted, kept in this browser to follow its fate //////////////

export type Submitted = { actId: string; type: string; at: string; status: string };
const storageKey = (personId: string) => `custody-ledger/submitted/${personId}`;

export function submittedBy(personId: string): Submitted[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(storageKey(personId)) ?? '[]');
    return Array.isArray(list) ? (list as Submitted[]) : [];
  } catch {
    return [];
  }
}

function remember(personId: string, entry: Submitted): void {
  const list = [entry, ...submittedBy(personId).filter((s) => s.actId !== entry.actId)].slice(0, 50);
  localStorage.setItem(storageKey(personId), JSON.stringify(list));
}

/** The short code a second device types to open an act: the first 8 hex digits of its id. */
export const shortCode = (actId: string): string => actId.slice(0, 8).toUpperCase();
