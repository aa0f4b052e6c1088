import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyBundle } from '../../src/verify/index.js';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { BROWSER_STEP_TIMEOUT_MS, PHONE, SCREENSHOTS, captureBothWidths, screenshot, enrolAll, openDesk, person, startWebWorld, type WebWorld } from './browser.js';

/**
 * The desks in a real browser: a clerk registers and finds the carrier in the register, two
 * couriers sign one transport on two devices, the giver signs from the inbox, an investigator asks
 * where it is. Every page is checked by axe and photographed at 360 and 1280 px.
 */
let world: WebWorld;
const officer = person('officer', 'Wang Fang', [{ role: 'security-officer' }, { role: 'investigator' }]);
const clerk = person('clerk', 'Chen Li', [{ role: 'registry-clerk', registry: 'R1' }]);
const courier1 = person('courier1', 'Sun Wei', [{ role: 'courier' }]);
const courier2 = person('courier2', 'Zhou Jie', [{ role: 'courier' }]);
const director = person('director', 'Liu Yang', []);
const junior = person('junior', 'Ma Lin', [], 'confidential');

beforeAll(async () => {
  world = await startWebWorld();
  await enrolAll(world, officer, [clerk, courier1, courier2, director, junior]);
});
afterAll(async () => world?.close());

