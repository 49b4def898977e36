// Every console page checked by axe-core (Deque's accessibility engine) in headless Chromium against
// a real Herald with something on each page: no serious or critical violation (labels, contrast,
// headings, names of links and buttons, ARIA use).
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { eventually } from '../support/eventually';
import { startHerald, type TestHerald } from '../support/herald';
import { Receiver } from '../support/receiver';
import { buildConsole, launchChromium } from './browser';

jest.setTimeout(120_000);

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let herald: TestHerald;
let receiver: Receiver;
let browser: Browser;
let page: Page;
const ids: Record<string, string> = {};

beforeAll(async () => {
  browser = await launchChromium();
  herald = await startHerald({ env: { HERALD_CONSOLE_DIR: buildConsole() } });
  receiver = await Receiver.start();
  ids.destination = (await herald.call('POST', '/v1/destinations', { name: 'a11y-hook', type: 'webhook', config: { url: receiver.url() } })).body.id;
  ids.rule = (await herald.call('POST', '/v1/rules', { name: 'a11y rule', match: { severities: ['critical'] }, destination_ids: [ids.destination] })).body.id;
  await herald.call('POST', '/v1/silences', { matchers: [{ name: 'team', value: 'quiet' }], ends_at: new Date(Date.now() + 3600_000).toISOString(), created_by: 'a11y' });
  await herald.call('POST', '/v1/alerts', { id: 'a11y_alert', title: 'Accessible alert', severity: 'critical', destinations: [ids.destination] });
  await eventually(async () => expect((await herald.call('GET', '/v1/alerts/a11y_alert')).body.delivery_state).toBe('delivered'));
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await herald?.stop();
  await receiver?.close();
});

/** axe-core's serious and critical violations on the page as it is now. */
async function violations(p: Page): Promise<string[]> {
  // Evaluated through the browser's debugging protocol, which the console's CSP (scripts from 'self'
  // only) rightly does not let an inline script tag do. A string: this file has no DOM types.
  await p.evaluate(AXE);
  const found = (await p.evaluate("axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)")) as Violation[];
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('the sign-in page', async () => {
  await page.goto(`${herald.url}/console/`);
  await page.getByLabel('API key').waitFor();
  expect(await violations(page)).toEqual([]);
  await page.getByLabel('API key').fill(herald.apiKey);
  await page.getByLabel('API key').press('Enter');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
});

const PAGES: [string, () => string, string][] = [
  ['overview', () => '#/overview', 'Deliveries'],
  ['destinations', () => '#/destinations', 'a11y-hook'],
  ['a new destination', () => '#/destinations/new', 'Create destination'],
  ['a destination', () => `#/destinations/${ids.destination}`, 'Save changes'],
  ['rules', () => '#/rules', 'a11y rule'],
  ['a rule', () => `#/rules/${ids.rule}`, 'Save changes'],
  ['alerts', () => '#/alerts', 'Accessible alert'],
  ['an alert', () => '#/alerts/a11y_alert', 'a11y-hook'],
  ['groups', () => '#/groups', 'Groups'],
  ['silences', () => '#/silences', 'team'],
  ['the audit log', () => '#/audit', 'destination.created'],
];

test.each(PAGES)('%s', async (_name, path, shows) => {
  await page.goto(`${herald.url}/console/${path()}`);
  await page.getByText(shows).first().waitFor({ timeout: 15_000 });
  expect(await violations(page)).toEqual([]);
});
