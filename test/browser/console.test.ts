// The operator console in headless Chromium against a real Herald (API and worker on the shared
// Temporal dev server) and a real webhook receiver on loopback: the whole walk, one step per
// test, with a screenshot of each page in test-artifacts/console/.
import type { Browser, Page } from 'playwright-core';
import { startHerald, type TestHerald } from '../support/herald';
import { Receiver } from '../support/receiver';
import { eventually } from '../support/eventually';
import { buildConsole, launchChromium, screenshot, textOf } from './browser';

jest.setTimeout(90_000);

const ALERT_ID = 'alert_console_1';

describe('the operator console in a browser', () => {
  let herald: TestHerald;
  let receiver: Receiver;
  let browser: Browser;
  let page: Page;
  let signingSecret = '';
  let failing = true; // the receiver refuses alert.triggered until the test has watched a retry
  const offSite: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium(); // first: without Chromium, say so before building anything
    herald = await startHerald({ env: { HERALD_CONSOLE_DIR: buildConsole() } });
    receiver = await Receiver.start();
    receiver.respond((r) =>
      failing && r.headers['x-herald-event'] === 'alert.triggered' ? { status: 503, body: '{"error":"warming up"}' } : { status: 200, body: '{"ok":true}' },
    );
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (request) => {
      if (!request.url().startsWith(herald.url)) offSite.push(request.url());
    });
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

  afterEach(() => {
    // Nothing but Herald's own origin (no CDN, no fonts), and no script errors or CSP refusals.
    expect(offSite).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('signs in with an API key, refusing a wrong one', async () => {
    await page.goto(`${herald.url}/console/`);
    await page.getByLabel('API key').fill('not-the-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await textOf(page.getByRole('alert'))).toContain('Herald refused this key');
    await page.getByLabel('API key').fill(herald.apiKey);
    await screenshot(page, '01-sign-in');
    await page.getByLabel('API key').press('Enter'); // the keyboard is enough
    expect(await textOf(page.getByRole('heading', { name: 'Overview' }))).toBeTruthy(); // the landing page
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Destinations' }).click();
    expect(await textOf(page.getByText('No destinations yet.'))).toBeTruthy();
    expect(await page.evaluate('sessionStorage.length')).toBe(1);
    expect(await page.evaluate('localStorage.length')).toBe(0);
  });

  it('creates a webhook destination, showing the API’s field errors beside the fields and the signing secret once', async () => {
    await page.getByRole('link', { name: 'New destination' }).click();
    await page.getByLabel('Name', { exact: true }).fill('ops-hook');
    await page.getByLabel('URL', { exact: true }).fill('not a url');
    await page.getByRole('button', { name: 'Create destination' }).click();
    expect(await textOf(page.locator('#field-config-url-error'))).toContain('must be an http(s) URL');
    expect(await page.getByLabel('URL', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, '02-destination-field-error');

    await page.getByLabel('URL', { exact: true }).fill(receiver.url('/hook'));
    // A retry every second, so the test can watch attempts arrive.
    await page.getByLabel('Retry schedule (seconds)').fill(Array(20).fill(1).join(', ').replace(/^1/, '0'));
    await page.getByRole('button', { name: 'Send test' }).click(); // the unsaved form
    expect(await textOf(page.getByRole('region', { name: 'Test result' }))).toMatch(/Result\s+success[\s\S]*Status\s+200/);
    await page.getByRole('button', { name: 'Create destination' }).click();
    expect(await textOf(page.getByRole('status').filter({ hasText: 'was created' }))).toContain('ops-hook');
    signingSecret = await page.getByLabel('Signing secret').inputValue();
    expect(signingSecret).toMatch(/^whsec_/);
    await screenshot(page, '03-destination-created');
    await page.getByRole('link', { name: 'Back to destinations' }).click();
  });

  it('sends a test to the saved destination and shows the invocation data', async () => {
    const row = page.getByRole('row').filter({ hasText: 'ops-hook' });
    expect(await textOf(row)).toContain(`POST ${receiver.url('/hook')}`);
    expect(await row.innerText()).toContain('enabled');
    await row.getByRole('button', { name: 'Send test to ops-hook' }).click();
    const result = page.getByRole('region', { name: 'Test of ops-hook' });
    const text = await textOf(result);
    expect(text).toContain('success');
    expect(text).toMatch(/Status\s+200/);
    expect(text).toContain(`Request: POST ${receiver.url('/hook')}`);
    expect(text).toMatch(/x-herald-signature\s+sha256=/i);
    expect(text).toContain('"ok": true');
    const sent = await receiver.waitFor(2, (r) => r.headers['x-herald-event'] === 'test');
    expect(sent.map((r) => JSON.parse(r.body).event_type)).toEqual(['test', 'test']);
    await screenshot(page, '04-destinations-test');
  });

  it('creates a rule, previewing where an example alert would go', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Rules' }).click();
    await page.getByRole('link', { name: 'New rule' }).click();
    await page.getByLabel('Name', { exact: true }).fill('critical schema changes');
    await page.getByLabel('Event types', { exact: true }).fill('schema_change');
    await page.getByRole('checkbox', { name: 'critical' }).check();
    await page.getByRole('checkbox', { name: 'ops-hook' }).check();

    const preview = page.getByRole('region', { name: 'Preview: where would this alert go?' });
    await preview.getByLabel('Event type', { exact: true }).fill('schema_change');
    await preview.getByLabel('Severity').selectOption('info');
    expect(await textOf(preview.getByText('No rule matches'))).toBeTruthy();
    await preview.getByLabel('Severity').selectOption('critical');
    expect(await textOf(preview.getByRole('listitem'))).toMatch(/ops-hook receives alert\.triggered, via critical schema changes \(this rule\)/);
    await screenshot(page, '05-rule-preview');

    await page.getByRole('button', { name: 'Create rule' }).click();
    const row = page.getByRole('row').filter({ hasText: 'critical schema changes' });
    expect(await textOf(row)).toMatch(/event type schema_change, severity critical[\s\S]*ops-hook/);
    await screenshot(page, '06-rules');
  });

  it('lists an alert triggered through the API and shows its attempts as they arrive', async () => {
    const trigger = await herald.call('POST', '/v1/alerts', {
      id: ALERT_ID,
      title: 'Production Schema Changes',
      severity: 'critical',
      labels: { env: 'production' },
      event: { type: 'schema_change', change_type: 'column_removed', asset: { qualified_name: 'production.public.orders', asset_type: 'table' } },
    });
    expect(trigger.status).toBe(202);

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Alerts' }).click();
    await page.getByLabel('Status').selectOption('triggered');
    await page.getByLabel('Severity').selectOption('critical');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    // Temporal's visibility lists a new workflow a moment after it started: reload until it does.
    const link = page.getByRole('link', { name: 'Production Schema Changes' });
    for (let tries = 0; !(await link.isVisible()); tries++) {
      if (tries === 30) throw new Error('the alert never appeared in the list');
      await page.waitForTimeout(500);
      await page.reload();
    }
    expect(page.url()).toContain('status=triggered');
    await screenshot(page, '07-alerts');

    await link.click();
    const lane = page.getByRole('region', { name: 'Deliveries to ops-hook' });
    expect(await textOf(lane.getByRole('row').filter({ hasText: '503' }).first())).toContain('503');
    expect(await textOf(page.getByText('Refreshing every 2 s while deliveries are pending.'))).toBeTruthy();
    expect(await lane.innerText()).toContain('Routed by critical schema changes');
    const temporalUi = (await herald.call('GET', `/v1/alerts/${ALERT_ID}`)).body.links.temporal_ui;
    expect(await page.getByRole('link', { name: /in the Temporal UI/ }).getAttribute('href')).toBe(temporalUi);

    failing = false; // the next retry succeeds; the page shows it without being reloaded
    const delivered = lane.getByRole('row').filter({ has: page.getByRole('cell', { name: '200', exact: true }) });
    expect(await textOf(delivered, 20_000)).toMatch(/\t\d+(\.\d)? s\t200\t/); // with the wait before this retry
    expect(await textOf(page.getByText('Up to date: nothing is pending.'), 10_000)).toBeTruthy();
    await screenshot(page, '08-alert-delivered');
  });

  it('acknowledges the alert from the console: the receiver gets alert.acknowledged and the page says who', async () => {
    await page.getByLabel('By').fill('console-test');
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    const [acknowledged] = await receiver.waitFor(1, (r) => r.headers['x-herald-event'] === 'alert.acknowledged');
    expect(JSON.parse(acknowledged!.body)).toMatchObject({ alert: { id: ALERT_ID, status: 'acknowledged', acknowledged_by: 'console-test' } });
    expect(await textOf(page.locator('dl.facts').getByText(/acknowledged by console-test since/), 20_000)).toBeTruthy();
    expect(await textOf(page.getByRole('button', { name: 'Unacknowledge' }))).toBeTruthy();
  });

  it('resolves the alert from the console, and the receiver gets alert.resolved', async () => {
    await page.getByLabel('By').fill('console-test');
    await page.getByLabel('Reason').fill('column restored');
    await page.getByRole('button', { name: 'Resolve' }).click();
    const [resolved] = await receiver.waitFor(1, (r) => r.headers['x-herald-event'] === 'alert.resolved');
    expect(JSON.parse(resolved!.body)).toMatchObject({ event_type: 'alert.resolved', alert: { id: ALERT_ID, status: 'resolved' } });

    const facts = page.locator('dl.facts');
    expect(await textOf(facts.getByText(/resolved at .* by console-test: column restored/), 20_000)).toBeTruthy();
    expect(await textOf(page.getByRole('region', { name: 'Deliveries to ops-hook' }).getByText(/alert\.resolved:\s+delivered/), 20_000)).toBeTruthy();
    await screenshot(page, '09-alert-resolved');

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Destinations' }).click();
    // Its health from the attempt log: the share of the last hour's attempts that succeeded (an earlier
    // step made the receiver fail once), and their p99.
    expect(await textOf(page.getByRole('row').filter({ hasText: 'ops-hook' }).getByText(/% of \d+ in the last hour/))).toMatch(/^\s*\d+(\.\d)?% of [1-9]\d* in the last hour · p99 \d+ ms/);
  });

  it('rotates the signing secret showing the new one once, disables, enables and deletes the destination', async () => {
    const row = () => page.getByRole('row').filter({ hasText: 'ops-hook' });
    await row().getByRole('button', { name: 'Recover the failed deliveries of ops-hook' }).click();
    await page.getByRole('dialog', { name: 'Recover the failed deliveries of ops-hook' }).getByRole('button', { name: 'Recover' }).click();
    expect(await textOf(page.getByRole('status').filter({ hasText: 'told to send again' }))).toMatch(/^ops-hook: \d+ alerts told to send again their \d+ failed events of the last 24 hours/);
    expect((await herald.call('GET', '/v1/audit')).body.data.map((a: { action: string }) => a.action)).toContain('destination.recovered');
    await row().getByRole('button', { name: 'Rotate signing secret of ops-hook' }).click();
    await page.getByRole('dialog', { name: 'Rotate signing secret of ops-hook' }).getByRole('button', { name: 'Rotate' }).click();
    const rotated = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(signingSecret);
    expect((await herald.call('GET', `/v1/destinations/${(await destinationId())}/secret`)).body.signing_secret).toBe(rotated);

    await row().getByRole('button', { name: 'Disable ops-hook' }).click();
    expect(await textOf(row().getByText('disabled', { exact: true }))).toContain('disabled');
    await row().getByRole('button', { name: 'Enable ops-hook' }).click();
    expect(await textOf(row().getByText('enabled', { exact: true }))).toContain('enabled');

    await row().getByRole('button', { name: 'Delete ops-hook' }).click();
    await page.getByRole('dialog', { name: 'Delete ops-hook' }).getByRole('button', { name: 'Delete' }).click();
    expect(await textOf(page.getByText('No destinations yet.'))).toBeTruthy();
    expect((await herald.call('GET', '/v1/destinations')).body.data).toEqual([]);
  });

  it('shows the audit log of everything done above, newest first, with the signing secret nowhere', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Audit log' }).click();
    const table = page.getByRole('table');
    await table.waitFor({ timeout: 15_000 });
    const actions = await table.locator('tbody tr td:nth-child(3)').allInnerTexts();
    expect(actions[0]).toBe('destination.deleted');
    for (const action of ['destination.created', 'destination.secret_rotated', 'rule.created', 'alert.resolved']) expect(actions).toContain(action);
    expect(await page.content()).not.toContain(signingSecret);
    await screenshot(page, '10-audit-log');
  });

  it('creates a silence on the Silences page and expires it', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Silences' }).click();
    const form = page.getByRole('form', { name: 'New silence' });
    await form.getByLabel('Matchers').fill('alertname = Backup\ninstance =~ db.*');
    await form.getByLabel('Created by').fill('oncall@example.com');
    await form.getByLabel('Comment').fill('maintenance window');
    await form.getByRole('button', { name: 'Create silence' }).click();
    const row = page.getByRole('row').filter({ hasText: 'maintenance window' });
    expect(await textOf(row)).toContain('active');
    const [silence] = (await herald.call('GET', '/v1/silences')).body.data;
    expect(silence.matchers).toEqual([
      { name: 'alertname', op: '=', value: 'Backup' },
      { name: 'instance', op: '=~', value: 'db.*' },
    ]);
    await screenshot(page, '11-silences');
    await row.getByRole('button', { name: `Expire silence ${silence.id}` }).click();
    await page.getByRole('dialog', { name: `Expire silence ${silence.id}` }).getByRole('button', { name: 'Expire' }).click();
    expect(await textOf(row.getByText('expired', { exact: true }))).toBe('expired');
  });

  it('shows a group made by a grouping rule, with its notification and alerts', async () => {
    const hook = await herald.call('POST', '/v1/destinations', { name: 'group-hook', type: 'webhook', config: { url: receiver.url('/groups') } });
    await herald.call('POST', '/v1/rules', { name: 'grouped backups', match: { labels: { team: 'storage' } }, destination_ids: [hook.body.id], group: { by: ['alertname'], group_wait_s: 0 } });
    for (const host of ['db1', 'db2']) await herald.call('POST', '/v1/alerts', { id: `console_group_${host}`, title: `Backup failed on ${host}`, labels: { team: 'storage', alertname: 'BackupFailed' } });
    await receiver.waitFor(1, (r) => r.headers['x-herald-event'] === 'group.triggered');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('link', { name: 'grouped backups' }).click();
    expect(await textOf(page.getByRole('heading', { name: /grouped backups/ }))).toContain('alertname=BackupFailed');
    expect(await textOf(page.getByRole('table'))).toContain('group.triggered');
    expect(await textOf(page.getByRole('link', { name: 'Backup failed on db1' }))).toBeTruthy();
    await screenshot(page, '12-group');
  });

  it('sets a mute window in a destination’s form, naming a wrong field, and an alert it holds says so', async () => {
    const hook = await herald.call('POST', '/v1/destinations', { name: 'mute-hook', type: 'webhook', config: { url: receiver.url('/muted') } });
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Destinations' }).click();
    await page.getByRole('link', { name: 'mute-hook' }).click();
    const windows = page.getByLabel('Mute windows', { exact: true });
    await windows.fill('[{"name": "freeze", "time_intervals": [{"weekdays": ["someday"]}]}]');
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect(await textOf(page.locator('#field-mute_windows-error'))).toContain('not a weekday');
    await windows.fill('[{"name": "freeze", "action": "hold", "time_intervals": [{}]}]'); // open always: it holds until removed
    await page.getByRole('button', { name: 'Save changes' }).click();
    await eventually(async () => expect((await herald.call('GET', `/v1/destinations/${hook.body.id}`)).body.mute_windows).toEqual([{ name: 'freeze', action: 'hold', time_intervals: [{}] }]));

    await herald.call('POST', '/v1/alerts', { id: 'console_muted', title: 'Held by a window', destinations: [hook.body.id] });
    await page.goto(`${herald.url}/console/#/alerts/console_muted`);
    expect(await textOf(page.getByRole('table').filter({ hasText: 'alert.triggered' }).getByText(/held by mute window “freeze” until/))).toBeTruthy();
    await screenshot(page, '13-mute-window');
    await herald.call('PATCH', `/v1/destinations/${hook.body.id}`, { mute_windows: [] });
    await receiver.waitFor(1, (r) => JSON.parse(r.body).alert.id === 'console_muted');
  });

  async function destinationId(): Promise<string> {
    return (await herald.call('GET', '/v1/destinations')).body.data[0].id;
  }
});