describe('the registry clerk', () => {
  it('registers a carrier from the generated form, gets its label with a QR code, and finds it in the register', async () => {
    const { page, context } = await openDesk(world, clerk);
    await page.getByRole('link', { name: 'Registry' }).click();
    const form = page.locator('form[data-command="RegisterCarrier"]');
    await form.getByLabel('Carrier id').fill('TS-2026-001');
    await form.getByLabel('Classification').selectOption('top-secret');
    await form.getByLabel('Title').fill('Border assessment 2026');
    await form.getByLabel('Originator').fill('Central Office');
    await form.getByLabel('Reference').fill('2026');
    await form.getByLabel('Item count').fill('12');
    await captureBothWidths(page, 'clerk-register');
    await form.getByRole('button', { name: 'Sign and register' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toContain('Signed and recorded in the ledger');
    await expect.poll(() => page.getByLabel('QR code of carrier id TS-2026-001').count()).toBe(1);
    await captureBothWidths(page, 'clerk-label');

    await page.getByRole('button', { name: 'Register of holdings' }).click();
    await expect.poll(() => page.locator('table.register tbody tr').count()).toBe(1);
    await expect.poll(() => page.locator('table.register').textContent()).toContain('Border assessment 2026');
    await captureBothWidths(page, 'clerk-holdings');
    await context.close();
  });

  it('says what is wrong in words before anything is sent, and shows a refusal with its rule where the clerk acted', async () => {
    const { page, context } = await openDesk(world, clerk);
    await page.getByRole('link', { name: 'Registry' }).click();
    const form = page.locator('form[data-command="RegisterCarrier"]');
    await form.getByRole('button', { name: 'Sign and register' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('nothing was sent');
    await expect.poll(() => form.locator('.field-problem').count()).toBeGreaterThan(0);

    // R-HOLD-2: a confidential-cleared person may not hold a top-secret carrier.
    await form.getByLabel('Carrier id').fill('TS-2026-002');
    await form.getByLabel('Classification').selectOption('top-secret');
    await form.getByLabel('Title').fill('Not for juniors');
    await form.getByLabel('Originator').fill('Central Office');
    await form.getByLabel('Reference').fill('CO-2');
    await form.getByLabel('Item count').fill('1');
    await form.getByLabel('Holder').fill('junior');
    await form.getByRole('button', { name: 'Sign and register' }).click();
    await expect.poll(() => form.locator('.rule-id').textContent()).toBe('R-HOLD-2');
    await captureBothWidths(page, 'clerk-refused');
    expect((await world.client.request('GET', '/carriers/TS-2026-002', { token: officer.token! })).status).toBe(404);
    await context.close();
  });

  it('circulates it to a reader and takes it back, the reader signing each hand-over from their inbox', async () => {
    const desk = await openDesk(world, clerk);
    const reader = await openDesk(world, director, PHONE);
    const circulate = async (type: string, fill: (form: import('playwright-core').Locator) => Promise<void>) => {
      await desk.page.getByRole('button', { name: 'Circulate' }).click();
      await desk.page.getByLabel('Circulation act').selectOption(type);
      const form = desk.page.locator(`form[data-command="${type}"]`);
      await fill(form);
      await form.getByRole('button', { name: 'Sign and submit' }).click();
      return form;
    };
    const readerSigns = async () => {
      const item = reader.page.locator('article[data-act]');
      await expect.poll(() => item.count(), { timeout: BROWSER_STEP_TIMEOUT_MS }).toBe(1);
      await item.getByRole('button', { name: 'Sign' }).click();
      await expect.poll(() => item.getByRole('status').textContent()).toContain('now in the ledger');
      await expect.poll(() => item.count(), { timeout: BROWSER_STEP_TIMEOUT_MS }).toBe(0);
    };
    await desk.page.getByRole('link', { name: 'Registry' }).click();
    await reader.page.getByRole('link', { name: /Inbox/ }).click();

    const open = await circulate('OpenCirculation', async (form) => {
      await form.getByLabel('Carrier id').fill('TS-2026-001');
      await form.getByLabel('Circulation id').fill('circ-1');
      await form.getByLabel('Reader 1', { exact: true }).fill('director');
    });
    await expect.poll(() => open.getByRole('status').textContent()).toContain('recorded in the ledger');
    const issue = await circulate('IssueToReader', async (form) => {
      await form.getByLabel('Carrier id').fill('TS-2026-001');
      await form.getByLabel('Circulation id').fill('circ-1');
      await form.getByLabel('Reader').fill('director');
    });
    await expect.poll(() => issue.getByRole('status').textContent()).toContain('waiting for director');
    await readerSigns();
    const back = await circulate('ReturnFromReader', async (form) => {
      await form.getByLabel('Carrier id').fill('TS-2026-001');
      await form.getByLabel('Circulation id').fill('circ-1');
      await form.getByLabel('Reader', { exact: true }).fill('director');
      await form.getByLabel('Reader name').fill('Liu Yang');
    });
    await expect.poll(() => back.getByRole('status').textContent()).toContain('waiting for director');
    await readerSigns();
    const close = await circulate('CloseCirculation', async (form) => {
      await form.getByLabel('Carrier id').fill('TS-2026-001');
      await form.getByLabel('Circulation id').fill('circ-1');
    });
    await expect.poll(() => close.getByRole('status').textContent()).toContain('recorded in the ledger');
    const where = await world.client.request('GET', '/carriers/TS-2026-001/where', { token: officer.token! });
    expect(where.body).toMatchObject({ status: 'held', holders: ['clerk'] });
    for (const device of [desk, reader]) await device.context.close();
  });
});

describe('the courier pair, each on their own phone', () => {
  it('take a transport the clerk prepared, the second courier opening it on their phone by its code', async () => {
    const giver = await openDesk(world, clerk);
    const first = await openDesk(world, courier1, PHONE);
    const second = await openDesk(world, courier2, PHONE);
    onTestFailed(async () => {
      for (const [name, device] of [['giver', giver], ['courier1', first], ['courier2', second]] as const) await screenshot(device.page, `failed-${name}`);
    });

    await giver.page.getByRole('link', { name: 'Registry' }).click();
    await giver.page.getByRole('button', { name: 'Transfer and more' }).click();
    await giver.page.getByLabel('Act', { exact: true }).selectOption('DispatchTransport');
    const form = giver.page.locator('form[data-command="DispatchTransport"]');
    await form.getByLabel('Carrier id 1', { exact: true }).fill('TS-2026-001');
    await form.getByLabel('Transport id').fill('T-1');
    await form.getByLabel('Courier 1', { exact: true }).fill('courier1');
    await form.getByRole('button', { name: 'Add courier' }).click();
    await form.getByLabel('Courier 2', { exact: true }).fill('courier2');
    await form.getByLabel(/^Person/).fill('director');
    await form.getByLabel('Seal').fill('S-0042');
    await form.getByRole('button', { name: 'Sign and submit' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toContain('waiting for courier1 and courier2');

    await first.page.getByRole('link', { name: 'Courier' }).click();
    const mine = first.page.locator('article[data-act]');
    await expect.poll(() => mine.textContent(), { timeout: BROWSER_STEP_TIMEOUT_MS }).toContain('T-1');
    await mine.getByRole('button', { name: 'Sign' }).click();
    const code = first.page.locator('[data-handoff]').getByTestId('act-code');
    await expect.poll(() => code.textContent()).toMatch(/^[0-9A-F]{8}$/);
    await captureBothWidths(first.page, 'courier-handoff');

    await second.page.getByRole('link', { name: 'Courier' }).click();
    await second.page.getByLabel('Code shown on the other device').fill((await code.textContent())!);
    await second.page.getByRole('button', { name: 'Open', exact: true }).click();
    const item = second.page.locator('article[data-act]');
    await expect.poll(() => item.textContent()).toContain('T-1');
    await captureBothWidths(second.page, 'courier-open-act');
    await item.getByRole('button', { name: 'Sign' }).click();
    await expect.poll(() => item.getByRole('status').textContent()).toContain('now in the ledger');
    await expect.poll(async () => (await world.client.request('GET', '/carriers/TS-2026-001/where', { token: officer.token! })).body.status).toBe('in-transit');
    for (const device of [first, second, giver]) await device.context.close();
  });

  it('deliver with the seal checked; the receiver signs last, from the inbox', async () => {
    const first = await openDesk(world, courier1, PHONE);
    const second = await openDesk(world, courier2, PHONE);
    const receiver = await openDesk(world, director);

    await first.page.getByRole('link', { name: 'Courier' }).click();
    await first.page.getByRole('button', { name: 'Deliver' }).click();
    const form = first.page.locator('form[data-command="DeliverTransport"]');
    await form.getByLabel('Carrier id 1', { exact: true }).fill('TS-2026-001');
    await form.getByLabel('Transport id').fill('T-1');
    await form.getByLabel('Courier 2', { exact: true }).fill('courier2');
    await form.getByLabel('Receiver').fill('director');
    await form.getByLabel('Location').fill('HQ safe 2');
    await form.getByLabel('Seal seen').fill('S-0042');
    await captureBothWidths(first.page, 'courier-deliver');
    await form.getByRole('button', { name: 'Sign the delivery' }).click();
    const code = form.getByTestId('act-code');
    await expect.poll(() => code.textContent()).toMatch(/^[0-9A-F]{8}$/);

    await second.page.goto(`${world.server.url}/#/act/${(await code.textContent())!.toLowerCase()}`);
    const item = second.page.locator('article[data-act]');
    await item.getByRole('button', { name: 'Sign' }).click();
    await expect.poll(() => item.getByRole('status').textContent()).toContain('still waiting for director');

    await receiver.page.getByRole('link', { name: /Inbox/ }).click();
    const waiting = receiver.page.locator('article[data-act]');
    await expect.poll(() => waiting.textContent(), { timeout: BROWSER_STEP_TIMEOUT_MS }).toContain('TS-2026-001');
    await captureBothWidths(receiver.page, 'inbox');
    await waiting.getByRole('button', { name: 'Sign' }).click();
    await expect.poll(() => waiting.getByRole('status').textContent()).toContain('now in the ledger');
    const receipt = receiver.page.getByRole('region', { name: /^Receipt for act/ });
    await expect.poll(() => receipt.textContent()).toContain('Liu Yang (director)');
    expect(await receipt.textContent()).toContain('S-0042');
    await captureBothWidths(receiver.page, 'receipt');
    await receiver.page.emulateMedia({ media: 'print' });
    await receiver.page.screenshot({ path: join(SCREENSHOTS, 'receipt-print.png') });
    await receiver.page.emulateMedia({ media: 'screen' });
    const where = await world.client.request('GET', '/carriers/TS-2026-001/where', { token: officer.token! });
    expect(where.body).toMatchObject({ status: 'held', holders: ['director'], location: 'HQ safe 2' });
    for (const device of [first, second, receiver]) await device.context.close();
  });
});

describe('the investigator', () => {
  it('asks where a carrier is and was, and sees the answer in words', async () => {
    const { page, context } = await openDesk(world, officer);
    await page.getByRole('link', { name: 'Investigation' }).click();
    await page.getByTestId('q-where-id').fill('TS-2026-001');
    await page.getByRole('button', { name: 'Ask the ledger' }).click();
    await expect.poll(() => page.locator('.answer').first().textContent()).toContain('HQ safe 2');
    await captureBothWidths(page, 'investigator-where');

    // Where was it while it travelled? The time picker, set to just after the couriers took it.
    const history = await world.client.request('GET', '/carriers/TS-2026-001/history', { token: officer.token! });
    const dispatched = history.body.items.find((i: { type: string }) => i.type === 'TransportDispatched').time as string;
    const local = await page.evaluate((iso) => {
      const d = new Date(Date.parse(iso) + 1000);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    }, dispatched);
    await page.getByTestId('q-where-at').fill(local);
    await page.getByRole('button', { name: 'Ask the ledger' }).click();
    await expect.poll(() => page.getByTestId('where-headline').textContent()).toContain('in-transit');
    await page.getByRole('button', { name: 'Alerts' }).click();
    await page.getByRole('button', { name: 'Ask the ledger' }).click();
    await page.locator('.answer').first().waitFor();
    await captureBothWidths(page, 'investigator-alerts');

    await page.getByRole('button', { name: 'Trace' }).click();
    await page.getByTestId('q-trace-id').fill('TS-2026-001');
    await page.getByRole('button', { name: 'Ask the ledger' }).click();
    await expect.poll(() => page.locator('.answer').first().textContent()).toContain('TS-2026-001');
    await captureBothWidths(page, 'investigator-trace');

    await page.getByRole('button', { name: 'Incident' }).click();
    await page.getByLabel('From').fill('2020-01-01T00:00:00');
    await page.getByLabel('To', { exact: true }).fill('2099-01-01T00:00:00');
    await page.getByRole('button', { name: 'Reconstruct' }).click();
    await expect.poll(() => page.locator('.answer').first().textContent()).toContain('TransportDelivered');
    await captureBothWidths(page, 'investigator-incident');

    // The bundle, downloaded in the browser, verifies offline: every act in it was signed in a browser.
    await page.getByRole('button', { name: 'Bundle' }).click();
    await page.getByLabel('Carrier id').fill('TS-2026-001');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    const bundle = JSON.parse(readFileSync((await download.path())!, 'utf8')) as unknown;
    const { ledgerId, ledgerKey } = world.server.home;
    const report = verifyBundle(bundle, { trustedLedgerKeys: [{ name: ledgerId, publicKey: ledgerKey.publicKey, algorithm: 1 }] });
    expect(report).toMatchObject({ ok: true, issues: [] });
    expect(report.summary.signatures).toBeGreaterThanOrEqual(6);
    await context.close();
  });
});

describe('the security officer', () => {
  it('sees the enrolment form and the approvals desk', async () => {
    const { page, context } = await openDesk(world, officer);
    await page.getByRole('link', { name: 'Security office' }).click();
    await captureBothWidths(page, 'officer-approvals');
    await page.getByRole('button', { name: 'Enrol', exact: true }).click();
    await page.locator('form[data-command="EnrolPerson"]').waitFor();
    await captureBothWidths(page, 'officer-enrol');
    await page.getByRole('link', { name: 'My carriers' }).click();
    await page.getByRole('heading', { name: 'Perform an act' }).waitFor();
    await captureBothWidths(page, 'my-carriers');
    await context.close();
  });
});

describe('supervised destruction, in browsers', () => {
  it('the holder requests it, the security officer approves, the holder destroys it with the officer as witness, who co-signs from the inbox', async () => {
    const holder = await openDesk(world, director);
    const witness = await openDesk(world, officer);
    onTestFailed(async () => {
      await screenshot(holder.page, 'failed-holder');
      await screenshot(witness.page, 'failed-witness');
    });
    const act = async (type: string, fill: Record<string, string>) => {
      await holder.page.getByRole('link', { name: 'My carriers' }).click();
      await holder.page.getByLabel('Act on a carrier').selectOption(type);
      const form = holder.page.locator(`form[data-command="${type}"]`);
      for (const [label, value] of Object.entries(fill)) await form.getByLabel(label, { exact: true }).fill(value);
      await form.getByRole('button', { name: 'Sign and submit' }).click();
      return form;
    };

    const request = await act('RequestDestruction', { 'Carrier id 1': 'TS-2026-001', 'Request id': 'destroy-1', Method: 'shred', Reason: 'no longer needed' });
    await expect.poll(() => request.getByRole('status').textContent()).toContain('recorded in the ledger');

    await witness.page.getByRole('link', { name: 'Security office' }).click();
    await witness.page.getByLabel('Approve', { exact: true }).selectOption('ApproveDestruction');
    const approve = witness.page.locator('form[data-command="ApproveDestruction"]');
    await approve.getByLabel('Carrier id 1', { exact: true }).fill('TS-2026-001');
    await approve.getByLabel('Request id').fill('destroy-1');
    await approve.getByRole('button', { name: 'Sign and submit' }).click();
    await expect.poll(() => approve.getByRole('status').textContent()).toContain('recorded in the ledger');

    const destroy = await act('DestroyCarriers', { 'Carrier id 1': 'TS-2026-001', 'Request id': 'destroy-1', Witness: 'officer', Location: 'HQ shredder room' });
    await expect.poll(() => destroy.getByRole('status').textContent()).toContain('waiting for officer');

    await witness.page.getByRole('link', { name: /Inbox/ }).click();
    const waiting = witness.page.locator('article[data-act]');
    await expect.poll(() => waiting.textContent(), { timeout: BROWSER_STEP_TIMEOUT_MS }).toContain('TS-2026-001');
    await waiting.getByRole('button', { name: 'Sign' }).click();
    await expect.poll(() => waiting.getByRole('status').textContent()).toContain('now in the ledger');
    const where = await world.client.request('GET', '/carriers/TS-2026-001/where', { token: officer.token! });
    expect(where.body.status).toBe('destroyed');
    for (const device of [holder, witness]) await device.context.close();
  });
});
