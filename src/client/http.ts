/**
 * A small JSON-over-HTTP client for the custody API. It knows HTTP and problem details; it knows
 * nothing of exit codes or terminals (the CLI translates its errors).
 */

/** RFC 9457 problem details as the API sends them, plus our members `rule` and `issues`. */
export type Problem = {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  rule?: string;
  issues?: Array<{ path: (string | number)[]; message: string; code?: string }>;
  [member: string]: unknown;
};

/** The server answered with an error status. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

/** No answer: refused connection, unknown host, timeout, or a reply that is not JSON. */
export class ServerUnreachable extends Error {
  override readonly name = 'ServerUnreachable';
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`cannot reach ${url}: ${reason}`);
  }
}

/** The server answered, but not in the shape this client understands (another version, or not a custody server). */
export class UnexpectedReply extends Error {
  override readonly name = 'UnexpectedReply';
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`${url}: ${reason}`);
  }
}

export type HttpResponse<T = unknown> = { status: number; body: T };

export type HttpClient = {
  readonly baseUrl: string;
  get<T = unknown>(path: string, query?: Record<string, string | number | undefined>): Promise<HttpResponse<T>>;
  post<T = unknown>(path: string, body: unknown): Promise<HttpResponse<T>>;
};

export type HttpClientOptions = {
  baseUrl: string;
  token?: string;
  fetch?: typeof fetch;
  /** Per request; the CLI talks to one server on a LAN, so a slow reply is a failure worth reporting. */
  timeoutMs?: number;
};

/** Normalises `host:port` or `http://host:port/` to `http://host:port`. */
export function normaliseBaseUrl(server: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(server) ? server : `http://${server}`;
  const url = new URL(withScheme);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`unsupported scheme ${url.protocol}`);
  return url.toString().replace(/\/+$/, '');
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const baseUrl = normaliseBaseUrl(options.baseUrl);
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<HttpResponse<T>> {
    const url = `${baseUrl}${path}`;
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ServerUnreachable(baseUrl, networkReason(error));
    }
    const text = await response.text().catch(() => '');
    const parsed = parseJson(text);
    if (response.ok) {
      if (parsed === undefined && text !== '') throw new UnexpectedReply(baseUrl, `${method} ${path} answered ${response.status} with a body that is not JSON`);
      return { status: response.status, body: parsed as T };
    }
    const problem: Problem =
      parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
        ? (parsed as Problem)
        : { title: response.statusText || `HTTP ${response.status}`, status: response.status, detail: text.slice(0, 500) || undefined };
    throw new ApiProblem(response.status, problem);
  }

  return {
    baseUrl,
    get(path, query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
      const search = params.size > 0 ? `?${params.toString()}` : '';
      return request('GET', `${path}${search}`);
    },
    post: (path, body) => request('POST', path, body),
  };
}

/** A path segment: ids are letters, digits and `._:-`, but never trust that for a URL. */
export const segment = (value: string): string => encodeURIComponent(value);

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** fetch hides the useful reason (ECONNREFUSED, ENOTFOUND) in `cause`. */
function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (is the server running?)';
  if (cause?.code === 'ENOTFOUND') return 'unknown host';
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}
