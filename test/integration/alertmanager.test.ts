// Herald as the webhook receiver of a real Prometheus Alertmanager: firing entries trigger, repeats
// join the open alert, resolved entries resolve, and a Herald restart between firing and resolve
// still delivers the resolve. Deliveries go to a loopback webhook receiver and the incident.io fake.
import { Alertmanager } from '../support/alertmanager';
import { eventually } from '../support/eventually';
import { FakeIncidentIo, STATUSES } from '../support/fakes/incident-io';
import { parsePrometheusTextFormat } from '../support/prometheus';
import { Receiver } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';

const INCIDENT_KEY = 'inc_alertmanager_0123456789abc';
let herald: TestHerald;
let alertmanager: Alertmanager;
let webhook: Receiver;
let incidents: FakeIncidentIo;

beforeAll(async () => {
  herald = await startHerald();
  webhook = await Receiver.start();
  incidents = await FakeIncidentIo.start(INCIDENT_KEY);
  const hook = await herald.call('POST', '/v1/destinations', { name: 'am-hook', type: 'webhook', config: { url: webhook.url() } });
  const inc = await herald.call('POST', '/v1/destinations', { name: 'am-incidents', type: 'incident_io', config: { api_key: INCIDENT_KEY, base_url: incidents.url(), closed_status_id: STATUSES.closed.id } });
  await herald.call('POST', '/v1/rules', { name: 'prometheus', match: { event_types: ['prometheus_alert'] }, destination_ids: [hook.body.id, inc.body.id] });
  alertmanager = await Alertmanager.start(`
route:
  receiver: herald
  group_by: ['alertname', 'instance']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 2s
receivers:
  - name: herald
    webhook_configs:
      - url: ${herald.url}/v1/sources/alertmanager
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: ${herald.apiKey}
`);
}, 60_000);
afterAll(async () => {
  await alertmanager?.stop();
  await herald?.stop();
  await webhook?.close();
  await incidents?.close();
});

const startsAt = new Date(Date.now() - 60_000).toISOString();
const alerts = (endsAt?: string) => [
  { labels: { alertname: 'DiskFull', instance: 'db1:9100', job: 'node', severity: 'critical' }, annotations: { summary: 'Disk full on db1', description: '98% used' }, startsAt, ...(endsAt && { endsAt }), generatorURL: 'http://prometheus.example/graph?g0.expr=disk' },
  { labels: { alertname: 'HighLatency', instance: 'api1:8080', job: 'api', severity: 'page' }, annotations: { summary: 'p99 over 2s' }, startsAt, ...(endsAt && { endsAt }) },
];
const bodies = () => webhook.requests.map((r) => JSON.parse(r.body));

test('firing, repeats, a Herald restart, then resolve', async () => {
  await alertmanager.post(alerts());
  await webhook.waitFor(2, (r) => r.headers['x-herald-event'] === 'alert.triggered');
  await eventually(async () => expect(incidents.incidents.size).toBe(2));
  const triggered = bodies().filter((b) => b.event_type === 'alert.triggered');
  expect(triggered.map((b) => b.alert.title).sort()).toEqual(['Disk full on db1', 'p99 over 2s']);
  const disk = triggered.find((b) => b.alert.title === 'Disk full on db1')!;
  expect(disk).toMatchObject({
    alert: { severity: 'critical', rule_name: 'DiskFull', alert_type: 'alertmanager', labels: { alertname: 'DiskFull', instance: 'db1:9100', job: 'node' }, description: '98% used' },
    event: { type: 'prometheus_alert', asset: { qualified_name: 'db1:9100', asset_type: 'instance' } },
    links: { generator: 'http://prometheus.example/graph?g0.expr=disk' },
  });
  expect(disk.alert.id).toMatch(/^am-[0-9a-f]+-\d+$/);
  expect(triggered.find((b) => b.alert.title === 'p99 over 2s')!.alert.severity).toBe('critical'); // "page"

  // Alertmanager repeats the groups (repeat_interval 2s): Herald joins the open alerts, nothing new.
  const scrape = async () => parsePrometheusTextFormat(await (await fetch(`${herald.url}/metrics`, { headers: { authorization: `Bearer ${herald.apiKey}` } })).text());
  await eventually(async () => expect((await scrape()).value('herald_alerts_total', { action: 'deduplicated' }) ?? 0).toBeGreaterThanOrEqual(2), 30_000);
  const repeats = (await scrape()).value('herald_alerts_total', { action: 'deduplicated' });
  expect(bodies().filter((b) => b.event_type === 'alert.triggered')).toHaveLength(2);
  expect(incidents.incidents.size).toBe(2);

  // Herald restarts between the firing and the resolve (same port, data and task queue).
  const config = herald.config;
  await herald.stop();
  herald = await startHerald({ config });

  await alertmanager.post(alerts(new Date(Date.now() - 1000).toISOString()));
  await webhook.waitFor(2, (r) => r.headers['x-herald-event'] === 'alert.resolved', 30_000);
  for (const id of [...new Set(bodies().map((b) => b.alert.id))]) {
    const events = bodies().filter((b) => b.alert.id === id).map((b) => b.event_type);
    expect(events[0]).toBe('alert.triggered');
    expect(events.at(-1)).toBe('alert.resolved');
    expect(events.filter((e) => e === 'alert.triggered')).toHaveLength(1);
    const resolved = bodies().find((b) => b.alert.id === id && b.event_type === 'alert.resolved');
    expect(resolved.alert).toMatchObject({ status: 'resolved', closed_by: 'alertmanager', end_timestamp: expect.any(String) });
  }
  await eventually(async () => expect([...incidents.incidents.values()].map((i) => i.status.category)).toEqual(['closed', 'closed']));
  expect(incidents.contractViolations).toEqual([]);
  const count = (type: string) => bodies().filter((b) => b.event_type === type).length;
  console.log(
    `alertmanager: 2 firing entries → ${new Set(bodies().map((b) => b.alert.id)).size} alerts, ${count('alert.triggered')} triggered webhooks, ` +
      `${repeats} repeats joined the open alerts, Herald restarted, ${count('alert.resolved')} resolved webhooks, ` +
      `${incidents.incidents.size} incidents opened and closed (${incidents.creates.length} create requests)`,
  );
}, 120_000);
