/**
 * The web app's one way to the server: same origin, JSON in and out, RFC 9457 problems turned into
 * typed errors a screen can put into words. The app is a client of the public HTTP API, nothing more.
 */

export type Problem = {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  rule?: string;
  reason?: string;
  issues?: Array<{ path: Array<string | number>; message: string }>;
};

/** The server answered with a problem (a refusal, a rule, bad input). */
export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `the server answered ${problem.status}`);
    this.name = 'ApiProblem';
  }
}

/** The request never got an answer: the server is gone or the network is down. */
export class ServerUnreachable extends Error {
  constructor(readonly path: string) {
    super('the server could not be reached');
    this.name = 'ServerUnreachable';
  }
}

/** The token is no longer accepted: log in again. */
export class SessionExpired extends Error {
  constructor() {
    super('your session has expired: unlock your key again to log in');
    this.name = 'SessionExpired';
  }
}

export type Api = {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T & { httpStatus: number }>;
  text(path: string): Promise<string>;
  blob(path: string): Promise<Blob>;
};

export function createApi(tokenOf: () => string | undefined, onExpired: () => void): Api {
  async function send(path: string, init: RequestInit): Promise<Response> {
    const token = tokenOf();
    const headers: Record<string, string> = { accept: 'application/json', ...(init.headers as Record<string, string> | undefined) };
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(path, { ...init, headers, cache: 'no-store' });
    } catch {
      throw new ServerUnreachable(path);
    }
    if (response.ok) return response;
    const problem = (await response.json().catch(() => ({ status: response.status, title: response.statusText }))) as Problem;
    if (response.status === 401 && token) {
      onExpired();
      throw new SessionExpired();
    }
    throw new ApiProblem({ ...problem, status: response.status });
  }
  return {
    async get<T>(path: string) {
      return (await (await send(path, { method: 'GET' })).json()) as T;
    },
    async post<T>(path: string, body: unknown) {
      const response = await send(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      return { ...((await response.json()) as T), httpStatus: response.status };
    },
    async text(path: string) {
      return (await send(path, { method: 'GET', headers: { accept: '*/*' } })).text();
    },
    async blob(path: string) {
      return (await send(path, { method: 'GET', headers: { accept: '*/*' } })).blob();
    },
  };
}

/** Words for any error a screen shows; `acting` says what was being done ("sending the act"). */
export function errorInWords(error: unknown, acting = 'sending'): { title: string; detail: string; rule?: string } {
  if (error instanceof ServerUnreachable) {
    return {
      title: 'The server could not be reached',
      detail: `Nothing was recorded by ${acting}: the connection to the server was lost before it answered. Check the connection, then try again; an act is appended whole or not at all.`,
    };
  }
  if (error instanceof SessionExpired) return { title: 'Session expired', detail: error.message };
  if (error instanceof ApiProblem) {
    const p = error.problem;
    const issues = p.issues?.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    return {
      title: p.rule ? 'Refused by the rules' : (p.title ?? 'Refused'),
      detail: [p.detail, issues].filter(Boolean).join(' — ') || `the server answered ${p.status}`,
      ...(p.rule ? { rule: p.rule } : {}),
    };
  }
  return { title: 'Something went wrong', detail: error instanceof Error ? error.message : String(error) };
}
