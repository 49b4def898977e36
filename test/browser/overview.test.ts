// The console's overview in headless Chromium after a known mix of deliveries on a real Herald and
// real receivers on loopback: three alerts delivered at once, one delivered on its second attempt,
// one that failed for good. The API's aggregates, the page's counts, its links, its charts' points.
import type { Browser, Page } from 'playwright-core';
import { eventually } from '../support/eventually';
import { startHerald, type TestHerald } from '../support/herald';
import { Receiver } from '../support/receiver';
import { buildConsole, launchChromium, screenshot, textOf } from './browser';

jest.setTimeout(90_000);

let herald: TestHerald;
let receiver: Receiver;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  herald = await startHerald({ env: { HERALD_CONSOLE_DIR: buildConsole() } });
  receiver = await Receiver.start();
  let flakyCalls = 0;
  receiver.respond((r) => {
    if (r.path === '/dead') return { status: 500, body: 'down' };
    if (r.path === '/flaky' && ++flakyCalls === 1) return { status: 503, body: 'warming up' };
    return { status: 200, body: '{}' };
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await herald?.stop();
  await receiver?.close();
});

const hook = async (name: string) =>
  (await herald.call('POST', '/v1/destinations', { name, type: 'webhook', config: { url: receiver.url(`/${name}`) }, retry_schedule: [0, 0.2] })).body.id as string;

test('counts by severity, destinations to look at, and deliveries by outcome, from the API and on the page', async () => {
  const [ok, flaky, dead] = [await hook('ok'), await hook('flaky'), await hook('dead')];
  for (const i of [1, 2, 3]) await herald.call('POST', '/v1/alerts', { id: `ov_ok_${i}`, title: `Fine ${i}`, severity: 'critical', destinations: [ok] });
  await herald.call('POST', '/v1/alerts', { id: 'ov_flaky', title: 'Second try', severity: 'warning', destinations: [flaky] });
  await herald.call('POST', '/v1/alerts', { id: 'ov_dead', title: 'Never arrives', severity: 'error', destinations: [dead] });
  await eventually(async () => {
    const states = await Promise.all(['ov_ok_1', 'ov_ok_2', 'ov_ok_3', 'ov_flaky', 'ov_dead'].map(async (id) => (await herald.call('GET', `/v1/alerts/${id}`)).body.delivery_state));
    expect(states).toEqual(['delivered', 'delivered', 'delivered', 'delivered', 'failed']);
  }, 30_000);

  const overview = (await herald.call('GET', '/v1/overview')).body;
  expect(overview.alerts).toEqual({
    triggered: { critical: 3, error: 1, warning: 1, info: 0 },
    acknowledged: { critical: 0, error: 0, warning: 0, info: 0 },
    failed_delivery: { critical: 0, error: 1, warning: 0, info: 0 },
  });
  const sum = (key: 'delivered' | 'retried' | 'failed') => overview.deliveries.reduce((n: number, p: Record<string, number>) => n + p[key]!, 0);
  expect([sum('delivered'), sum('retried'), sum('failed')]).toEqual([4, 2, 1]);
  expect(overview.deliveries).toHaveLength(60);
  expect(overview.destinations.attention.map((d: { name: string; reason: string }) => [d.name, d.reason])).toEqual([
    ['dead', 'failing'],
    ['flaky', 'failing'],
  ]);
  expect(overview.destinations.attention[0].detail).toBe('2 of 2 attempts failed in the last hour; last: receiver answered HTTP 500');
  const one = (await herald.call('GET', `/v1/overview?window=day&destination_id=${dead}`)).body;
  expect([one.deliveries.length, one.deliveries.reduce((n: number, p: { failed: number }) => n + p.failed, 0)]).toEqual([96, 1]);
  expect((await herald.call('GET', '/v1/overview?window=week')).body.error.details.map((d: { path: string }) => d.path)).toEqual(['window']);

  // The console lands on it.
  await page.goto(`${herald.url}/console/`);
  await page.getByLabel('API key').fill(herald.apiKey);
  await page.getByLabel('API key').press('Enter');
  const counts = page.getByRole('table').filter({ hasText: 'Open, not acknowledged' });
  expect(await textOf(counts.getByRole('row').filter({ hasText: 'Open, not acknowledged' }))).toMatch(/Open, not acknowledged\s+3\s+1\s+1\s+0/);
  expect(await textOf(counts.getByRole('row').filter({ hasText: 'Delivery failed' }))).toMatch(/Delivery failed\s+0\s+1\s+0\s+0/);
  expect(await textOf(page.getByRole('region', { name: 'Destinations to look at' }))).toMatch(/dead Failing: 2 of 2 attempts failed[\s\S]*flaky Failing/);
  const charts = page.locator('figure.chart');
  await charts.first().locator('canvas').waitFor();
  expect(await charts.count()).toBe(2);
  expect(await charts.evaluateAll((figures) => figures.map((f) => f.getAttribute('data-points')))).toEqual(['60', '60']);
  expect(await charts.first().locator('details tbody tr').count()).toBe(60);
  await screenshot(page, '20-overview');

  // Each number opens the list behind it.
  await page.getByRole('link', { name: '1 delivery failed error alerts' }).click();
  expect(await textOf(page.getByRole('row').filter({ hasText: 'ov_dead' }))).toContain('Never arrives');
  expect(await page.getByRole('row').count()).toBe(2); // the header and ov_dead
  expect(pageErrors).toEqual([]);
});
