import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptKey } from '../../src/crypto/portable/key-vault.js';
import { actor } from '../server/client.js';
import { BROWSER_STEP_TIMEOUT_MS, DESKTOP, PASSPHRASE, captureBothWidths, enrolAll, expectAccessible, importKey, keyFileOf, openDesk, person, startWebWorld, unlock, type WebWorld } from './browser.js';

/**
 * Keys stay with their owner, and every bad turn is said on screen: a wrong passphrase, a corrupt key
 * file, a key that is not enrolled, an expired session, the server going away mid-act (nothing half
 * recorded). And a person enrolled entirely in browsers: their key made in theirs, the officer's act
 * signed in both, handed over as files.
 */
let world: WebWorld;
const officer = person('officer', 'Wang Fang', [{ role: 'security-officer' }]);
const clerk = person('clerk', 'Chen Li', [{ role: 'registry-clerk', registry: 'R1' }]);

beforeAll(async () => {
  world = await startWebWorld();
  await enrolAll(world, officer, [clerk]);
});
afterAll(async () => world?.close());

async function freshPage(): Promise<Page> {
  const context = await world.browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
  await page.goto(world.server.url);
  return page;
}

describe('the key screen', () => {
  it('says "wrong passphrase" and sends nothing, then unlocks with the right one', async () => {
    const page = await freshPage();
    await importKey(page, keyFileOf(world, clerk));
    await captureBothWidths(page, 'keys-unlock');
    await unlock(page, 'clerk', 'not the passphrase');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong passphrase');
    await unlock(page, 'clerk');
    expect(await page.locator('.who-name').textContent()).toBe('Chen Li');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export encrypted key file' }).click()]);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as unknown;
    expect(await decryptKey(exported, PASSPHRASE)).toEqual({ personId: 'clerk', ...clerk.pair });
    await page.context().close();
  });

  it('refuses a corrupt key file, naming what is wrong', async () => {
    const page = await freshPage();
    const file = join(world.dir, 'edited.key');
    writeFileSync(file, JSON.stringify({ personId: 'clerk', publicKey: officer.pair.publicKey, secretKey: clerk.pair.secretKey }));
    await page.getByTestId('key-file').setInputFiles(file);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('This key file cannot be used');
    await expectAccessible(page, 'the key screen with a corrupt file');
    await page.context().close();
  });

  it('says a key that is not enrolled is not enrolled', async () => {
    const page = await freshPage();
    await importKey(page, keyFileOf(world, actor('stranger')));
    await unlock(page, 'stranger', PASSPHRASE, false);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Key not enrolled');
    await page.context().close();
  });

  it('makes a key in the browser, and exports it encrypted in a file that opens with the passphrase in Node', async () => {
    const page = await freshPage();
    await page.getByRole('button', { name: 'Make a new key' }).click();
    await page.getByLabel('Your person id').fill('analyst');
    await page.getByLabel('New passphrase').fill(PASSPHRASE);
    await page.getByLabel('The passphrase again').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Make my key' }).click();
    const publicKey = (await page.getByTestId('new-public-key').textContent())!;
    await captureBothWidths(page, 'keys-new');
    const stored = await page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem('custody-ledger/keys/v1'));
    const [file] = JSON.parse(stored!) as unknown[];
    const plain = await decryptKey(file, PASSPHRASE);
    expect(plain).toMatchObject({ personId: 'analyst', publicKey });
    expect(stored).not.toContain(plain.secretKey);
    await page.context().close();
  });
});

