// /metrics in Prometheus text format, scraped and parsed the way Prometheus would read it.
import { parsePrometheusTextFormat } from '../support/prometheus';
import { eventually } from '../support/eventually';
import { Receiver } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';

let herald: TestHerald;
let receiver: Receiver;
beforeAll(async () => {
  herald = await startHerald();
  receiver = await Receiver.start();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

async function scrape() {
  const res = await fetch(`${herald.url}/metrics`, { headers: { authorization: `Bearer ${herald.apiKey}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain;.*version=0\.0\.4/);
  return parsePrometheusTextFormat(await res.text());
}

test('counts alerts, deliveries by type and outcome, attempt latency, requests and open alerts', async () => {
  expect((await fetch(`${herald.url}/metrics`)).status).toBe(401);
  receiver.respond((_req, i) => (i === 0 ? { status: 500 } : { status: 200 }));
  const hook = await herald.call('POST', '/v1/destinations', { name: 'metrics-hook', type: 'webhook', config: { url: receiver.url() }, retry_schedule: [0, 0.2] });
  await herald.call('POST', '/v1/alerts', { id: 'metrics_1', title: 'M', destinations: [hook.body.id] });
  await herald.call('POST', '/v1/alerts', { id: 'metrics_1', title: 'M', destinations: [hook.body.id] });
  await receiver.waitFor(2);

  const metrics = await eventually(async () => {
    const m = await scrape();
    expect(m.value('herald_delivery_attempts_total', { destination_type: 'webhook', outcome: 'delivered' })).toBe(1);
    expect(m.value('herald_alerts', { state: 'open' })).toBeGreaterThanOrEqual(1);
    return m;
  });
  expect(metrics.value('herald_alerts_total', { action: 'triggered' })).toBe(1);
  expect(metrics.value('herald_alerts_total', { action: 'deduplicated' })).toBe(1);
  expect(metrics.value('herald_delivery_attempts_total', { destination_type: 'webhook', outcome: 'retryable_failure' })).toBe(1);
  expect(metrics.value('herald_delivery_attempt_duration_seconds_count', { destination_type: 'webhook' })).toBe(2);
  expect(metrics.value('herald_http_request_duration_seconds_count', { method: 'POST', route: '/v1/alerts/', status: '202' })).toBe(1);
  expect(metrics.names()).toContain('herald_process_cpu_seconds_total');

  await herald.call('POST', '/v1/alerts/metrics_1/resolve', {});
  await eventually(async () => expect((await scrape()).value('herald_alerts_total', { action: 'resolved' })).toBe(1));
});
