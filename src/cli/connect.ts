import { createCustodyApi, type CustodyApi } from '../client/custody-api.js';
import { ApiProblem } from '../client/http.js';
import { CliError, EXIT } from './errors.js';
import { readKeyFile } from './key-file.js';
import type { CliIo } from './io.js';
import { readSession, writeSession, type Session } from './session.js';

/** Renew a little before the server would refuse the token, so a call does not fail mid-way. */
const RENEW_MARGIN_MS = 30_000;

export type Connection = {
  session: Session;
  /**
   * Runs `call` with an authenticated API. Tokens are short-lived: an expired one is renewed with the
   * session's key file (a new challenge signed with it), and a call refused with 401 is retried once.
   */
  call<T>(call: (api: CustodyApi) => Promise<T>): Promise<T>;
};

export async function connect(io: CliIo): Promise<Connection> {
  let session = await readSession(io);
  if (session === undefined) {
    throw new CliError(EXIT.auth, 'not logged in: run custody login --server <url> --key <key-file> --as <personId>');
  }
  const api = (s: Session) => createCustodyApi({ baseUrl: s.server, token: s.token, ...(io.fetch ? { fetch: io.fetch } : {}) });

  const renew = async (current: Session): Promise<Session> => {
    const key = await readKeyFile(io, current.keyFile).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CliError(EXIT.auth, `the session of ${current.personId} expired and cannot be renewed (${reason}); log in again`);
    });
    const unauthenticated = createCustodyApi({ baseUrl: current.server, ...(io.fetch ? { fetch: io.fetch } : {}) });
    const { token, expiresAt, ledgerId } = await unauthenticated.login(current.personId, key);
    const renewed: Session = { ...current, token, expiresAt, ledgerId };
    await writeSession(io, renewed);
    return renewed;
  };

  if (Date.parse(session.expiresAt) - RENEW_MARGIN_MS <= Date.now()) session = await renew(session);

  const connection: Connection = {
    session,
    async call(call) {
      try {
        return await call(api(connection.session));
      } catch (error) {
        if (!(error instanceof ApiProblem) || error.status !== 401) throw error;
        connection.session = await renew(connection.session);
        return call(api(connection.session));
      }
    },
  };
  return connection;
}
