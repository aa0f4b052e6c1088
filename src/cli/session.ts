import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { CliError, EXIT } from './errors.js';
import { readTextIfExists, writeFileSafely } from './files.js';
import type { CliIo } from './io.js';

/**
 * The login session: which server, as whom, the bearer token and the key file that can renew it.
 * Kept in `$CUSTODY_HOME/session.json` (default `~/.custody`), mode 0600: the token is a credential.
 */

export const Session = z.object({
  server: z.string().min(1),
  personId: z.string().min(1),
  token: z.string().min(1),
  expiresAt: z.string(),
  keyFile: z.string().min(1),
  ledgerId: z.string().optional(),
});
export type Session = z.infer<typeof Session>;

export function custodyHome(io: CliIo): string {
  const configured = io.env.CUSTODY_HOME;
  if (configured !== undefined && configured !== '') return resolve(io.cwd, configured);
  return join(io.env.HOME ?? homedir(), '.custody');
}

export const sessionFile = (io: CliIo): string => join(custodyHome(io), 'session.json');

export async function readSession(io: CliIo): Promise<Session | undefined> {
  const file = sessionFile(io);
  const text = await readTextIfExists(file);
  if (text === undefined) return undefined;
  const parsed = Session.safeParse(parseOrUndefined(text));
  if (!parsed.success) throw new CliError(EXIT.auth, `${file} is not a session file; log in again with custody login`);
  return parsed.data;
}

export async function writeSession(io: CliIo, session: Session): Promise<string> {
  const file = sessionFile(io);
  await writeFileSafely(file, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** The server to use: the flag, else $CUSTODY_SERVER, else the saved session's. */
export function serverFrom(io: CliIo, flag: string | undefined, session: Session | undefined): string | undefined {
  return flag ?? (io.env.CUSTODY_SERVER || undefined) ?? session?.server;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
