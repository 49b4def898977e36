// Destinations that tell their owners and recover in one call, on the real dev server with loopback
// receivers: operational events (README "Operational events") at an operations webhook as circuits
// open and close, events exhaust their schedule and a long outage disables a destination; health from
// the attempt log (README "Destination health"); bulk recovery (README "Bulk recovery").
import { Webhook } from 'standardwebhooks';
import { eventually } from '../support/eventually';
import { Receiver, type Received } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';

let herald: TestHerald;
let receiver: Receiver;
let ops: Receiver;
let opsSecret: string;

beforeAll(async () => {
  herald = await startHerald({ env: { HERALD_OPERATIONS_DESTINATIONS: 'operations-hook' } });
  receiver = await Receiver.start();
  ops = await Receiver.start();
  const created = await herald.call('POST', '/v1/destinations', { name: 'operations-hook', type: 'webhook', config: { url: ops.url() }, retry_schedule: [0, 1, 1] });
  expect(created.status).toBe(201);
  opsSecret = created.body.config.signing_secret;
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
  await ops.close();
});

const opsEventsAbout = (destinationId: string) =>
  ops.requests.map((r) => JSON.parse(r.body)).filter((e) => e.event?.details?.destination?.id === destinationId);
const alertEvents = (alertId: string) => receiver.requests.filter((r) => r.headers['x-herald-event'] && JSON.parse(r.body).alert?.id === alertId).map((r) => r.headers['x-herald-event']);
const verified = (r: Received) => new Webhook(opsSecret).verify(r.body, r.headers as Record<string, string>);

async function destination(name: string, extra: Record<string, unknown>) {
  const created = await herald.call('POST', '/v1/destinations', { name, type: 'webhook', config: { url: receiver.url(`/${name}`) }, timeout_s: 2, ...extra });
  expect([created.status, created.body.error]).toEqual([201, undefined]);
  return created.body.id as string;
}

test('a circuit opening and closing reaches the operations destination, signed, in order; health shows the failures', async () => {
  receiver.respond((r) => (r.path === '/flaky' ? { status: 503, body: 'down' } : { status: 200, body: '{}' }));
  const flaky = await destination('flaky', { retry_schedule: [0, ...Array(10).fill(1)], circuit_breaker: { failure_threshold: 3, cooldown_s: 1, max_cooldown_s: 2 } });
  for (let i = 0; i < 5; i++) expect((await herald.call('POST', '/v1/alerts', { id: `ops_${i}`, title: `Ops ${i}`, destinations: [flaky] })).status).toBe(202);
  await eventually(async () => expect(opsEventsAbout(flaky).map((e) => e.event_type)).toContain('destination.circuit_opened'), 30_000);

  const health = await herald.call('GET', `/v1/destinations/${flaky}/health`);
  expect(health.status).toBe(200);
  expect(health.body.windows.last_hour).toMatchObject({ attempts: expect.any(Number), succeeded: 0, success_ratio: 0, latency_ms: { p50: expect.any(Number), p99: expect.any(Number) } });
  expect(health.body.windows.last_hour.failed).toBeGreaterThanOrEqual(3);
  expect(health.body.windows.last_day.attempts).toBe(health.body.windows.last_hour.attempts);
  expect(health.body.last_errors[0]).toMatchObject({ status_code: 503, error: expect.stringContaining('503') });
  expect(health.body.circuit.state).toMatch(/^(open|half_open)$/);

  receiver.respond(() => ({ status: 200, body: '{}' }));
  await eventually(async () => expect(opsEventsAbout(flaky).map((e) => e.event_type)).toContain('destination.circuit_closed'), 30_000);
  for (let i = 0; i < 5; i++) await eventually(async () => expect((await herald.call('GET', `/v1/alerts/ops_${i}`)).body.delivery_state).toBe('delivered'), 30_000);

  const [opened, closed] = opsEventsAbout(flaky);
  expect([opened.event_type, closed.event_type]).toEqual(['destination.circuit_opened', 'destination.circuit_closed']);
  // One outage: the same subject (one PagerDuty dedup key, one incident), opened then resolved.
  expect(opened.alert.id).toBe(closed.alert.id);
  expect(opened.alert).toMatchObject({ status: 'triggered', severity: 'error', labels: { herald_destination_name: 'flaky' } });
  expect(closed.alert.status).toBe('resolved');
  expect(opened.event.details).toMatchObject({ destination: { id: flaky, name: 'flaky', type: 'webhook' }, last_error: expect.stringContaining('503'), consecutive_failures: 3 });
  for (const r of ops.requests) expect(() => verified(r)).not.toThrow();

  const after = (await herald.call('GET', `/v1/destinations/${flaky}/health`)).body;
  expect(after.windows.last_hour.succeeded).toBeGreaterThanOrEqual(5);
  expect(after.circuit.state).toBe('closed');
  const metrics = await (await fetch(`${herald.url}/metrics`, { headers: { authorization: `Bearer ${herald.apiKey}` } })).text();
  expect(metrics).toMatch(new RegExp(`herald_destination_attempts_last_hour\\{destination_id="${flaky}",outcome="failed"\\} [1-9]`));
  expect(metrics).toMatch(new RegExp(`herald_destination_success_ratio_last_hour\\{destination_id="${flaky}"\\} 0\\.\\d+`));
}, 120_000);

