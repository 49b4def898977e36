// Discord (README "Discord") through the API on a real dev server, against a loopback fake that
// answers as Discord's webhook does and refuses what Discord refuses: one embed per event, the token
// never shown, a 429's retry_after honoured, a long description cut to Discord's limit, and the webhook
// gone (404 Unknown Webhook) a final failure.
import { eventually } from '../support/eventually';
import { FakeDiscord } from '../support/fakes/discord';
import { startHerald, type TestHerald } from '../support/herald';

let herald: TestHerald;
let discord: FakeDiscord;

beforeAll(async () => {
  herald = await startHerald();
  discord = await FakeDiscord.start();
});
afterAll(async () => {
  await herald.stop();
  await discord.close();
});
afterEach(() => expect(discord.contractViolations).toEqual([]));

test('a trigger and its resolve: one embed each, after waiting out a 429; the token masked everywhere', async () => {
  const created = await herald.call('POST', '/v1/destinations', { name: 'discord', type: 'discord', config: { webhook_url: discord.url(), username: 'Herald' }, retry_schedule: [0, 1, 1, 1] });
  expect(created.status).toBe(201);
  expect(created.body.rate_limit).toEqual({ events: 30, per: 'minute', burst: 5 });
  const shown = await herald.call('GET', `/v1/destinations/${created.body.id}`);
  expect(JSON.stringify(shown.body)).not.toContain(discord.token);
  expect(shown.body.target).toMatch(/^Discord webhook at 127\.0\.0\.1:\d+$/);

  discord.rateLimitNext(1.8);
  const asked = Date.now();
  expect((await herald.call('POST', '/v1/alerts', { id: 'dc_1', title: 'Orders lost a column', description: 'x'.repeat(5000), severity: 'critical', event: { type: 'schema_change', asset: { qualified_name: 'prod.public.orders' } }, links: { alert_url: 'https://example.com/a/1' }, destinations: [created.body.id] })).status).toBe(202);
  await eventually(async () => expect(discord.posts).toHaveLength(1), 30_000);
  expect(discord.posts[0]!.at - asked).toBeGreaterThanOrEqual(1800); // Discord's 1.8 s, not the schedule's 1 s
  const [embed] = discord.posts[0]!.body.embeds!;
  expect(discord.posts[0]!.body).toMatchObject({ username: 'Herald', allowed_mentions: { parse: [] } });
  expect(discord.posts[0]!.wait).toBe(true);
  expect(embed).toMatchObject({ title: 'Alert: Orders lost a column', color: 0xd0021b, url: 'https://example.com/a/1', footer: { text: 'Herald alert dc_1' } });
  expect(embed!.description).toHaveLength(4096);
  expect(embed!.fields).toEqual(expect.arrayContaining([{ name: 'Severity', value: 'critical', inline: true }, { name: 'Asset', value: '`prod.public.orders`', inline: false }]));

  expect((await herald.call('POST', '/v1/alerts/dc_1/resolve', { by: 'jane', reason: 'column restored' })).status).toBe(202);
  await eventually(async () => expect(discord.posts).toHaveLength(2), 30_000);
  expect(discord.posts[1]!.body.embeds![0]).toMatchObject({ title: 'Resolved: Orders lost a column', description: 'column restored', color: 0x2e8540 });
  const state = (await herald.call('GET', '/v1/alerts/dc_1')).body;
  expect(state.destinations[0].events[0].attempts.map((a: { status_code: number }) => a.status_code)).toEqual([429, 200]);
  expect(JSON.stringify(state)).not.toContain(discord.token);
});

test('Send test shows the request with the token masked; a webhook Discord no longer knows fails for good', async () => {
  const tested = await herald.call('POST', '/v1/destinations/test', { name: 'discord-test', type: 'discord', config: { webhook_url: discord.url() } });
  expect(tested.body).toMatchObject({ success: true, status_code: 200, request: { method: 'POST' } });
  expect(JSON.stringify(tested.body)).not.toContain(discord.token);

  const gone = await herald.call('POST', '/v1/destinations', { name: 'discord-gone', type: 'discord', config: { webhook_url: discord.url().replace(discord.token, 'revoked-token') }, retry_schedule: [0, 1, 1] });
  expect((await herald.call('POST', '/v1/alerts', { id: 'dc_gone', title: 'Gone', destinations: [gone.body.id] })).status).toBe(202);
  await eventually(async () => {
    const lane = (await herald.call('GET', '/v1/alerts/dc_gone')).body.destinations[0];
    expect(lane.state).toBe('failed');
    expect(lane.events[0].attempts).toHaveLength(1); // final: no retry
    expect(lane.events[0].attempts[0].error).toMatch(/^Discord refused the webhook \(HTTP 404/);
  }, 30_000);
});
