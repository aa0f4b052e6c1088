import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWebApp } from '../../src/server/web-app.js';

/** The web app's page and assets as the server hands them out: locked down, cached by hash, never in the API's way. */
let dir: string;
const SCRIPT = 'console.log("desk");'.repeat(50);

function appOver(webRoot: string) {
  const app = new Hono();
  app.use('*', serveWebApp(webRoot));
  app.all('*', (c) => c.json({ status: 401 }, 401)); // stands for the API behind it
  return app;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'custody-web-serve-'));
  mkdirSync(join(dir, 'web', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html><script type="module" src="/assets/index-AbC123.js"></script>');
  writeFileSync(join(dir, 'web', 'assets', 'index-AbC123.js'), SCRIPT);
  writeFileSync(join(dir, 'secret.txt'), 'not for the web');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('serving the web app', () => {
  it('answers / with the page under a strict Content-Security-Policy, revalidated every time', async () => {
    const response = await appOver(join(dir, 'web')).request('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves hashed assets for a year, gzipped when the browser accepts it', async () => {
    const app = appOver(join(dir, 'web'));
    const plain = await app.request('/assets/index-AbC123.js');
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(plain.headers.get('content-type')).toContain('text/javascript');
    expect(await plain.text()).toBe(SCRIPT);
    const gzipped = await app.request('/assets/index-AbC123.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    const bytes = new Uint8Array(await gzipped.arrayBuffer());
    expect(bytes.length).toBeLessThan(SCRIPT.length);
    expect(gunzipSync(bytes).toString()).toBe(SCRIPT);
  });

  it('leaves everything else to the API: other paths, unknown assets outside the build, other methods', async () => {
    const app = appOver(join(dir, 'web'));
    expect((await app.request('/carriers')).status).toBe(401);
    expect((await app.request('/assets/../../secret.txt')).status).not.toBe(200);
    expect((await app.request('/assets/%2e%2e/secret.txt')).status).toBe(401);
    expect((await app.request('/', { method: 'POST' })).status).toBe(401);
    expect((await app.request('/assets/missing-1.js')).status).toBe(404);
  });

  it('explains how to build the app when it was not built, instead of failing', async () => {
    const response = await appOver(join(dir, 'nothing-here')).request('/');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build:web');
  });
});