test('events that exhausted their schedule are reported, and one recover call redelivers every one of them once, in order', async () => {
  receiver.respond((r) => (r.path === '/exhausting' ? { status: 500, body: 'broken' } : { status: 200, body: '{}' }));
  // One attempt each and no circuit: every event fails for good at once.
  const hook = await destination('exhausting', { retry_schedule: [0], circuit_breaker: { failure_threshold: 0 } });
  const before = new Date(Date.now() - 1000).toISOString();
  const ALERTS = 10;
  for (let i = 0; i < ALERTS; i++) {
    expect((await herald.call('POST', '/v1/alerts', { id: `rec_${i}`, title: `Recover ${i}`, destinations: [hook] })).status).toBe(202);
    expect((await herald.call('POST', `/v1/alerts/rec_${i}/events`, { description: 'worse' })).status).toBe(202);
  }
  for (let i = 0; i < ALERTS; i++) await eventually(async () => expect((await herald.call('GET', `/v1/alerts/rec_${i}`)).body.destinations[0].state).toBe('failed'), 30_000);
  await eventually(async () => expect(opsEventsAbout(hook).filter((e) => e.event_type === 'delivery.exhausted')).toHaveLength(2 * ALERTS), 30_000);
  const exhausted = opsEventsAbout(hook).find((e) => e.event_type === 'delivery.exhausted');
  expect(exhausted.event.details).toMatchObject({ alert_id: expect.stringMatching(/^rec_/), attempts: 1, error: expect.stringContaining('500') });

  expect((await herald.call('POST', `/v1/destinations/${hook}/recover`, { since: new Date(Date.now() + 60_000).toISOString() })).body.error.details[0].path).toBe('since');
  receiver.respond(() => ({ status: 200, body: '{}' }));
  const recovered = await herald.call('POST', `/v1/destinations/${hook}/recover`, { since: before, by: 'ops test' });
  expect(recovered.status).toBe(202);
  expect(recovered.body).toMatchObject({ destination_id: hook, alerts_queued: ALERTS, events_queued: 2 * ALERTS, alerts_ended: 0 });
  for (let i = 0; i < ALERTS; i++) {
    await eventually(async () => expect((await herald.call('GET', `/v1/alerts/rec_${i}`)).body.destinations[0].state).toBe('delivered'), 30_000);
    // The failed attempt, then the recovered one: each event once more, the trigger first.
    expect(alertEvents(`rec_${i}`)).toEqual(['alert.triggered', 'alert.updated', 'alert.triggered', 'alert.updated']);
  }
  // Nothing left to recover: a second call queues nothing.
  expect((await herald.call('POST', `/v1/destinations/${hook}/recover`, { since: before })).body).toMatchObject({ alerts_queued: 0, events_queued: 0 });
  const audit = (await herald.call('GET', '/v1/audit')).body.data;
  expect(audit.find((a: { action: string }) => a.action === 'destination.recovered')).toMatchObject({ target: { id: hook } });
}, 120_000);

test('an outage longer than disable_after_s disables the destination: its lanes fail, it is reported, a PATCH enables it again', async () => {
  receiver.respond((r) => (r.path === '/dead' ? { status: 502, body: 'bad gateway' } : { status: 200, body: '{}' }));
  const dead = await destination('dead', { retry_schedule: [0, ...Array(19).fill(1)], circuit_breaker: { failure_threshold: 2, cooldown_s: 1, max_cooldown_s: 1, disable_after_s: 3 } });
  for (let i = 0; i < 3; i++) expect((await herald.call('POST', '/v1/alerts', { id: `dis_${i}`, title: `Disabled ${i}`, destinations: [dead] })).status).toBe(202);
  await eventually(async () => expect((await herald.call('GET', `/v1/destinations/${dead}`)).body.needs_attention).toMatch(/^disabled after an outage of \d+s/), 30_000);
  await eventually(async () => expect(opsEventsAbout(dead).map((e) => e.event_type)).toEqual(['destination.circuit_opened', 'destination.disabled']), 30_000);
  // The held lanes were told: they fail now, not at their backstop, and can be redelivered.
  for (let i = 0; i < 3; i++) {
    await eventually(async () => {
      const lane = (await herald.call('GET', `/v1/alerts/dis_${i}`)).body.destinations[0];
      expect(lane.state).toBe('failed');
    }, 30_000);
  }
  receiver.respond(() => ({ status: 200, body: '{}' }));
  const patched = await herald.call('PATCH', `/v1/destinations/${dead}`, { enabled: true });
  expect(patched.body).toMatchObject({ needs_attention: null, circuit: { state: 'closed' } });
  expect((await herald.call('POST', `/v1/destinations/${dead}/recover`, { since: '2026-01-01T00:00:00Z' })).body.alerts_queued).toBe(3);
  for (let i = 0; i < 3; i++) await eventually(async () => expect((await herald.call('GET', `/v1/alerts/dis_${i}`)).body.delivery_state).toBe('delivered'), 30_000);
}, 120_000);
