// The tenant portal (README "A portal for each customer") in headless Chromium: a customer's page on
// an origin the tenant lists embeds a portal link in an iframe, and the customer sees its own
// destinations (never another tenant's) and runs Send test against a loopback receiver; the same link
// embedded by a page on an origin not listed does not render (CSP frame-ancestors). Loopback only:
// Herald answers on localhost, the customer's pages on 127.0.0.1, a different origin.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { callApi, startHerald, type TestHerald } from '../support/herald';
import { Receiver } from '../support/receiver';
import { buildConsole, launchChromium, screenshot, textOf } from './browser';

jest.setTimeout(90_000);

/** A customer's page on http://127.0.0.1:<port> that embeds `src()` in an iframe. */
async function embedder(src: () => string): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><html><head><title>Customer app</title></head><body><h1>Customer app</h1><iframe title="Alerting" src="${src()}" width="1100" height="700"></iframe></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the tenant portal in an iframe', () => {
  let herald: TestHerald;
  let receiver: Receiver;
  let browser: Browser;
  let allowed: Awaited<ReturnType<typeof embedder>>;
  let elsewhere: Awaited<ReturnType<typeof embedder>>;
  let link = '';
  const pageErrors: string[] = [];
  const operator = (method: string, path: string, body?: unknown) => callApi(herald.url, herald.apiKey, method, path, body);

  beforeAll(async () => {
    browser = await launchChromium();
    herald = await startHerald({ worker: false, env: { HERALD_CONSOLE_DIR: buildConsole() } });
    receiver = await Receiver.start();
    allowed = await embedder(() => link);
    elsewhere = await embedder(() => link);
    for (const id of ['portal-acme', 'portal-globex']) expect((await operator('POST', '/v1/tenants', { id, name: id })).status).toBe(201);
    expect((await operator('PATCH', '/v1/tenants/portal-acme', { portal_origins: [allowed.origin], portal_theme: { primary_color: '#8a1c7c' } })).status).toBe(200);
    expect((await operator('POST', '/v1/tenants/portal-acme/destinations', { name: 'acme-hook', type: 'webhook', config: { url: receiver.url() } })).status).toBe(201);
    expect((await operator('POST', '/v1/tenants/portal-globex/destinations', { name: 'globex-hook', type: 'webhook', config: { url: receiver.url() } })).status).toBe(201);
    const made = await operator('POST', '/v1/tenants/portal-acme/portal-links', { expires_in_s: 600 });
    expect(made.status).toBe(201);
    // Herald's public URL may name another host; the test reaches it at herald.url.
    link = `${herald.url}/portal/${made.body.id}#${new URL(made.body.url).hash.slice(1)}`;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await herald?.stop();
    await receiver?.close();
    await allowed?.close();
    await elsewhere?.close();
  });

  const open = async (origin: string): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/frame-ancestors/i.test(message.text())) pageErrors.push(message.text());
    });
    await page.goto(`${origin}/`);
    return page;
  };

  it('renders inside a page of an allowed origin: its own destinations only, Send test reaches the receiver', async () => {
    const page = await open(allowed.origin);
    const frame = page.frameLocator('iframe[title="Alerting"]');
    expect(await textOf(frame.getByRole('link', { name: 'acme-hook' }))).toBe('acme-hook');
    const nav = await textOf(frame.getByRole('navigation', { name: 'Sections' }));
    expect(nav.split(/\s+/).filter(Boolean)).toEqual(['Destinations', 'Rules', 'Alerts']);
    expect(await frame.getByText('globex-hook').count()).toBe(0);
    // The secret is off the address once read; the theme is a CSS variable.
    const inner = page.frames().find((f) => f.url().startsWith(herald.url))!;
    expect(await inner.evaluate('location.hash')).toBe('#/destinations');
    expect(await inner.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--herald-primary').trim()")).toBe('#8a1c7c');
    await screenshot(page, 'portal-embedded');

    const before = receiver.requests.length;
    await frame.getByRole('button', { name: 'Send test to acme-hook' }).click();
    await receiver.waitFor(before + 1);

    // The rule form loads with what a portal link reaches (no escalation policies).
    await frame.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Rules' }).click();
    await frame.getByRole('link', { name: 'New rule' }).click();
    await frame.getByRole('heading', { name: 'New rule' }).waitFor();
    await frame.getByLabel('Name').first().waitFor();
    expect(await frame.getByRole('alert').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('a read-only link shows the tenant\'s destinations and rules with no control that changes anything; the API refuses its writes', async () => {
    const made = await operator('POST', '/v1/tenants/portal-acme/portal-links', { expires_in_s: 600, read_only: true });
    expect(made.status).toBe(201);
    const writable = link;
    link = `${herald.url}/portal/${made.body.id}#${new URL(made.body.url).hash.slice(1)}`;
    try {
      const page = await open(allowed.origin);
      const frame = page.frameLocator('iframe[title="Alerting"]');
      expect(await textOf(frame.getByRole('link', { name: 'acme-hook' }))).toBe('acme-hook');
      expect(await frame.getByRole('button', { name: 'Send test to acme-hook' }).count()).toBe(0);
      await frame.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Rules' }).click();
      await frame.getByRole('heading', { name: 'Rules' }).waitFor();
      expect(await frame.getByRole('link', { name: 'New rule' }).count()).toBe(0);
      expect(pageErrors).toEqual([]); // the read-only portal itself asks for nothing it may not have
      // The link's key, sent from the portal's own frame, reads and is refused a write.
      const inner = page.frames().find((f) => f.url().startsWith(herald.url))!;
      const statuses = await inner.evaluate(`(async () => {
        const key = ${JSON.stringify(new URL(made.body.url).hash.slice(1))};
        const write = await fetch('/v1/destinations', { method: 'POST', headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', type: 'webhook', config: { url: 'https://example.com/x' } }) });
        const read = await fetch('/v1/destinations', { headers: { authorization: 'Bearer ' + key } });
        return [read.status, write.status];
      })()`);
      expect(statuses).toEqual([200, 403]);
      await page.close();
      pageErrors.length = 0; // the refused write above is logged by the browser
    } finally {
      link = writable;
    }
  });

  it('does not render inside a page of an origin the tenant does not list', async () => {
    const page = await open(elsewhere.origin);
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/frame-ancestors/i.test(message.text())) refused.push(message.text());
    });
    await page.reload();
    // Chromium replaces a frame its CSP refuses with an error page: the portal's navigation never appears.
    await page.waitForTimeout(2_000);
    const frame = page.frameLocator('iframe[title="Alerting"]');
    expect(await frame.getByRole('navigation', { name: 'Sections' }).count()).toBe(0);
    expect(page.frames().some((f) => f !== page.mainFrame() && f.url().startsWith(herald.url) && f.url().includes('/portal/'))).toBe(false);
    expect(await frame.getByText('acme-hook').count()).toBe(0);
    expect(refused.length).toBeGreaterThan(0);
    await page.close();
  });
});