describe('a desk in trouble', () => {
  it('goes back to the key, saying why, when the session has expired', async () => {
    const { page, context } = await openDesk(world, clerk);
    // What an expired token looks like on the wire: the next authenticated request answers 401.
    await page.route('**/inbox', (route) => route.fulfill({ status: 401, contentType: 'application/problem+json', body: '{"status":401,"title":"Unauthorized"}' }));
    await page.getByRole('link', { name: 'Inbox' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Your session ended');
    await unroute(page);
    await unlock(page, 'clerk');
    await context.close();
  });

  it('records nothing when the server goes away while an act is sent, says so, and sends it whole on retry', async () => {
    const { page, context } = await openDesk(world, clerk);
    await page.getByRole('link', { name: 'Registry' }).click();
    const form = page.locator('form[data-command="RegisterCarrier"]');
    await form.getByLabel('Carrier id').fill('S-7');
    await form.getByLabel('Classification').selectOption('secret');
    await form.getByLabel('Title').fill('Harbour survey');
    await form.getByLabel('Originator').fill('Central Office');
    await form.getByLabel('Reference').fill('CO-7');
    await form.getByLabel('Item count').fill('3');
    await page.route('**/acts', (route) => route.abort('connectionrefused'));
    await form.getByRole('button', { name: 'Sign and register' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('The server could not be reached');
    expect(await form.getByRole('alert').textContent()).toContain('Nothing was recorded');
    await captureBothWidths(page, 'clerk-server-gone');
    expect((await world.client.request('GET', '/carriers/S-7', { token: officer.token! })).status).toBe(404);
    await unroute(page);
    await form.getByRole('button', { name: 'Sign and register' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toContain('Signed and recorded');
    expect((await world.client.request('GET', '/carriers/S-7', { token: officer.token! })).status).toBe(200);
    await context.close();
  });
});

describe('enrolment done entirely in browsers', () => {
  it('the officer enrols a person whose key was made in their own browser; each signs on their own device', async () => {
    const newcomer = await freshPage();
    await newcomer.getByRole('button', { name: 'Make a new key' }).click();
    await newcomer.getByLabel('Your person id').fill('reader1');
    await newcomer.getByLabel('New passphrase').fill(PASSPHRASE);
    await newcomer.getByLabel('The passphrase again').fill(PASSPHRASE);
    await newcomer.getByRole('button', { name: 'Make my key' }).click();
    const publicKey = (await newcomer.getByTestId('new-public-key').textContent())!;
    await newcomer.getByRole('button', { name: 'Done' }).click();

    const { page, context } = await openDesk(world, officer);
    await page.getByRole('link', { name: 'Security office' }).click();
    await page.getByRole('button', { name: 'Enrol', exact: true }).click();
    const form = page.locator('form[data-command="EnrolPerson"]');
    await form.getByLabel('Person id').fill('reader1');
    await form.getByLabel('Name').fill('Zhao Min');
    await form.getByLabel('Unit').fill('Analysis');
    await form.getByLabel('Public key').fill(publicKey);
    await form.getByRole('button', { name: 'Sign the enrolment' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toContain('waiting for reader1');
    const [actDownload] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Download the enrolment to sign' }).click()]);
    const actFile = join(world.dir, 'enrol-reader1.act.json');
    await actDownload.saveAs(actFile);

    await newcomer.getByTestId('act-file').setInputFiles(actFile);
    // The act file's own passphrase field appears once the file is read: wait for it, not the unlock card's.
    const signForm = newcomer.locator('form', { has: newcomer.getByRole('button', { name: 'Sign and save the signature file' }) });
    await signForm.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    const [signatureDownload] = await Promise.all([newcomer.waitForEvent('download'), newcomer.getByRole('button', { name: 'Sign and save the signature file' }).click()]);
    const signatureFile = join(world.dir, 'reader1.signature.json');
    await signatureDownload.saveAs(signatureFile);
    expect(JSON.parse(readFileSync(signatureFile, 'utf8')).signature.signer).toBe('reader1');

    await form.getByTestId('signature-file').setInputFiles(signatureFile);
    await expect.poll(() => form.locator('.handoff').getByRole('status').textContent()).toContain('reader1 is enrolled');

    await unlock(newcomer, 'reader1');
    expect(await newcomer.locator('.who-name').textContent()).toBe('Zhao Min');
    await context.close();
    await newcomer.context().close();
  });
});

async function unroute(page: Page): Promise<void> {
  await page.unrouteAll({ behavior: 'ignoreErrors' });
}

describe('a new ledger', () => {
  it('lets its first security officer enrol themself from the key screen, then log in', async () => {
    const empty = await startWebWorld();
    try {
      const founder = actor('founder');
      const context = await empty.browser.newContext({ viewport: DESKTOP });
      const page = await context.newPage();
      page.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
      await page.goto(empty.server.url);
      await importKey(page, keyFileOf(empty, founder));
      await unlock(page, 'founder', PASSPHRASE, false);
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Key not enrolled');
      const first = page.getByRole('form', { name: 'Enrol the first security officer' });
      await first.getByLabel('Your name').fill('Wang Fang');
      await first.getByRole('button', { name: 'Enrol me as the first security officer' }).click();
      await page.locator('.who-name').waitFor();
      expect(await page.locator('.who-name').textContent()).toBe('Wang Fang');
      expect(await page.getByRole('link', { name: 'Security office' }).count()).toBe(1);
      await context.close();
    } finally {
      await empty.close();
    }
  });
});
