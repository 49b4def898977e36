// PagerDuty (against a fake that enforces the official Events API v2 contract) and Slack (a real
// receiver on loopback answering as Slack does) through the API on a real dev server.
import { eventually } from '../support/eventually';
import { FakePagerDuty } from '../support/fakes/pagerduty';
import { Receiver } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';

const ROUTING_KEY = 'R0123456789abcdef0123456789ABCDE';
let herald: TestHerald;
let pagerduty: FakePagerDuty;
let slack: Receiver;

beforeAll(async () => {
  herald = await startHerald();
  pagerduty = await FakePagerDuty.start();
  slack = await Receiver.start();
  slack.respond(() => ({ status: 200, body: 'ok', headers: { 'content-type': 'text/plain' } }));
});
afterAll(async () => {
  await herald.stop();
  await pagerduty.close();
  await slack.close();
});
afterEach(() => expect(pagerduty.contractViolations).toEqual([]));

async function create(body: Record<string, unknown>): Promise<string> {
  const res = await herald.call('POST', '/v1/destinations', { retry_schedule: [0, 0.2, 0.2], ...body });
  expect(res.status).toBe(201);
  return res.body.id;
}

const alert = (id: string, destinations: string[]) => ({
  id,
  title: 'Orders lost a column',
  description: 'shipping_status was dropped',
  severity: 'critical',
  labels: { env: 'production' },
  event: { type: 'schema_change', change_type: 'column_removed', asset: { qualified_name: 'production.public.orders', asset_type: 'table' } },
  links: { alert_url: 'https://example.com/alerts/1' },
  destinations,
});

describe('PagerDuty', () => {
  it('triggers with a dedup key from the workflow ID, survives a 429 and a 500, and resolves with the same key', async () => {
    const id = await create({ name: 'pd', type: 'pagerduty', config: { routing_key: ROUTING_KEY, base_url: pagerduty.url() } });
    expect((await herald.call('GET', `/v1/destinations/${id}`)).body.config.routing_key).not.toContain(ROUTING_KEY.slice(0, 20));
    pagerduty.failNext({ status: 429, retryAfter: '0' }, { status: 500 });
    await herald.call('POST', '/v1/alerts', alert('pd_1', [id]));
    const state = await eventually(async () => {
      const s = await herald.call('GET', '/v1/alerts/pd_1');
      expect(s.body.destinations[0].state).toBe('delivered');
      return s.body;
    });
    expect(state.destinations[0].events[0].attempts.map((a: { status_code: number }) => a.status_code)).toEqual([429, 500, 202]);
    expect(state.destinations[0].incident).toEqual({ provider: 'pagerduty', id: 'herald/alert:pd_1', status: 'triggered' });
    const opened = pagerduty.alerts.get('herald/alert:pd_1')!;
    expect(opened).toMatchObject({ status: 'triggered', opened: 1 });
    expect(opened.events[0]).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      payload: { summary: 'Orders lost a column (production.public.orders)', source: 'production.public.orders', severity: 'critical', component: 'production.public.orders', group: 'production.public', class: 'schema_change', custom_details: { alert_id: 'pd_1', change_type: 'column_removed' } },
      links: [{ href: 'https://example.com/alerts/1', text: 'alert_url' }],
    });

    await herald.call('POST', '/v1/alerts/pd_1/resolve', { by: 'oncall' });
    await eventually(async () => expect(pagerduty.alerts.get('herald/alert:pd_1')!.status).toBe('resolved'));
    const final = await eventually(async () => {
      const s = await herald.call('GET', '/v1/alerts/pd_1');
      expect(s.body.destinations[0].incident.status).toBe('resolved');
      return s.body;
    });
    expect(final.destinations[0].events[1]).toMatchObject({ event_type: 'alert.resolved', state: 'delivered' });
    expect(pagerduty.alerts.get('herald/alert:pd_1')!.opened).toBe(1);
  });

  it('fails at once on 400 with PagerDuty’s error list', async () => {
    const id = await create({ name: 'pd-bad-key', type: 'pagerduty', config: { routing_key: 'shortbutvalidlooking1234', base_url: pagerduty.url() } });
    await herald.call('POST', '/v1/alerts', alert('pd_2', [id]));
    const state = await eventually(async () => {
      const s = await herald.call('GET', '/v1/alerts/pd_2');
      expect(s.body.destinations[0].state).toBe('failed');
      return s.body;
    });
    expect(state.destinations[0].events[0].attempts).toHaveLength(1);
    expect(state.destinations[0].events[0].attempts[0].error).toBe("PagerDuty rejected the event: Event object is invalid; 'routing_key' is invalid");
    await herald.call('POST', '/v1/alerts/pd_2/dismiss', {});
  });

  it('validates its configuration', async () => {
    const res = await herald.call('POST', '/v1/destinations', { name: 'pd-x', type: 'pagerduty', config: { routing_key: 'nope' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('config.routing_key');
  });
});

describe('Slack', () => {
  it('posts a readable message for each event, resolved visibly different', async () => {
    const id = await create({ name: 'slack', type: 'slack', config: { webhook_url: slack.url('/services/T000/B000/XXXXSECRET') } });
    const shown = await herald.call('GET', `/v1/destinations/${id}`);
    expect(shown.body.config.webhook_url).not.toContain('XXXXSECRET');
    await herald.call('POST', '/v1/alerts', alert('slack_1', [id]));
    const [triggered] = await slack.waitFor(1);
    const message = JSON.parse(triggered!.body);
    expect(message.text).toBe(':rotating_light: Alert: Orders lost a column · on production.public.orders · severity critical');
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: ':rotating_light: Alert: Orders lost a column', emoji: true } });
    expect(JSON.stringify(message.blocks)).toContain('*Asset*\\n`production.public.orders`');
    expect(JSON.stringify(message.blocks)).toContain('<https://example.com/alerts/1|alert_url>');
    await herald.call('POST', '/v1/alerts/slack_1/resolve', { by: 'alice', reason: 'column restored' });
    const [, resolved] = await slack.waitFor(2);
    const closing = JSON.parse(resolved!.body);
    expect(closing.text).toMatch(/^:white_check_mark: Resolved: Orders lost a column/);
    expect(JSON.stringify(closing.blocks)).toContain('_column restored_');
    expect(JSON.stringify(closing.blocks)).toContain('*By*\\nalice');
  });

  it('fails at once when Slack says the webhook is gone', async () => {
    const gone = await Receiver.start();
    gone.respond(() => ({ status: 404, body: 'no_service', headers: { 'content-type': 'text/plain' } }));
    try {
      const id = await create({ name: 'slack-gone', type: 'slack', config: { webhook_url: gone.url('/services/T/B/C') } });
      await herald.call('POST', '/v1/alerts', alert('slack_2', [id]));
      const state = await eventually(async () => {
        const s = await herald.call('GET', '/v1/alerts/slack_2');
        expect(s.body.destinations[0].state).toBe('failed');
        return s.body;
      });
      expect(state.destinations[0].events[0].attempts).toHaveLength(1);
      expect(state.destinations[0].events[0].attempts[0].error).toMatch(/Slack refused the webhook: no_service/);
      await herald.call('POST', '/v1/alerts/slack_2/dismiss', {});
    } finally {
      await gone.close();
    }
  });
});
