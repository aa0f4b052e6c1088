import { Agent, request } from 'node:https';
import { Readable } from 'node:stream';

/**
 * `fetch` that trusts the certificate authority `ca` (PEM) for https:// URLs, beside the system's
 * own: an air-gapped site signs its servers' certificates with its own CA, which no system trusts
 * by default. Node's fetch takes no CA of its own (NODE_EXTRA_CA_CERTS works only at process start),
 * so https:// goes through node:https here; http:// is passed to the ordinary fetch.
 * Errors are shaped as fetch's (a TypeError whose cause has the system's code), so callers report both alike.
 */
export function fetchTrustingCa(ca: string | Buffer): typeof fetch {
  const agent = new Agent({ ca, keepAlive: true });
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.protocol !== 'https:') return globalThis.fetch(input, init);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body = init?.body;
    if (body !== undefined && body !== null && typeof body !== 'string') throw new TypeError('fetchTrustingCa sends string bodies only');
    return new Promise<Response>((resolve, reject) => {
      const outgoing = request(url, { method: init?.method ?? 'GET', headers, agent, ...(init?.signal ? { signal: init.signal } : {}) }, (incoming) => {
        const status = incoming.statusCode ?? 502;
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, one);
        }
        const empty = status === 204 || status === 304 || init?.method === 'HEAD';
        if (empty) incoming.resume();
        resolve(
          new Response(empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>), {
            status,
            statusText: incoming.statusMessage ?? '',
            headers: responseHeaders,
          }),
        );
      });
      outgoing.on('error', (error) => reject(error.name === 'AbortError' ? error : new TypeError('fetch failed', { cause: error })));
      outgoing.end(body ?? undefined);
    });
  };
}
