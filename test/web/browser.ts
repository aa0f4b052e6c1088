import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import axe from 'axe-core';
import { build } from 'vite';
import { expect, vi } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/main.js';
import { actor, createClient, type Actor } from '../server/client.js';

/**
 * Browser tests: Debian's Chromium driven by playwright-core, against a real server on 127.0.0.1
 * (port 0, a temporary SQLite file) serving a fresh build of the web app. Nothing leaves loopback.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A loaded 2-core CI machine runs Chromium, the server, PBKDF2 unlocks and the rest of the suite at
 * once: a person's whole errand can take a minute there. Generous, not tight.
 */
export const BROWSER_STEP_TIMEOUT_MS = 45_000;
vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCREENSHOTS = join(ROOT, 'test/web/screenshots');
export const PASSPHRASE = 'a long enough passphrase';

export async function buildWebApp(outDir: string): Promise<void> {
  await build({ configFile: join(ROOT, 'vite.config.ts'), build: { outDir, emptyOutDir: true }, logLevel: 'error' });
}

export type WebWorld = {
  dir: string;
  server: RunningServer;
  browser: Browser;
  client: ReturnType<typeof createClient>;
  close(): Promise<void>;
};

export async function startWebWorld(options: { tokenTtlMs?: number } = {}): Promise<WebWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'custody-web-'));
  const webRoot = join(dir, 'web');
  await buildWebApp(webRoot);
  const server = await startServer({
    dbPath: join(dir, 'data', 'custody.db'),
    host: '127.0.0.1',
    port: 0,
    log: () => undefined,
    // Checkpoints on the server's own schedule: a bundle waits for the one covering its events.
    checkpointSeconds: 1,
    webRoot,
    ...(options.tokenTtlMs ? { tokenTtlMs: options.tokenTtlMs } : {}),
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    dir,
    server,
    browser,
    client: createClient(server.url),
    async close() {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

//// People: enrolled through the API, their key files written as `custody keygen` writes them

export type Person = Actor & { name: string; roles: unknown[]; clearance: string };

export function person(id: string, name: string, roles: unknown[], clearance = 'top-secret'): Person {
  return { ...actor(id), name, roles, clearance };
}

export async function enrolAll(world: WebWorld, officer: Person, others: Person[]): Promise<void> {
  const { client } = world;
  const enrol = (who: Person) => ({
    type: 'EnrolPerson',
    data: { personId: who.id, name: who.name, unit: 'Ministry', clearance: who.clearance, roles: who.roles, publicKey: who.pair.publicKey, enrolledBy: officer.id },
  });
  const act = await client.prepare(officer, enrol(officer));
  expect((await client.request('POST', '/acts', { json: { act, signatures: [officer.sign(act)] } })).status).toBe(201);
  await client.login(officer);
  for (const who of others) {
    const enrolment = await client.prepare(officer, enrol(who));
    const reply = await client.request('POST', '/acts', { token: officer.token!, json: { act: enrolment, signatures: [officer.sign(enrolment), who.sign(enrolment)] } });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  }
}

/** The key file `custody keygen --id <id>` writes. */
export function keyFileOf(world: WebWorld, who: Actor): string {
  const file = join(world.dir, `${who.id}.key`);
  writeFileSync(file, `${JSON.stringify({ personId: who.id, publicKey: who.pair.publicKey, secretKey: who.pair.secretKey }, null, 2)}\n`);
  return file;
}

export const PHONE = { width: 360, height: 780 };
export const DESKTOP = { width: 1280, height: 860 };

/** A person's own browser: a fresh context (its own storage), their key imported, unlocked, logged in. */
export async function openDesk(world: WebWorld, who: Actor, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await world.browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
  page.on('pageerror', (error) => console.error(`[${who.id}] page error:`, error));
  await page.goto(world.server.url);
  await importKey(page, keyFileOf(world, who));
  await unlock(page, who.id);
  return { context, page };
}

export async function importKey(page: Page, file: string): Promise<void> {
  await page.getByTestId('key-file').setInputFiles(file);
  await page.getByLabel('New passphrase').fill(PASSPHRASE);
  await page.getByLabel('The passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Keep this key, encrypted' }).click();
}

export async function unlock(page: Page, id: string, passphrase = PASSPHRASE, expectDesk = passphrase === PASSPHRASE): Promise<void> {
  const form = page.getByRole('form', { name: `Unlock the key of ${id}` });
  await form.getByLabel('Passphrase').fill(passphrase);
  await form.getByRole('button', { name: 'Unlock and log in' }).click();
  if (expectDesk) await page.locator('.who-name').waitFor();
}

/** axe-core in the page (evaluated, not injected: the page's CSP forbids inline script). */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: typeof axe }).axe.run((globalThis as unknown as { document: never }).document, { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
  });
  expect(violations, `axe on ${where}`).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Both widths: the desk at 360 px (a phone) and 1280 px, saved and checked by axe. */
export async function captureBothWidths(page: Page, name: string): Promise<void> {
  for (const [label, viewport] of [['360', PHONE], ['1280', DESKTOP]] as const) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(50);
    await screenshot(page, `${name}-${label}`);
    await expectAccessible(page, `${name} at ${label} px`);
    const overflow = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    expect(overflow, `${name} at ${label} px is no wider than the screen`).toBeLessThanOrEqual(viewport.width);
  }
}
