/**
 * The web app's first load: the bytes a browser downloads before the key screen (HTML + JS + CSS,
 * gzipped as the server sends them) and the time from navigation to an interactive key screen on
 * loopback, in Debian's Chromium when it is installed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/server/main.js';
import { buildWebApp, CHROMIUM } from '../test/web/browser.js';

type Result = { name: string; value: number; unit: string };

/** The bytes on the wire for one GET, not decompressed. */
function wireBytes(url: string): Promise<{ bytes: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': 'gzip' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ bytes: Buffer.concat(chunks).length, body: Buffer.concat(chunks).toString('latin1') }));
    }).on('error', reject);
  });
}

export default async function webBench(): Promise<Result[]> {
  const dir = mkdtempSync(join(tmpdir(), 'custody-web-bench-'));
  const webRoot = join(dir, 'web');
  await buildWebApp(webRoot);
  const server = await startServer({ dbPath: join(dir, 'custody.db'), port: 0, log: () => undefined, checkpointSeconds: 0, webRoot });
  try {
    const page = await wireBytes(`${server.url}/`);
    const plainPage = await fetch(`${server.url}/`).then((r) => r.text());
    const assets = [...plainPage.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    let js = 0;
    let css = 0;
    for (const asset of assets) {
      const { bytes } = await wireBytes(`${server.url}${asset}`);
      if (asset.endsWith('.js')) js += bytes;
      else css += bytes;
    }
    const results: Result[] = [
      { name: 'first load, gzipped (HTML + JS + CSS)', value: page.bytes + js + css, unit: 'bytes' },
      { name: 'of which JavaScript', value: js, unit: 'bytes' },
      { name: 'of which CSS', value: css, unit: 'bytes' },
    ];
    if (existsSync(CHROMIUM)) {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const context = await browser.newContext();
        const tab = await context.newPage();
        const started = performance.now();
        await tab.goto(server.url);
        await tab.getByRole('button', { name: /Import a key file/ }).waitFor();
        times.push(performance.now() - started);
        await context.close();
      }
      await browser.close();
      times.sort((a, b) => a - b);
      results.push({ name: 'time to interactive key screen, loopback (median of 5, cold cache)', value: Math.round(times[2]!), unit: 'ms' });
    }
    return results;
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
