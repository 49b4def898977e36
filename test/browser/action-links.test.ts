// Action links (README "Action links") on a real Herald and dev server: what a webhook and a Slack
// receiver on loopback get, driven over HTTP (GET shows and changes nothing, POST acts once; reused,
// expired and forged links refused with a page that says so) and once in headless Chromium, as a
// person clicking the link in a message would. HERALD_PUBLIC_URL names an address the test never
// contacts: each link's path is followed on the test Herald, as a reverse proxy would.
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { ActionLinkSigner } from '../../src/crypto/action-links';
import { eventually } from '../support/eventually';
import { Receiver } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';
import { launchChromium, screenshot } from './browser';

const PUBLIC_URL = 'https://herald.example.com';
const OLD_KEY = randomBytes(32);
const KEY = randomBytes(32);

let herald: TestHerald;
let webhook: Receiver;
let slack: Receiver;
let destinations: string[];
let browser: Browser;
const logLines: string[] = [];

beforeAll(async () => {
  herald = await startHerald({ logLines, env: { HERALD_PUBLIC_URL: PUBLIC_URL, HERALD_ACTION_LINK_KEY: `${KEY.toString('base64')},${OLD_KEY.toString('base64')}` } });
  webhook = await Receiver.start();
  slack = await Receiver.start();
  slack.respond(() => ({ status: 200, body: 'ok' }));
  const make = async (body: Record<string, unknown>) => (await herald.call('POST', '/v1/destinations', body)).body.id as string;
  destinations = [await make({ name: 'links-webhook', type: 'webhook', config: { url: webhook.url() } }), await make({ name: 'links-slack', type: 'slack', config: { webhook_url: slack.url('/services/T/B/SECRET') } })];
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await herald?.stop();
  await Promise.all([webhook?.close(), slack?.close()]);
});

/** The link's path on the test Herald. */
const local = (link: string) => {
  expect(link.startsWith(`${PUBLIC_URL}/actions/`)).toBe(true);
  return `${herald.url}${new URL(link).pathname}`;
};
const open = async (link: string, method: 'GET' | 'POST' = 'GET') => {
  const res = await fetch(local(link), { method, redirect: 'manual' });
  return { status: res.status, text: await res.text(), headers: res.headers };
};
const bodies = (id: string) => webhook.requests.map((r) => JSON.parse(r.body)).filter((b) => b.alert?.id === id);
const status = async (id: string) => (await herald.call('GET', `/v1/alerts/${id}`)).body;

test('links in the webhook payload and the Slack message; GET shows, POST acts once; the resolve link of the acknowledgement resolves', async () => {
  await herald.call('POST', '/v1/alerts', { id: 'link_1', title: 'Orders <stale>', destinations });
  await webhook.waitFor(1, (r) => r.body.includes('"link_1"'));
  const { actions } = bodies('link_1')[0];
  expect(Object.keys(actions)).toEqual(['acknowledge', 'resolve']);
  const [slackPost] = await slack.waitFor(1);
  // Each destination gets links of its own (made for its delivery): using one does not use the other.
  expect(slackPost!.body).toMatch(/<https:\/\/herald\.example\.com\/actions\/[\w-]+\.[\w-]+\|Acknowledge>/);
  expect(slackPost!.body).toMatch(/<https:\/\/herald\.example\.com\/actions\/[\w-]+\.[\w-]+\|Resolve>/);
  expect(slackPost!.body).not.toContain(actions.acknowledge);

  // A scanner opening the link (twice) changes nothing; the page escapes the alert's title.
  for (let i = 0; i < 2; i++) {
    const shown = await open(actions.acknowledge);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Acknowledge this alert?');
    expect(shown.text).toContain('Orders &#60;stale&#62;');
    expect(shown.text).toContain('<form method="post">');
    expect(shown.headers.get('content-security-policy')).toContain("default-src 'none'");
  }
  expect((await status('link_1')).status).toBe('triggered');

  const acted = await open(actions.acknowledge, 'POST');
  expect(acted.status).toBe(200);
  expect(acted.text).toContain('Alert acknowledged');
  expect((await status('link_1')).acknowledgement).toMatchObject({ by: 'action link' });
  const again = await open(actions.acknowledge, 'POST');
  expect(again.status).toBe(409);
  expect(again.text).toContain('This link was already used');

  // The acknowledgement's own event carries a resolve link only.
  await webhook.waitFor(2, (r) => r.body.includes('"link_1"'));
  const ack = bodies('link_1')[1];
  expect(ack.event_type).toBe('alert.acknowledged');
  expect(Object.keys(ack.actions)).toEqual(['resolve']);
  expect((await open(ack.actions.resolve, 'POST')).status).toBe(200);
  await webhook.waitFor(3, (r) => r.body.includes('"link_1"'));
  const resolved = bodies('link_1')[2];
  expect(resolved).toMatchObject({ event_type: 'alert.resolved', alert: { closed_by: 'action link' } });
  expect(resolved.actions).toBeUndefined();
  // The trigger's resolve link is a link of its own: unused, but the alert is closed now.
  const late = await open(actions.resolve, 'POST');
  expect(late.status).toBe(409);
  expect(late.text).toContain('already closed');
  // A link acts on its own: the request log shows its path masked.
  const token = new URL(actions.acknowledge).pathname.split('/').pop()!;
  expect(logLines.some((l) => l.includes('/actions/****'))).toBe(true);
  expect(logLines.join('\n')).not.toContain(token);
});

