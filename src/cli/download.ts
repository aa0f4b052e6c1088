import { ApiProblem, ServerUnreachable, type Problem } from '../client/http.js';
import type { Connection } from './connect.js';
import type { CliIo } from './io.js';

/**
 * Replies the JSON client does not parse: a checkpoint's signed note (text) and bundles, which are
 * evidence to keep exactly as they came. Same session, same token renewal (connect.ts), same errors
 * (an ApiProblem per refusal, ServerUnreachable when nobody answers), so report.ts maps them alike.
 */
export type DownloadOptions = {
  method?: 'GET' | 'POST';
  accept: string;
  /** Bounds the whole exchange, body included; none for a stream of any length (the whole ledger). */
  timeoutMs?: number;
};

export function download(io: CliIo, connection: Connection, path: string, options: DownloadOptions): Promise<Response> {
  const doFetch = io.fetch ?? globalThis.fetch;
  return connection.call(async () => {
    const { server, token } = connection.session;
    let response: Response;
    try {
      response = await doFetch(`${server}${path}`, {
        method: options.method ?? 'GET',
        headers: { authorization: `Bearer ${token}`, accept: `${options.accept}, application/problem+json` },
        ...(options.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(options.timeoutMs) }),
      });
    } catch (error) {
      throw new ServerUnreachable(server, reasonOf(error));
    }
    if (!response.ok) throw new ApiProblem(response.status, await problemOf(response));
    return response;
  });
}

async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Problem;
  } catch {
    // not a problem document: described by its status below
  }
  return { title: response.statusText || `HTTP ${response.status}`, status: response.status, detail: text.slice(0, 500) || `HTTP ${response.status}` };
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (is the server running?)';
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}
