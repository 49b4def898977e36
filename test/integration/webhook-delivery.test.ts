// Alerts through the real stack: API → Temporal dev server → worker → signed webhook to a real
// receiver on loopback, which verifies both signatures the way a user's endpoint would.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { eventually } from '../support/eventually';
import { Receiver, type Received } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';

/** The X-Herald-Signature recipe of README "What a webhook receiver gets", in TypeScript. */
function verifyHeraldSignature(payload: string, signature: string, secret: string): boolean {
  const expected = `sha256=${createHmac('sha256', secret).update(payload).digest('hex')}`;
  return expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}

function verifyStandardWebhook(r: Received, secret: string): unknown {
  return new Webhook(secret).verify(r.body, {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  });
}

describe('webhook delivery on a real Temporal server', () => {
  let herald: TestHerald;
  let receiver: Receiver;

  beforeAll(async () => {
    herald = await startHerald();
  });
  afterAll(async () => {
    await herald.stop();
  });
  beforeEach(async () => {
    receiver = await Receiver.start();
  });
  afterEach(async () => {
    await receiver.close();
  });

  async function createDestination(name: string, extra: Record<string, unknown> = {}) {
    const res = await herald.call('POST', '/v1/destinations', {
      name,
      type: 'webhook',
      config: { url: receiver.url(), headers: { 'X-Team': 'data' } },
      retry_schedule: [0, 0.3, 0.3, 0.3],
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; config: { signing_secret: string } };
  }

  it('delivers a signed alert.triggered, then alert.resolved after a resolve, and reports every attempt', async () => {
    const destination = await createDestination('signed-hook');
    const secret = destination.config.signing_secret;
    expect(secret).toMatch(/^whsec_/);

    const trigger = await herald.call('POST', '/v1/alerts', {
      id: 'alert_signed_1',
      title: 'Production Schema Changes',
      severity: 'critical',
      labels: { env: 'production' },
      event: { type: 'schema_change', change_type: 'column_removed', asset: { qualified_name: 'production.public.orders', asset_type: 'table' } },
      links: { alert_url: 'https://example.com/alerts/alert_signed_1' },
      destinations: [destination.id],
      team: 'data-platform',
    });
    expect(trigger.status).toBe(202);
    expect(trigger.body).toMatchObject({ id: 'alert_signed_1', workflow_id: 'alert:alert_signed_1', status: 'triggered', deduplicated: false });
    expect(trigger.body.links.temporal_ui).toContain(encodeURIComponent('alert:alert_signed_1'));

    const [first] = await receiver.waitFor(1);
    expect(first!.headers['x-herald-event']).toBe('alert.triggered');
    expect(first!.headers['x-team']).toBe('data');
    expect(first!.headers['user-agent']).toMatch(/^Herald\//);
    expect(first!.headers['x-herald-delivery']).toBe(first!.headers['webhook-id']);
    expect(verifyHeraldSignature(first!.body, String(first!.headers['x-herald-signature']), secret)).toBe(true);
    expect(verifyHeraldSignature(first!.body, String(first!.headers['x-herald-signature']), `${secret}x`)).toBe(false);
    const payload = verifyStandardWebhook(first!, secret) as any;
    expect(payload).toMatchObject({
      event_type: 'alert.triggered',
      alert: { id: 'alert_signed_1', rule_name: 'Production Schema Changes', alert_type: 'schema_change', status: 'triggered', team: 'data-platform' },
      event: { type: 'schema_change', change_type: 'column_removed', asset: { qualified_name: 'production.public.orders' } },
      links: { alert_url: 'https://example.com/alerts/alert_signed_1' },
    });

    const resolve = await herald.call('POST', '/v1/alerts/alert_signed_1/resolve', { by: 'alice', reason: 'column restored' });
    expect(resolve.status).toBe(202);
    const [, second] = await receiver.waitFor(2);
    expect(second!.headers['x-herald-event']).toBe('alert.resolved');
    expect(second!.headers['x-herald-delivery']).not.toBe(first!.headers['x-herald-delivery']);
    expect(verifyStandardWebhook(second!, secret)).toMatchObject({
      event_type: 'alert.resolved',
      alert: { status: 'resolved', closed_by: 'alice', close_reason: 'column restored' },
    });

    const state = await eventually(async () => {
      const res = await herald.call('GET', '/v1/alerts/alert_signed_1');
      expect(res.status).toBe(200);
      expect(res.body.destinations[0].events).toHaveLength(2);
      expect(res.body.destinations[0].state).toBe('delivered');
      return res.body;
    });
    expect(state).toMatchObject({ id: 'alert_signed_1', status: 'resolved', delivery_state: 'delivered' });
    const [triggered, resolved] = state.destinations[0].events;
    expect(triggered).toMatchObject({ event_type: 'alert.triggered', state: 'delivered', delivery_id: first!.headers['x-herald-delivery'] });
    expect(triggered.attempts[0]).toMatchObject({ attempt: 1, status_code: 200 });
    expect(typeof triggered.attempts[0].duration_ms).toBe('number');
    expect(Date.parse(triggered.attempts[0].started_at)).not.toBeNaN();
    expect(resolved).toMatchObject({ event_type: 'alert.resolved', state: 'delivered' });

    // Closed: a second resolve and a re-trigger with the same id are conflicts.
    expect((await herald.call('POST', '/v1/alerts/alert_signed_1/resolve', {})).status).toBe(409);
    const again = await herald.call('POST', '/v1/alerts', { id: 'alert_signed_1', title: 'again', destinations: [destination.id] });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('alert_closed');
  });

  it('retries a receiver that fails twice with the same delivery id, then succeeds', async () => {
    receiver.respond((_req, index) => (index < 2 ? { status: 500, body: 'boom' } : { status: 200, body: 'ok' }));
    const destination = await createDestination('flaky-hook');
    const trigger = await herald.call('POST', '/v1/alerts', { id: 'alert_flaky_1', title: 'Flaky', destinations: [destination.id] });
    expect(trigger.status).toBe(202);

    const requests = await receiver.waitFor(3);
    const ids = requests.map((r) => r.headers['x-herald-delivery']);
    expect(new Set(ids).size).toBe(1);
    expect(requests.map((r) => r.headers['webhook-id'])).toEqual(ids);
    for (const r of requests) verifyStandardWebhook(r, destination.config.signing_secret);

    const state = await eventually(async () => {
      const res = await herald.call('GET', '/v1/alerts/alert_flaky_1');
      expect(res.body.destinations[0].state).toBe('delivered');
      return res.body;
    });
    const attempts = state.destinations[0].events[0].attempts;
    expect(attempts.map((a: any) => a.status_code)).toEqual([500, 500, 200]);
    expect(attempts[0].error).toBe('receiver answered HTTP 500');
    expect(attempts[0].response_excerpt).toBe('boom');
    expect(attempts[2].response_excerpt).toBe('ok');
    await herald.call('POST', '/v1/alerts/alert_flaky_1/dismiss', { by: 'bob' });
    const [dismissed] = await receiver.waitFor(1, (r) => r.headers['x-herald-event'] === 'alert.dismissed');
    expect(JSON.parse(dismissed!.body).alert).toMatchObject({ status: 'dismissed', closed_by: 'bob' });
  });

  it('deduplicates a second trigger while the alert is open', async () => {
    const destination = await createDestination('dedup-hook');
    const body = { id: 'alert_dup_1', title: 'Duplicate', destinations: [destination.id] };
    expect((await herald.call('POST', '/v1/alerts', body)).status).toBe(202);
    const second = await herald.call('POST', '/v1/alerts', body);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: 'alert_dup_1', deduplicated: true, status: 'triggered' });
    await receiver.waitFor(1);
    await herald.call('POST', '/v1/alerts/alert_dup_1/resolve', {});
    await receiver.waitFor(2);
    expect(receiver.requests.filter((r) => r.headers['x-herald-event'] === 'alert.triggered')).toHaveLength(1);
  });

  it('marks the lane failed once the schedule is exhausted, and fails at once on 410 Gone', async () => {
    receiver.respond((req) => (req.path === '/gone' ? { status: 410 } : { status: 503, headers: { 'retry-after': '0' } }));
    const failing = await createDestination('always-503');
    const gone = await herald.call('POST', '/v1/destinations', {
      name: 'gone-hook',
      type: 'webhook',
      config: { url: receiver.url('/gone') },
      retry_schedule: [0, 0.3],
    });
    await herald.call('POST', '/v1/alerts', { id: 'alert_fail_1', title: 'Fails', destinations: [failing.id, gone.body.id] });
    const state = await eventually(async () => {
      const res = await herald.call('GET', '/v1/alerts/alert_fail_1');
      expect(res.body.destinations.map((d: any) => d.state)).toEqual(['failed', 'failed']);
      return res.body;
    });
    expect(state.delivery_state).toBe('failed');
    expect(state.destinations[0].events[0].attempts).toHaveLength(4);
    expect(state.destinations[1].events[0].attempts).toHaveLength(1);
    expect(state.destinations[1].events[0].attempts[0].error).toMatch(/410 Gone/);
    // The destination is flagged for a person; later events fail at once until it is changed.
    const flagged = await herald.call('GET', `/v1/destinations/${gone.body.id}`);
    expect(flagged.body.needs_attention).toMatch(/410 Gone/);
    await herald.call('POST', '/v1/alerts/alert_fail_1/dismiss', {});
    const after = await eventually(async () => {
      const res = await herald.call('GET', '/v1/alerts/alert_fail_1');
      expect(res.body.destinations[1].events).toHaveLength(2);
      expect(res.body.destinations[1].events[1].state).toBe('failed');
      return res.body;
    });
    expect(after.destinations[1].events[1].attempts[0].error).toMatch(/needs attention/);
    expect(receiver.requests.filter((r) => r.path === '/gone')).toHaveLength(1);
    const fixed = await herald.call('PATCH', `/v1/destinations/${gone.body.id}`, { config: { url: receiver.url('/fixed') } });
    expect(fixed.body.needs_attention).toBeNull();
  });

  it('redelivers a failed lane on request, with the same delivery ids, and refuses what cannot be redelivered', async () => {
    let up = false;
    receiver.respond((req) => (req.path === '/ok' || up ? { status: 200 } : { status: 500 }));
    const failing = await createDestination('redeliver-me', { retry_schedule: [0] });
    const fine = await herald.call('POST', '/v1/destinations', { name: 'fine-hook', type: 'webhook', config: { url: receiver.url('/ok') } });
    await herald.call('POST', '/v1/alerts', { id: 'alert_redeliver_1', title: 'Redeliver', destinations: [failing.id, fine.body.id] });
    await herald.call('POST', '/v1/alerts/alert_redeliver_1/resolve', {});
    await eventually(async () => {
      const res = await herald.call('GET', '/v1/alerts/alert_redeliver_1');
      expect(res.body.destinations.map((d: { state: string }) => d.state)).toEqual(['failed', 'delivered']);
      expect(res.body.destinations[0].events).toHaveLength(2);
    });
    const failedIds = receiver.requests.filter((r) => r.path === '/hook').map((r) => r.headers['x-herald-delivery']);

    expect((await herald.call('POST', '/v1/alerts/alert_redeliver_1/deliveries/dst_unknown/redeliver', {})).status).toBe(404);
    const notFailed = await herald.call('POST', `/v1/alerts/alert_redeliver_1/deliveries/${fine.body.id}/redeliver`, {});
    expect(notFailed.status).toBe(409);
    expect(notFailed.body.error.code).toBe('not_failed');
    // A closed alert with a failed lane is not open for a new trigger.
    expect((await herald.call('POST', '/v1/alerts', { id: 'alert_redeliver_1', title: 'again' })).status).toBe(409);

    up = true;
    const accepted = await herald.call('POST', `/v1/alerts/alert_redeliver_1/deliveries/${failing.id}/redeliver`, { by: 'operator' });
    expect(accepted.status).toBe(202);
    const state = await eventually(async () => {
      const res = await herald.call('GET', '/v1/alerts/alert_redeliver_1');
      expect(res.body.destinations[0].state).toBe('delivered');
      return res.body;
    });
    expect(state.destinations[0].events.map((e: { attempts: unknown[] }) => e.attempts.length)).toEqual([2, 2]);
    const again = receiver.requests.filter((r) => r.path === '/hook').map((r) => r.headers['x-herald-delivery']).slice(failedIds.length);
    expect(again).toEqual(failedIds); // the triggered and resolved events again, with their own ids
    // Every lane delivered: the workflow completes, and there is nothing left to redeliver.
    await eventually(async () => {
      const res = await herald.call('POST', `/v1/alerts/alert_redeliver_1/deliveries/${failing.id}/redeliver`, {});
      expect(res.status).toBe(409);
    });
  });
});
