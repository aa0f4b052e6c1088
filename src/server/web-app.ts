import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';

/**
 * Serves the web app (built by `npm run build:web` into dist/web) from the API's own origin: the
 * page at `/`, its hashed assets under `/assets/`. Everything else falls through to the API.
 *
 * The page is locked down for classified networks: a Content-Security-Policy that allows only this
 * server (no inline script, no CDN, no outside font), no framing, no referrer. Asset names carry a
 * content hash, so they are cached for a year; the page itself is revalidated every time.
 */

/** src/server/web-app.ts and dist/server/web-app.js both sit two folders below the package root. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Built asset names: hashed, flat, no path separators, so nothing outside dist/web/assets is reachable. */
const ASSET_NAME = /^\/assets\/([A-Za-z0-9_-][A-Za-z0-9._-]*\.(js|css|svg|png|woff2|json))$/;

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Custody ledger: web app not built</title></head>
<body><h1>The web app is not built</h1><p>The ledger's API is running, but the browser app was not compiled.
From the repository, run <code>npm run build:web</code> (or <code>npm ci</code>, which builds it), then reload this page.</p></body></html>`;

type Asset = { body: Uint8Array; gzipped: Uint8Array; type: string };

export function serveWebApp(webRoot: string = DEFAULT_WEB_ROOT): MiddlewareHandler {
  // Files are read once and kept: the build output does not change under a running server.
  const cache = new Map<string, Promise<Asset | undefined>>();
  const load = (relative: string, type: string) => {
    let entry = cache.get(relative);
    if (!entry) {
      entry = readFile(join(webRoot, relative)).then(
        (body) => ({ body, gzipped: gzipSync(body, { level: 9 }), type }),
        () => undefined,
      );
      cache.set(relative, entry);
    }
    return entry;
  };

  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const path = c.req.path;
    if (path === '/' || path === '/index.html') {
      const page = await load('index.html', 'text/html; charset=utf-8');
      if (!page) cache.delete('index.html'); // built later: look again on the next request
      return page
        ? respond(c.req.header('accept-encoding'), page, 'no-cache')
        : new Response(NOT_BUILT, { status: 503, headers: { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' } });
    }
    const asset = ASSET_NAME.exec(path);
    if (!asset) return next();
    const file = await load(`assets/${asset[1]}`, CONTENT_TYPES[`.${asset[2]}`] ?? 'application/octet-stream');
    if (!file) return new Response('no such asset', { status: 404, headers: SECURITY_HEADERS });
    return respond(c.req.header('accept-encoding'), file, 'public, max-age=31536000, immutable');
  };
}

function respond(acceptEncoding: string | undefined, asset: Asset, cacheControl: string): Response {
  const gzip = acceptEncoding !== undefined && /\bgzip\b/.test(acceptEncoding);
  const headers: Record<string, string> = { ...SECURITY_HEADERS, 'content-type': asset.type, 'cache-control': cacheControl, vary: 'accept-encoding' };
  if (gzip) headers['content-encoding'] = 'gzip';
  return new Response(gzip ? asset.gzipped : asset.body, { headers });
}