test('forged, expired and old-key links', async () => {
  await herald.call('POST', '/v1/alerts', { id: 'link_2', title: 'Row count dropped', destinations });
  await webhook.waitFor(1, (r) => r.body.includes('"link_2"'));
  const { actions } = bodies('link_2')[0];
  const forged = actions.acknowledge.slice(0, -2) + (actions.acknowledge.endsWith('AA') ? 'BB' : 'AA');
  for (const method of ['GET', 'POST'] as const) {
    const res = await open(forged, method);
    expect(res.status).toBe(400);
    expect(res.text).toContain('This link is not valid');
  }
  expect((await open(`${PUBLIC_URL}/actions/not-a-token`, 'POST')).status).toBe(400);
  // Made with the right key for another alert, then pointed at this one: the signature no longer matches.
  const [payload, signature] = new URL(actions.acknowledge).pathname.split('/').pop()!.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  const retargeted = `${Buffer.from(JSON.stringify({ ...claims, a: 'link_other' })).toString('base64url')}.${signature}`;
  expect((await open(`${PUBLIC_URL}/actions/${retargeted}`, 'POST')).status).toBe(400);

  const expired = new ActionLinkSigner([KEY]).sign({ alert_id: 'link_2', action: 'acknowledge', delivery_id: 'msg_x', expires_at: new Date(Date.now() - 1000).toISOString() });
  const res = await open(`${PUBLIC_URL}/actions/${expired}`, 'POST');
  expect(res.status).toBe(410);
  expect(res.text).toContain('This link has expired');
  expect((await status('link_2')).status).toBe('triggered');

  // Signed with the key before the rotation (second in the list): still honoured.
  const old = new ActionLinkSigner([OLD_KEY]).sign({ alert_id: 'link_2', action: 'acknowledge', delivery_id: 'msg_y', expires_at: new Date(Date.now() + 60_000).toISOString() });
  expect((await open(`${PUBLIC_URL}/actions/${old}`, 'POST')).status).toBe(200);
  await eventually(async () => expect((await status('link_2')).status).toBe('acknowledged'));
});

test('a person opens the link in a browser and clicks the button', async () => {
  await herald.call('POST', '/v1/alerts', { id: 'link_3', title: 'Freshness late on orders', destinations });
  await webhook.waitFor(1, (r) => r.body.includes('"link_3"'));
  const page = await browser.newPage();
  try {
    await page.goto(local(bodies('link_3')[0].actions.resolve));
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Resolve this alert?');
    expect((await status('link_3')).status).toBe('triggered');
    await screenshot(page, 'action-link-confirm');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByRole('heading', { name: 'Alert resolved' }).waitFor();
    await screenshot(page, 'action-link-done');
  } finally {
    await page.close();
  }
  expect((await status('link_3')).status).toBe('resolved');
  await webhook.waitFor(2, (r) => r.body.includes('"link_3"'));
  expect(bodies('link_3')[1].event_type).toBe('alert.resolved');
});
