// The console's tables with hundreds of rows, in headless Chromium against a real Herald: 200
// destinations searched, filtered, sorted and paged, each row one line high with its actions as
// named icons; the alert list refreshing itself in place while it shows open alerts.
import type { Browser, Page } from 'playwright-core';
import { inPool } from '../support/pool';
import { startHerald, type TestHerald } from '../support/herald';
import { Receiver } from '../support/receiver';
import { buildConsole, launchChromium, screenshot, textOf } from './browser';

jest.setTimeout(120_000);

let herald: TestHerald;
let receiver: Receiver;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  herald = await startHerald({ env: { HERALD_CONSOLE_DIR: buildConsole() } });
  receiver = await Receiver.start();
  const numbers = Array.from({ length: 200 }, (_, i) => i + 1);
  await inPool(numbers, 10, async (n) => {
    const res = await herald.call('POST', '/v1/destinations', { name: `dest-${n}`, type: 'webhook', enabled: n % 4 !== 0, config: { url: receiver.url(`/d${n}`) } });
    expect(res.status).toBe(201);
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${herald.url}/console/`);
  await page.getByLabel('API key').fill(herald.apiKey);
  await page.getByLabel('API key').press('Enter');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await herald?.stop();
  await receiver?.close();
});

const count = () => textOf(page.getByRole('search', { name: 'Find destinations' }).getByRole('status'));
const names = () => page.locator('table.list tbody th[scope="row"] a').allInnerTexts();

test('200 destinations: 25 a page, searched, filtered, sorted, each row one line with named actions', async () => {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Destinations' }).click();
  expect(await count()).toBe('1–25 of 200');
  expect((await names()).slice(0, 3)).toEqual(['dest-1', 'dest-2', 'dest-3']); // numbers in order, not dest-1, dest-10
  const row = page.getByRole('row').filter({ hasText: 'dest-2' }).first();
  for (const action of ['Send test to dest-2', 'Disable dest-2', 'Rotate signing secret of dest-2', 'Recover the failed deliveries of dest-2', 'Delete dest-2']) {
    expect(await row.getByRole('button', { name: action, exact: true }).count()).toBe(1);
  }
  const heights = await page.locator('table.list tbody tr').evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
  expect(Math.max(...heights)).toBeLessThan(50); // one line, not four stacked buttons
  await screenshot(page, '21-destinations-200');

  await page.getByRole('navigation', { name: 'Pages of destinations' }).getByRole('button', { name: 'Next page' }).click();
  expect(await count()).toBe('26–50 of 200');
  expect((await names())[0]).toBe('dest-26');

  await page.getByLabel('Search destinations').fill('dest-137');
  expect(await count()).toBe('1–1 of 1 (of 200)');
  expect(await names()).toEqual(['dest-137']);
  await page.getByLabel('Search destinations').fill('');

  await page.getByLabel('State').selectOption('disabled');
  expect(await count()).toBe('1–25 of 50 (of 200)');
  expect((await names()).slice(0, 2)).toEqual(['dest-4', 'dest-8']);
  await page.getByRole('button', { name: 'Name' }).click(); // already ascending: now descending
  expect(await page.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('descending');
  expect((await names()).slice(0, 2)).toEqual(['dest-200', 'dest-196']);
  await page.getByRole('navigation', { name: 'Pages of destinations' }).getByRole('button', { name: 'Next page' }).click();
  expect(await count()).toBe('26–50 of 50 (of 200)');
  expect(await page.getByRole('navigation', { name: 'Pages of destinations' }).getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
});

test('the alert list refreshes itself while it shows open alerts, keeping its filters', async () => {
  await herald.call('POST', '/v1/alerts', { id: 'list_refresh_1', title: 'First open alert', severity: 'critical', labels: {} });
  await page.goto(`${herald.url}/console/#/alerts?severity=critical`);
  await textOf(page.getByRole('row').filter({ hasText: 'First open alert' }));
  expect(await textOf(page.getByRole('status').filter({ hasText: 'Refreshing every' }))).toContain('while open alerts are shown');
  await herald.call('POST', '/v1/alerts', { id: 'list_refresh_2', title: 'Second open alert', severity: 'critical', labels: {} });
  await herald.call('POST', '/v1/alerts', { id: 'list_refresh_3', title: 'Not critical', severity: 'info', labels: {} });
  // No navigation: the page reloads the list itself (every 5 s), with the same filter.
  await textOf(page.getByRole('row').filter({ hasText: 'Second open alert' }), 20_000);
  expect(page.url()).toContain('severity=critical');
  expect(await page.getByRole('row').filter({ hasText: 'Not critical' }).count()).toBe(0);
});
