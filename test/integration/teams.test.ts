// Microsoft Teams (README "Microsoft Teams") through the API on a real dev server, against a loopback
// fake of a Teams Workflows webhook (test/support/fakes/teams.ts) that checks every card against the
// official Adaptive Card schema and Microsoft's renderer: one card per event in order, the signature
// never shown, a 429's Retry-After honoured, a signature Teams refuses final, a retired connector URL
// refused by name.
import { eventually } from '../support/eventually';
import { FakeTeams } from '../support/fakes/teams';
import { startHerald, type TestHerald } from '../support/herald';

let herald: TestHerald;
let teams: FakeTeams;

beforeAll(async () => {
  herald = await startHerald({ env: { HERALD_PUBLIC_URL: 'https://herald.example' } });
  teams = await FakeTeams.start();
});
afterAll(async () => {
  await herald.stop();
  await teams.close();
});
afterEach(() => expect(teams.contractViolations).toEqual([]));

const headline = (i: number) => teams.posts[i]!.card.body[0]!.items![0]!;

test('trigger, acknowledge and resolve: one card each in order, after waiting out a 429; the sig masked everywhere', async () => {
  const created = await herald.call('POST', '/v1/destinations', { name: 'teams', type: 'teams', config: { webhook_url: teams.url() }, retry_schedule: [0, 1, 1, 1] });
  expect(created.status).toBe(201);
  expect(created.body.rate_limit).toEqual({ events: 1, per: 'second', burst: 4 });
  const shown = (await herald.call('GET', `/v1/destinations/${created.body.id}`)).body;
  expect(JSON.stringify(shown)).not.toContain(teams.sig);
  expect(shown.config.webhook_url).toContain(`/workflows/${teams.workflowId}/triggers/manual/paths/invoke?`);
  expect(shown.target).toMatch(/^Teams workflow at 127\.0\.0\.1:\d+$/);

  teams.throttleNext(2);
  const asked = Date.now();
  const alert = { id: 'tm_1', title: 'Orders lost a column', description: 'The column discount was dropped.', severity: 'critical', event: { type: 'schema_change', asset: { qualified_name: 'prod.public.orders' } }, links: { alert_url: 'https://example.com/a/1' }, destinations: [created.body.id] };
  expect((await herald.call('POST', '/v1/alerts', alert)).status).toBe(202);
  await eventually(async () => expect(teams.posts).toHaveLength(1), 30_000);
  expect(teams.posts[0]!.at - asked).toBeGreaterThanOrEqual(2000); // Teams' 2 s, not the schedule's 1 s
  expect(headline(0)).toMatchObject({ text: 'Alert: Orders lost a column', color: 'attention' });
  expect(teams.posts[0]!.card.body[2]!.facts).toEqual(expect.arrayContaining([{ title: 'Asset', value: 'prod.public.orders' }]));
  expect(teams.posts[0]!.card.actions!.map((a) => a.title)).toEqual(['Acknowledge', 'Resolve', 'alert_url']);
  expect(teams.posts[0]!.card.actions![0]!.url).toMatch(/^https:\/\/herald\.example\/actions\//);

  expect((await herald.call('POST', '/v1/alerts/tm_1/acknowledge', { by: 'jane' })).status).toBe(202);
  await eventually(async () => expect(teams.posts).toHaveLength(2), 30_000);
  expect(headline(1)).toMatchObject({ text: 'Acknowledged: Orders lost a column' });
  expect(teams.posts[1]!.card.body[2]!.facts).toEqual(expect.arrayContaining([{ title: 'By', value: 'jane' }]));

  expect((await herald.call('POST', '/v1/alerts/tm_1/resolve', { by: 'jane', reason: 'column restored' })).status).toBe(202);
  await eventually(async () => expect(teams.posts).toHaveLength(3), 30_000);
  expect(headline(2)).toMatchObject({ text: 'Resolved: Orders lost a column', color: 'good' });
  expect(teams.posts[2]!.card.body[1]).toMatchObject({ text: 'column restored' });

  const state = (await herald.call('GET', '/v1/alerts/tm_1')).body;
  const events = state.destinations[0].events;
  expect(events.map((e: { event_type: string }) => e.event_type)).toEqual(['alert.triggered', 'alert.acknowledged', 'alert.resolved']);
  expect(events[0].attempts.map((a: { status_code: number }) => a.status_code)).toEqual([429, 202]);
  expect(JSON.stringify(state)).not.toContain(teams.sig);
});

test('Send test shows the request with the sig masked; a signature Teams refuses and a deleted workflow fail for good', async () => {
  const tested = await herald.call('POST', '/v1/destinations/test', { name: 'teams-test', type: 'teams', config: { webhook_url: teams.url() } });
  expect(tested.body).toMatchObject({ success: true, status_code: 202, request: { method: 'POST' } });
  expect(JSON.stringify(tested.body)).not.toContain(teams.sig);
  expect(headline(teams.posts.length - 1).text).toBe('Test from Herald: Herald test event');

  for (const [id, url, error] of [
    ['tm_sig', teams.url({ sig: 'not-the-signature-0000' }), /^the Teams workflow refused the post \(HTTP 401: DirectApiInvalidAuthorizationSignature/],
    ['tm_gone', teams.url({ workflowId: 'deadbeefdeadbeefdeadbeefdeadbeef' }), /^the Teams workflow refused the post \(HTTP 404: WorkflowNotFound/],
  ] as const) {
    const dest = await herald.call('POST', '/v1/destinations', { name: `teams-${id}`, type: 'teams', config: { webhook_url: url }, retry_schedule: [0, 1, 1] });
    expect((await herald.call('POST', '/v1/alerts', { id, title: 'Refused', destinations: [dest.body.id] })).status).toBe(202);
    await eventually(async () => {
      const lane = (await herald.call('GET', `/v1/alerts/${id}`)).body.destinations[0];
      expect(lane.state).toBe('failed');
      expect(lane.events[0].attempts).toHaveLength(1); // final: no retry
      expect(lane.events[0].attempts[0].error).toMatch(error);
    }, 30_000);
  }
});

test('an Office 365 connector URL is refused with a 400 naming the field and what to do', async () => {
  const refused = await herald.call('POST', '/v1/destinations', { name: 'teams-old', type: 'teams', config: { webhook_url: 'https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456' } });
  expect(refused.status).toBe(400);
  expect(refused.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'config.webhook_url', message: expect.stringMatching(/Office 365 connector URL: Microsoft retired those; create a Teams workflow/) })]));
});
