import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api.js';
import type { SigningKey } from './sign-act.js';

export type Role = { role: string; registry?: string; authority?: string; originators?: string[] };
export type Me = { id: string; name: string; unit: string; clearance: string; roles: Role[] };

/** A logged-in desk: the unlocked key (in memory only), the token, who I am and the ledger. */
export type Session = { key: SigningKey; token: string; expiresAt: string; me: Me; ledgerId: string; api: Api };

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a logged-in desk');
  return session;
}

export const hasRole = (me: Me, role: string): boolean => me.roles.some((r) => r.role === role);

/** The registries I am a clerk of: the default for registration and the filter of the register. */
export const registriesOf = (me: Me): string[] => me.roles.flatMap((r) => (r.role === 'registry-clerk' && r.registry ? [r.registry] : []));
