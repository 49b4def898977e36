// Every answer of the API is what /openapi.json says it is: a Herald on the real dev server is driven
// through every documented operation (receivers and the PagerDuty fake on loopback), and each answer
// (status, media type, body) is checked against the description it serves itself, as it arrives:
// an undocumented status, another media type or a body the schema refuses fails the test. At the
// end, every documented operation must have answered with success at least once.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { AnswerChecker, type Answer, type OpenApiDocument } from '../support/answer-checker';
import { eventually } from '../support/eventually';
import { FakePagerDuty } from '../support/fakes/pagerduty';
import { startHerald, type TestHerald } from '../support/herald';
import { Receiver } from '../support/receiver';

const ADMIN = `admin-${randomBytes(12).toString('hex')}`;
const READER = `reader-${randomBytes(12).toString('hex')}`;
const PD_SECRET = 'pd-answers-secret-0123456789abcdef';
const IIO_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';

let herald: TestHerald;
let hook: Receiver;
let failing: Receiver;
let pagerduty: FakePagerDuty;
let checker: AnswerChecker;
const answers: Answer[] = [];

beforeAll(async () => {
  herald = await startHerald({ env: { HERALD_API_KEYS: `${ADMIN},${READER}:read`, HERALD_PAGERDUTY_WEBHOOK_SECRETS: PD_SECRET, HERALD_INCIDENT_IO_WEBHOOK_SECRETS: IIO_SECRET } });
  hook = await Receiver.start();
  failing = await Receiver.start();
  failing.respond(() => ({ status: 500, body: '{"error":"down"}' }));
  pagerduty = await FakePagerDuty.start();
  checker = new AnswerChecker((await (await fetch(`${herald.url}/openapi.json`)).json()) as OpenApiDocument);
});
afterAll(async () => {
  await herald?.stop();
  await hook?.close();
  await failing?.close();
  await pagerduty?.close();
});

type Call = {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** The API key to send; null sends none. */
  key?: string | null;
  headers?: Record<string, string>;
  /** Another Herald than the one under test (its own description is the same). */
  base?: string;
};

/** Calls `method template` and checks the answer against the description at once; answers the status and the parsed body. */
async function call(method: string, template: string, opts: Call = {}): Promise<{ status: number; body: any }> {
  const urlPath = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(opts.params?.[name] ?? `missing-${name}`));
  const query = opts.query ? `?${new URLSearchParams(opts.query)}` : '';
  const key = opts.key === undefined ? ADMIN : opts.key;
  const res = await fetch(`${opts.base ?? herald.url}${urlPath}${query}`, {
    method,
    headers: {
      ...(key !== null && { authorization: `Bearer ${key}` }),
      ...(opts.body !== undefined && { 'content-type': 'application/json' }),
      ...opts.headers,
    },
    ...(opts.body !== undefined && { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }),
  });
  const text = await res.text();
  const answer: Answer = { method, path: template, status: res.status, contentType: res.headers.get('content-type'), body: text };
  answers.push(answer);
  expect(checker.problems(answer)).toEqual([]);
  const json = answer.contentType?.startsWith('application/json') && text ? JSON.parse(text) : text;
  return { status: res.status, body: json };
}

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();

const ids: Record<string, string> = {};

test('the routes outside /v1: health, readiness, metrics and this document', async () => {
  expect((await call('GET', '/healthz', { key: null })).status).toBe(200);
  expect((await call('GET', '/readyz', { key: null })).status).toBe(200);
  expect((await call('GET', '/metrics', { key: READER })).status).toBe(200);
  expect((await call('GET', '/metrics', { key: null })).status).toBe(401);
  expect((await call('GET', '/openapi.json', { key: null })).status).toBe(200);
});

test('destinations: create, read, change, secrets, tests, delete; refusals', async () => {
  const created = await call('POST', '/v1/destinations', { body: { name: 'answers-hook', type: 'webhook', config: { url: hook.url(), headers: { 'X-Team': 'db' } }, filters: { severities: ['critical', 'warning'] } } });
  expect(created.status).toBe(201);
  ids.hook = created.body.id;
  ids.failing = (await call('POST', '/v1/destinations', { body: { name: 'answers-failing', type: 'webhook', config: { url: failing.url() }, retry_schedule: [0] } })).body.id;
  ids.pd = (await call('POST', '/v1/destinations', { body: { name: 'answers-pd', type: 'pagerduty', config: { routing_key: ROUTING_KEY, base_url: pagerduty.url() } } })).body.id;
  expect((await call('POST', '/v1/destinations', { body: { name: 'answers-hook', type: 'webhook', config: { url: hook.url() } } })).status).toBe(409);
  expect((await call('POST', '/v1/destinations', { body: { name: 'answers-bad', type: 'webhook', config: { url: 'ftp://nope' } } })).status).toBe(400);
  expect((await call('POST', '/v1/destinations', { key: READER, body: { name: 'answers-ro', type: 'webhook', config: { url: hook.url() } } })).status).toBe(403);
  expect((await call('GET', '/v1/destinations', { key: 'not-a-key' })).status).toBe(401);

  expect((await call('GET', '/v1/destinations', { key: READER })).body.data).toHaveLength(3);
  expect((await call('GET', '/v1/destinations/{id}', { params: { id: ids.hook } })).status).toBe(200);
  expect((await call('GET', '/v1/destinations/{id}', { params: { id: 'dst_nope' } })).status).toBe(404);
  expect((await call('PATCH', '/v1/destinations/{id}', { params: { id: ids.hook }, body: { timeout_s: 5, rate_limit: null } })).status).toBe(200);
  expect((await call('PATCH', '/v1/destinations/{id}', { params: { id: ids.hook }, body: { timeout_s: 500 } })).status).toBe(400);

  expect((await call('GET', '/v1/destinations/{id}/secret', { params: { id: ids.hook } })).status).toBe(200);
  expect((await call('GET', '/v1/destinations/{id}/secret', { params: { id: ids.pd } })).status).toBe(409);
  expect((await call('POST', '/v1/destinations/{id}/secret/rotate', { params: { id: ids.hook } })).status).toBe(200);
  expect((await call('POST', '/v1/destinations/{id}/secret/rotate', { params: { id: ids.pd } })).status).toBe(409);
  expect((await call('POST', '/v1/destinations/{id}/secret/rotate', { params: { id: 'dst_nope' } })).status).toBe(404);

  expect((await call('POST', '/v1/destinations/test', { body: { name: 'unsaved', type: 'webhook', config: { url: hook.url() } } })).body.success).toBe(true);
  expect((await call('POST', '/v1/destinations/test', { body: { name: 'unsaved', type: 'webhook', config: { url: failing.url() } } })).body.success).toBe(false);
  expect((await call('POST', '/v1/destinations/test', { body: { type: 'webhook' } })).status).toBe(400);
  expect((await call('POST', '/v1/destinations/{id}/test', { params: { id: ids.hook } })).status).toBe(200);
  expect((await call('POST', '/v1/destinations/{id}/test', { params: { id: ids.pd } })).body.incident).toMatchObject({ provider: 'pagerduty' });

  const spare = (await call('POST', '/v1/destinations', { body: { name: 'answers-spare', type: 'slack', config: { webhook_url: hook.url('/slack') } } })).body.id;
  expect((await call('DELETE', '/v1/destinations/{id}', { params: { id: spare } })).status).toBe(204);
  expect((await call('DELETE', '/v1/destinations/{id}', { params: { id: spare } })).status).toBe(404);
});

test('rules and escalation policies', async () => {
  const rule = await call('POST', '/v1/rules', { body: { name: 'answers-db', match: { labels: { team: 'db' }, severities: ['critical'] }, destination_ids: [ids.hook], mute_windows: [] } });
  expect(rule.status).toBe(201);
  ids.rule = rule.body.id;
  expect((await call('POST', '/v1/rules', { body: { name: 'answers-prometheus', match: { event_types: ['prometheus_alert'] }, destination_ids: [ids.hook] } })).status).toBe(201);
  expect((await call('POST', '/v1/rules', { body: { name: 'answers-db', destination_ids: [ids.hook] } })).status).toBe(409);
  expect((await call('POST', '/v1/rules', { body: { name: 'answers-ghost', destination_ids: ['dst_ghost'] } })).status).toBe(422);
  expect((await call('GET', '/v1/rules')).body.data).toHaveLength(2);
  expect((await call('GET', '/v1/rules/{id}', { params: { id: ids.rule } })).status).toBe(200);
  expect((await call('PATCH', '/v1/rules/{id}', { params: { id: ids.rule }, body: { auto_resolve_after_s: 3600 } })).status).toBe(200);
  expect((await call('PATCH', '/v1/rules/{id}', { params: { id: 'rul_nope' }, body: { enabled: false } })).status).toBe(404);

  const policy = await call('POST', '/v1/escalation-policies', { body: { name: 'answers-policy', steps: [{ after_s: 0, destination_ids: [ids.hook] }, { after_s: 3600, destination_ids: [ids.hook] }] } });
  expect(policy.status).toBe(201);
  ids.policy = policy.body.id;
  expect((await call('POST', '/v1/escalation-policies', { body: { name: 'answers-policy-2', steps: [{ after_s: 0, destination_ids: ['dst_ghost'] }] } })).status).toBe(422);
  expect((await call('GET', '/v1/escalation-policies')).status).toBe(200);
  expect((await call('GET', '/v1/escalation-policies/{id}', { params: { id: ids.policy } })).status).toBe(200);
  expect((await call('PATCH', '/v1/escalation-policies/{id}', { params: { id: ids.policy }, body: { description: 'pages the hook' } })).status).toBe(200);
  ids.escalating = (await call('POST', '/v1/rules', { body: { name: 'answers-escalate', match: { labels: { escalate: 'yes' } }, escalation_policy_id: ids.policy } })).body.id;
  expect((await call('DELETE', '/v1/escalation-policies/{id}', { params: { id: ids.policy } })).status).toBe(409);
  const unused = (await call('POST', '/v1/escalation-policies', { body: { name: 'answers-unused', steps: [{ after_s: 60, destination_ids: [ids.hook] }] } })).body.id;
  expect((await call('DELETE', '/v1/escalation-policies/{id}', { params: { id: unused } })).status).toBe(204);

  const spare = (await call('POST', '/v1/rules', { body: { name: 'answers-spare', destination_ids: [ids.hook] } })).body.id;
  expect((await call('DELETE', '/v1/rules/{id}', { params: { id: spare } })).status).toBe(204);
  expect((await call('DELETE', '/v1/rules/{id}', { params: { id: spare } })).status).toBe(404);
});

/** The alert's state once every lane has settled as `settled` says. */
const stateWhen = (id: string, settled: (state: any) => boolean) =>
  eventually(async () => {
    const { status, body } = await call('GET', '/v1/alerts/{id}', { params: { id } });
    expect(status).toBe(200);
    expect(settled(body)).toBe(true);
    return body;
  }, 30_000);

test('alerts: trigger, read, update, acknowledge, close, redeliver; provider webhooks on them', async () => {
  const triggered = await call('POST', '/v1/alerts', { body: { id: 'ans_1', title: 'Replication lag', severity: 'critical', labels: { team: 'db' }, destinations: [ids.pd], links: { runbook: 'https://example.com/rb' } } });
  expect(triggered.status).toBe(202);
  expect((await call('POST', '/v1/alerts', { body: { id: 'ans_1', title: 'Replication lag', severity: 'critical' } })).body.deduplicated).toBe(true);
  expect((await call('POST', '/v1/alerts', { body: { title: 'Nowhere', destinations: ['dst_ghost'] } })).status).toBe(422);
  expect((await call('POST', '/v1/alerts', { body: { title: '' } })).status).toBe(400);
  expect((await call('POST', '/v1/alerts', { body: JSON.stringify({ title: 'big', description: 'x'.repeat(1100 * 1024) }) })).status).toBe(413);
  const state = await stateWhen('ans_1', (s) => s.destinations.length === 2 && s.destinations.every((d: any) => d.state === 'delivered'));
  expect(state.destinations.find((d: any) => d.destination_id === ids.pd).incident).toBeDefined();

  expect((await call('POST', '/v1/alerts/{id}/events', { params: { id: 'ans_1' }, body: { description: 'still lagging', labels: { shard: '3' } } })).status).toBe(202);
  expect((await call('POST', '/v1/alerts/{id}/events', { params: { id: 'ans_1' }, body: { labels: 'nope' } })).status).toBe(400);
  expect((await call('POST', '/v1/alerts/{id}/acknowledge', { params: { id: 'ans_1' }, body: { by: 'dana', until: inAnHour() } })).body.changed).toBe(true);
  await stateWhen('ans_1', (s) => s.acknowledgement?.by === 'dana');
  expect((await call('POST', '/v1/alerts/{id}/unacknowledge', { params: { id: 'ans_1' } })).status).toBe(202);

  // PagerDuty's responder acknowledges there: the alert behind the incident follows.
  const key = 'herald/alert:ans_1';
  await eventually(async () => expect(pagerduty.alerts.get(key)?.status).toBe('triggered'));
  const acked = pagerduty.responderActs(key, 'incident.acknowledged', PD_SECRET);
  expect((await call('POST', '/v1/sources/pagerduty', { key: null, body: acked.body, headers: acked.headers })).body.results).toEqual([{ alert_id: 'ans_1', action: 'acknowledge', result: 'accepted' }]);
  expect((await call('POST', '/v1/sources/pagerduty', { key: null, body: acked.body, headers: { ...acked.headers, 'x-pagerduty-signature': 'v1=00' } })).status).toBe(401);
  const other = JSON.stringify({ event: { id: 'evt_1', event_type: 'incident.priority_updated', resource_type: 'incident', occurred_at: new Date().toISOString(), agent: null, data: { id: 'Q1', type: 'incident' } } });
  const signed = { 'x-pagerduty-signature': `v1=${createHmac('sha256', PD_SECRET).update(other).digest('hex')}` };
  expect((await call('POST', '/v1/sources/pagerduty', { key: null, body: other, headers: signed })).body.ignored).toBeDefined();

  // incident.io tells of an incident Herald did not open: nothing to act on.
  const section = { incident: { id: '01HERALDANSWERS' }, new_status: { id: 'st_closed', category: 'closed', name: 'Closed' } };
  const iio = JSON.stringify({ event_type: 'public_incident.incident_status_updated_v2', 'public_incident.incident_status_updated_v2': section });
  const messageId = `msg_${randomBytes(8).toString('hex')}`;
  const at = new Date();
  const svix = { 'webhook-id': messageId, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(IIO_SECRET).sign(messageId, at, iio) };
  expect((await call('POST', '/v1/sources/incident-io', { key: null, body: iio, headers: svix })).body).toEqual({ event_type: 'public_incident.incident_status_updated_v2', incident: '01HERALDANSWERS', results: [] });
  expect((await call('POST', '/v1/sources/incident-io', { key: null, body: iio, headers: { ...svix, 'webhook-signature': 'v1,AAAA' } })).status).toBe(401);

  expect((await call('POST', '/v1/alerts/{id}/resolve', { params: { id: 'ans_1' }, body: { by: 'dana', reason: 'fixed' } })).status).toBe(202);
  await stateWhen('ans_1', (s) => s.status === 'resolved' && s.closure !== undefined);
  expect((await call('POST', '/v1/alerts/{id}/events', { params: { id: 'ans_1' }, body: { description: 'late' } })).status).toBe(409);
  expect((await call('POST', '/v1/alerts/{id}/resolve', { params: { id: 'nope_1' } })).status).toBe(404);

  // A delivery that failed for good, redelivered; rules, labels and the escalation in the state.
  await call('POST', '/v1/alerts', { body: { id: 'ans_2', title: 'Disk full', destinations: [ids.failing] } });
  await stateWhen('ans_2', (s) => s.destinations[0]?.state === 'failed');
  expect((await call('POST', '/v1/alerts/{id}/deliveries/{destination_id}/redeliver', { params: { id: 'ans_2', destination_id: ids.failing } })).status).toBe(202);
  expect((await call('POST', '/v1/alerts/{id}/deliveries/{destination_id}/redeliver', { params: { id: 'ans_2', destination_id: ids.hook } })).status).toBe(404);
  expect((await call('POST', '/v1/alerts/{id}/dismiss', { params: { id: 'ans_2' } })).status).toBe(202);
  await call('POST', '/v1/alerts', { body: { id: 'ans_3', title: 'Queue stuck', severity: 'critical', labels: { team: 'db', escalate: 'yes' } } });
  const escalated = await stateWhen('ans_3', (s) => s.escalation?.steps[0]?.fired.length === 1 && s.destinations.some((d: any) => d.rules.length > 0));
  expect(escalated.escalation.state).toBe('escalating');

  expect((await call('GET', '/v1/alerts', { key: READER, query: { status: 'resolved', page_size: '5' } })).body.data.map((a: any) => a.id)).toEqual(['ans_1']);
  expect((await call('GET', '/v1/alerts', { query: { page_size: '0' } })).status).toBe(400);
  expect((await call('GET', '/v1/alerts/{id}', { params: { id: 'nope_1' } })).status).toBe(404);
  expect((await call('GET', '/v1/destinations/{id}/health', { params: { id: ids.failing } })).body.windows.last_hour.failed).toBeGreaterThan(0);
  expect((await call('POST', '/v1/destinations/{id}/recover', { params: { id: ids.failing }, body: { since: new Date(Date.now() - 3600_000).toISOString(), by: 'dana' } })).status).toBe(202);
  expect((await call('POST', '/v1/destinations/{id}/recover', { params: { id: ids.failing }, body: { since: inAnHour() } })).status).toBe(400);
});

test('silences and inhibition rules hold alerts, and say so', async () => {
  const silence = await call('POST', '/v1/silences', { body: { matchers: [{ name: 'maintenance', value: 'yes' }], ends_at: inAnHour(), created_by: 'dana', comment: 'window' } });
  expect(silence.status).toBe(201);
  expect((await call('POST', '/v1/silences', { body: { matchers: [{ name: 'x', value: 'y' }], ends_at: '2001-01-01T00:00:00Z', created_by: 'dana' } })).status).toBe(400);
  await call('POST', '/v1/alerts', { body: { id: 'ans_silenced', title: 'During maintenance', labels: { maintenance: 'yes' }, destinations: [ids.hook] } });
  await stateWhen('ans_silenced', (s) => s.silenced !== undefined);
  expect((await call('GET', '/v1/silences', { key: READER, query: { state: 'active' } })).body.data).toHaveLength(1);
  expect((await call('GET', '/v1/silences/{id}', { params: { id: silence.body.id } })).body.holding).toEqual(['ans_silenced']);
  expect((await call('DELETE', '/v1/silences/{id}', { params: { id: silence.body.id } })).body.released).toEqual(['ans_silenced']);
  expect((await call('GET', '/v1/silences/{id}', { params: { id: 'sil_0' } })).status).toBe(404);

  const rule = await call('POST', '/v1/inhibit-rules', { body: { name: 'answers-outage', source_matchers: [{ name: 'alertname', value: 'DatacenterDown' }], target_matchers: [{ name: 'dc', op: '=~', value: '.+' }], equal: ['dc'] } });
  expect(rule.status).toBe(201);
  expect((await call('POST', '/v1/inhibit-rules', { body: { name: 'answers-bad', source_matchers: [], target_matchers: [] } })).status).toBe(400);
  await call('POST', '/v1/alerts', { body: { id: 'ans_source', title: 'DC down', labels: { alertname: 'DatacenterDown', dc: 'fra' } } });
  await call('POST', '/v1/alerts', { body: { id: 'ans_target', title: 'Host down', labels: { alertname: 'HostDown', dc: 'fra' }, destinations: [ids.hook] } });
  await stateWhen('ans_target', (s) => s.inhibited?.alert_id === 'ans_source');
  expect((await call('GET', '/v1/inhibit-rules')).body.data).toHaveLength(1);
  expect((await call('GET', '/v1/inhibit-rules/{id}', { params: { id: rule.body.id } })).status).toBe(200);
  expect((await call('DELETE', '/v1/inhibit-rules/{id}', { params: { id: rule.body.id } })).status).toBe(204);
  expect((await call('GET', '/v1/inhibit-rules/{id}', { params: { id: rule.body.id } })).status).toBe(404);
});

test('sources and the groups they make', async () => {
  const startsAt = new Date(Date.now() - 60_000).toISOString();
  const notification = (receiver: string) => ({
    version: '4',
    status: 'firing',
    receiver,
    groupKey: `{}:{alertname="${receiver}"}`,
    groupLabels: { alertname: receiver },
    alerts: [
      { status: 'firing', labels: { alertname: receiver, instance: 'a:9100' }, annotations: { summary: 'a is down' }, startsAt, fingerprint: 'a1' },
      { status: 'firing', labels: {}, startsAt, fingerprint: 'zz' },
    ],
  });
  const sender = { group: 'sender', group_wait_s: '0', settle_s: '0' };
  const am = await call('POST', '/v1/sources/alertmanager', { query: sender, body: notification('AnswersAm') });
  expect([am.body.accepted.length, am.body.rejected.length]).toEqual([1, 1]);
  expect((await call('POST', '/v1/sources/grafana', { query: sender, body: notification('AnswersGrafana') })).status).toBe(200);
  expect((await call('POST', '/v1/sources/alertmanager', { body: { ...notification('AnswersAm'), alerts: [{ status: 'firing' }] } })).status).toBe(400);

  const group = await eventually(async () => {
    const { body } = await call('GET', '/v1/groups', { key: READER, query: { status: 'firing', page_size: '10' } });
    const found = body.data.find((g: any) => g.origin.kind === 'sender' && g.origin.source === 'alertmanager' && g.notifications > 0);
    expect(found).toBeDefined();
    return found;
  }, 30_000);
  expect((await call('GET', '/v1/groups/{id}', { params: { id: group.id } })).body.notifications.length).toBeGreaterThan(0);
  expect((await call('GET', '/v1/groups/{id}', { params: { id: 'grp_nope' } })).status).toBe(404);
  expect((await call('GET', '/v1/groups', { query: { page_size: 'many' } })).status).toBe(400);
});

test('heartbeats', async () => {
  const created = await call('POST', '/v1/heartbeats', { body: { name: 'answers-cron', interval_s: 3600, destination_ids: [ids.hook], alert: { labels: { team: 'db' } } } });
  expect(created.status).toBe(201);
  expect((await call('POST', '/v1/heartbeats', { body: { name: 'answers-cron', interval_s: 3600 } })).status).toBe(409);
  expect((await call('POST', '/v1/heartbeats', { body: { name: 'answers-cron' } })).status).toBe(400);
  expect((await call('GET', '/v1/heartbeats', { key: READER })).body.data).toHaveLength(1);
  expect((await call('GET', '/v1/heartbeats/{name}', { params: { name: 'answers-cron' } })).status).toBe(200);
  expect((await call('POST', '/v1/heartbeats/{name}/ping', { params: { name: 'answers-cron' } })).status).toBe(202);
  const token = { name: 'answers-cron', token: created.body.token };
  expect((await call('GET', '/v1/heartbeats/{name}/ping/{token}', { key: null, params: token })).status).toBe(202);
  expect((await call('POST', '/v1/heartbeats/{name}/ping/{token}', { key: null, params: token })).status).toBe(202);
  expect((await call('POST', '/v1/heartbeats/{name}/ping/{token}', { key: null, params: { ...token, token: 'hb_wrong' } })).status).toBe(404);
  expect((await call('DELETE', '/v1/heartbeats/{name}', { params: { name: 'answers-cron' } })).status).toBe(204);
  expect((await call('GET', '/v1/heartbeats/{name}', { params: { name: 'answers-cron' } })).status).toBe(404);

  // The same name in a tenant: its own heartbeat, pinged under the tenant's path.
  const t = { tenant: 'answers-beats' };
  expect((await call('POST', '/v1/tenants', { body: { id: t.tenant, name: 'Answers Beats' } })).status).toBe(201);
  const theirs = await call('POST', '/v1/tenants/{tenant}/heartbeats', { params: t, body: { name: 'answers-cron', interval_s: 3600 } });
  expect(theirs.body.ping_url_with_token).toContain(`/v1/tenants/${t.tenant}/heartbeats/answers-cron/ping/hb_`);
  const n = { ...t, name: 'answers-cron' };
  const theirToken = { ...n, token: theirs.body.token };
  expect((await call('GET', '/v1/tenants/{tenant}/heartbeats', { params: t })).body.data.map((b: { name: string }) => b.name)).toEqual(['answers-cron']);
  expect((await call('GET', '/v1/tenants/{tenant}/heartbeats/{name}', { params: n })).status).toBe(200);
  expect((await call('POST', '/v1/tenants/{tenant}/heartbeats/{name}/ping', { params: n })).status).toBe(202);
  expect((await call('GET', '/v1/tenants/{tenant}/heartbeats/{name}/ping/{token}', { key: null, params: theirToken })).status).toBe(202);
  expect((await call('POST', '/v1/tenants/{tenant}/heartbeats/{name}/ping/{token}', { key: null, params: theirToken })).status).toBe(202);
  // Its token pings nothing under the default tenant's path, nor under another tenant's.
  expect((await call('POST', '/v1/heartbeats/{name}/ping/{token}', { key: null, params: { name: 'answers-cron', token: theirs.body.token } })).status).toBe(404);
  expect((await call('POST', '/v1/tenants/{tenant}/heartbeats/{name}/ping/{token}', { key: null, params: { ...theirToken, tenant: 'nobody' } })).status).toBe(404);
  expect((await call('DELETE', '/v1/tenants/{tenant}/heartbeats/{name}', { params: n })).status).toBe(204);
});

test('tenants and their keys; destinations and rules inside a tenant, with its key and the operator\'s', async () => {
  const t = { tenant: 'answers-co' };
  expect((await call('POST', '/v1/tenants', { body: { id: t.tenant, name: 'Answers Co', max_destinations: 20 } })).status).toBe(201);
  expect((await call('POST', '/v1/tenants', { body: { id: t.tenant, name: 'again' } })).status).toBe(409);
  expect((await call('POST', '/v1/tenants', { body: { id: 'Bad/Id', name: 'x' } })).status).toBe(400);
  expect((await call('GET', '/v1/tenants')).body.data.length).toBeGreaterThanOrEqual(2);
  expect((await call('GET', '/v1/tenants/{tenant}', { params: t })).status).toBe(200);
  expect((await call('GET', '/v1/tenants/{tenant}', { params: { tenant: 'nobody' } })).status).toBe(404);
  expect((await call('PATCH', '/v1/tenants/{tenant}', { params: t, body: { retention_days: 30 } })).status).toBe(200);
  expect((await call('PATCH', '/v1/tenants/{tenant}', { params: t, body: { retention_days: 0 } })).status).toBe(400);
  expect((await call('DELETE', '/v1/tenants/{tenant}', { params: { tenant: 'default' } })).status).toBe(409);
  const key = await call('POST', '/v1/tenants/{tenant}/keys', { params: t, body: { scopes: ['admin'] } });
  expect(key.status).toBe(201);
  expect((await call('POST', '/v1/tenants/{tenant}/keys', { params: t, body: { scopes: [] } })).status).toBe(400);
  expect((await call('GET', '/v1/tenants/{tenant}/keys', { params: t })).body.data).toHaveLength(1);
  const link = await call('POST', '/v1/tenants/{tenant}/portal-links', { params: t, body: { expires_in_s: 60, read_only: true } });
  expect(link).toMatchObject({ status: 201, body: { read_only: true } });
  expect((await call('POST', '/v1/tenants/{tenant}/portal-links', { params: t, body: { expires_in_s: 0 } })).status).toBe(400);
  expect((await call('POST', '/v1/tenants/{tenant}/portal-links', { params: { tenant: 'nobody' }, body: {} })).status).toBe(404);
  expect((await call('GET', '/v1/tenants', { key: key.body.key })).status).toBe(404);
  expect((await call('GET', '/v1/tenants', { key: READER })).status).toBe(403);

  // Every destination and rule operation under the tenant's path: half with its own key, half with the operator's.
  const own = { key: key.body.key };
  const created = await call('POST', '/v1/tenants/{tenant}/destinations', { ...own, params: t, body: { name: 'answers-hook', type: 'webhook', config: { url: hook.url() } } });
  expect(created.status).toBe(201); // the default tenant's destination of the same name is another tenant's
  const d = { ...t, id: created.body.id };
  expect((await call('GET', '/v1/tenants/{tenant}/destinations', { ...own, params: t })).body.data).toHaveLength(1);
  expect((await call('GET', '/v1/tenants/{tenant}/destinations', { params: { tenant: 'nobody' } })).status).toBe(404);
  expect((await call('POST', '/v1/tenants/{tenant}/destinations/test', { params: t, body: { name: 'unsaved', type: 'webhook', config: { url: hook.url() } } })).status).toBe(200);
  expect((await call('GET', '/v1/tenants/{tenant}/destinations/{id}', { ...own, params: d })).status).toBe(200);
  expect((await call('GET', '/v1/tenants/{tenant}/destinations/{id}', { ...own, params: { ...t, id: ids.hook } })).status).toBe(404); // the default tenant's
  expect((await call('PATCH', '/v1/tenants/{tenant}/destinations/{id}', { params: d, body: { timeout_s: 5 } })).status).toBe(200);
  expect((await call('GET', '/v1/tenants/{tenant}/destinations/{id}/secret', { ...own, params: d })).status).toBe(200);
  expect((await call('POST', '/v1/tenants/{tenant}/destinations/{id}/secret/rotate', { params: d })).status).toBe(200);
  expect((await call('POST', '/v1/tenants/{tenant}/destinations/{id}/test', { ...own, params: d })).status).toBe(200);
  expect((await call('GET', '/v1/tenants/{tenant}/destinations/{id}/health', { params: d })).status).toBe(200);
  expect((await call('POST', '/v1/tenants/{tenant}/destinations/{id}/recover', { ...own, params: d, body: { since: new Date(Date.now() - 60_000).toISOString() } })).status).toBe(202);

  const rule = await call('POST', '/v1/tenants/{tenant}/rules', { ...own, params: t, body: { name: 'answers-db', destination_ids: [d.id] } });
  expect(rule.status).toBe(201);
  expect((await call('POST', '/v1/tenants/{tenant}/rules', { ...own, params: t, body: { name: 'answers-cross', destination_ids: [ids.hook] } })).status).toBe(422);
  const r = { ...t, id: rule.body.id };
  expect((await call('GET', '/v1/tenants/{tenant}/rules', { params: t })).body.data).toHaveLength(1);
  expect((await call('GET', '/v1/tenants/{tenant}/rules/{id}', { ...own, params: r })).status).toBe(200);
  expect((await call('PATCH', '/v1/tenants/{tenant}/rules/{id}', { params: r, body: { enabled: false } })).status).toBe(200);
  expect((await call('DELETE', '/v1/tenants/{tenant}/rules/{id}', { ...own, params: r })).status).toBe(204);

  const policy = await call('POST', '/v1/tenants/{tenant}/escalation-policies', { ...own, params: t, body: { name: 'answers-policy', steps: [{ after_s: 0, destination_ids: [d.id] }] } });
  expect(policy.status).toBe(201);
  const p = { ...t, id: policy.body.id };
  expect((await call('POST', '/v1/tenants/{tenant}/escalation-policies', { params: t, body: { name: 'answers-cross', steps: [{ after_s: 0, destination_ids: [ids.hook] }] } })).status).toBe(422);
  expect((await call('GET', '/v1/tenants/{tenant}/escalation-policies', { params: t })).body.data).toHaveLength(1);
  expect((await call('GET', '/v1/tenants/{tenant}/escalation-policies/{id}', { ...own, params: p })).status).toBe(200);
  expect((await call('GET', '/v1/tenants/{tenant}/escalation-policies/{id}', { ...own, params: { ...t, id: ids.policy } })).status).toBe(404); // the default tenant's
  expect((await call('PATCH', '/v1/tenants/{tenant}/escalation-policies/{id}', { params: p, body: { description: 'pages the hook' } })).status).toBe(200);
  expect((await call('DELETE', '/v1/tenants/{tenant}/escalation-policies/{id}', { ...own, params: p })).status).toBe(204);
  expect((await call('DELETE', '/v1/tenants/{tenant}/destinations/{id}', { params: d })).status).toBe(204);

  const silence = await call('POST', '/v1/tenants/{tenant}/silences', { ...own, params: t, body: { matchers: [{ name: 'team', value: 'db' }], ends_at: new Date(Date.now() + 3600_000).toISOString(), created_by: 'ops' } });
  expect(silence.status).toBe(201);
  const s = { ...t, id: silence.body.id };
  expect((await call('GET', '/v1/tenants/{tenant}/silences', { ...own, params: t })).body.data.map((x: { id: string }) => x.id)).toEqual([silence.body.id]);
  expect((await call('GET', '/v1/silences', {})).body.data.map((x: { id: string }) => x.id)).not.toContain(silence.body.id); // the default tenant's list
  expect((await call('GET', '/v1/tenants/{tenant}/silences/{id}', { ...own, params: s })).status).toBe(200);
  expect((await call('GET', '/v1/silences/{id}', { params: { id: silence.body.id } })).status).toBe(404);
  expect((await call('DELETE', '/v1/tenants/{tenant}/silences/{id}', { ...own, params: s })).body.state).toBe('expired');
  const inhibit = await call('POST', '/v1/tenants/{tenant}/inhibit-rules', { ...own, params: t, body: { name: 'answers-inhibit', source_matchers: [{ name: 'a', value: 'b' }], target_matchers: [{ name: 'a', value: 'c' }] } });
  expect(inhibit.status).toBe(201);
  const i = { ...t, id: inhibit.body.id };
  expect((await call('GET', '/v1/tenants/{tenant}/inhibit-rules', { ...own, params: t })).body.data).toHaveLength(1);
  expect((await call('GET', '/v1/tenants/{tenant}/inhibit-rules/{id}', { ...own, params: i })).status).toBe(200);
  expect((await call('GET', '/v1/inhibit-rules/{id}', { params: { id: inhibit.body.id } })).status).toBe(404);
  expect((await call('DELETE', '/v1/tenants/{tenant}/inhibit-rules/{id}', { ...own, params: i })).status).toBe(204);
  // What is left (the expired silence) is purged with the tenant, as DELETE of a tenant owning rows does.
  expect((await call('DELETE', '/v1/tenants/{tenant}/keys/{key_id}', { params: { ...t, key_id: key.body.id } })).status).toBe(204);
  expect((await call('DELETE', '/v1/tenants/{tenant}/keys/{key_id}', { params: { ...t, key_id: key.body.id } })).status).toBe(404);
  expect((await call('DELETE', '/v1/tenants/{tenant}', { params: t })).status).toBe(202);
});

test('alerts inside a tenant: the same ids as the default tenant\'s, every alert operation under its path', async () => {
  const t = { tenant: 'answers-alerts' };
  expect((await call('POST', '/v1/tenants', { body: { id: t.tenant, name: 'Answers Alerts' } })).status).toBe(201);
  const own = { key: (await call('POST', '/v1/tenants/{tenant}/keys', { params: t, body: { scopes: ['ingest', 'read'] } })).body.key };
  const hookId = (await call('POST', '/v1/tenants/{tenant}/destinations', { params: t, body: { name: 'hook', type: 'webhook', config: { url: hook.url() } } })).body.id;
  const failingId = (await call('POST', '/v1/tenants/{tenant}/destinations', { params: t, body: { name: 'failing', type: 'webhook', config: { url: failing.url() }, retry_schedule: [0] } })).body.id;
  const settled = (id: string, check: (state: any) => boolean) =>
    eventually(async () => {
      const { status, body } = await call('GET', '/v1/tenants/{tenant}/alerts/{id}', { ...own, params: { ...t, id } });
      expect(status).toBe(200);
      expect(check(body)).toBe(true);
    }, 30_000);

  const triggered = await call('POST', '/v1/tenants/{tenant}/alerts', { ...own, params: t, body: { id: 'ans_1', title: 'Tenant lag', destinations: [hookId] } });
  expect(triggered.body).toMatchObject({ id: 'ans_1', workflow_id: 'alert:answers-alerts/ans_1', deduplicated: false });
  expect((await call('POST', '/v1/tenants/{tenant}/alerts', { ...own, params: t, body: { title: 'Nowhere', destinations: [ids.hook] } })).status).toBe(422); // the default tenant's
  await settled('ans_1', (s) => s.delivery_state === 'delivered' && s.alert.title === 'Tenant lag');
  expect((await call('GET', '/v1/tenants/{tenant}/alerts', { params: t })).body.data.map((a: any) => a.id)).toEqual(['ans_1']);
  expect((await call('GET', '/v1/tenants/{tenant}/alerts/{id}', { ...own, params: { ...t, id: 'ans_3' } })).status).toBe(404); // only the default tenant has one
  expect((await call('POST', '/v1/tenants/{tenant}/alerts/{id}/events', { ...own, params: { ...t, id: 'ans_1' }, body: { description: 'still lagging' } })).status).toBe(202);
  expect((await call('POST', '/v1/tenants/{tenant}/alerts/{id}/acknowledge', { ...own, params: { ...t, id: 'ans_1' }, body: { by: 'dana' } })).body.changed).toBe(true);
  expect((await call('POST', '/v1/tenants/{tenant}/alerts/{id}/unacknowledge', { ...own, params: { ...t, id: 'ans_1' } })).status).toBe(202);
  expect((await call('POST', '/v1/tenants/{tenant}/alerts/{id}/resolve', { ...own, params: { ...t, id: 'ans_1' } })).status).toBe(202);

  await call('POST', '/v1/tenants/{tenant}/alerts', { ...own, params: t, body: { id: 'ans_2', title: 'Disk full', destinations: [failingId] } });
  await settled('ans_2', (s) => s.destinations[0]?.state === 'failed');
  expect((await call('POST', '/v1/tenants/{tenant}/alerts/{id}/deliveries/{destination_id}/redeliver', { params: { ...t, id: 'ans_2', destination_id: failingId } })).status).toBe(202);
  expect((await call('POST', '/v1/tenants/{tenant}/alerts/{id}/deliveries/{destination_id}/redeliver', { params: { ...t, id: 'ans_2', destination_id: ids.failing } })).status).toBe(404);
  expect((await call('POST', '/v1/tenants/{tenant}/alerts/{id}/dismiss', { ...own, params: { ...t, id: 'ans_2' } })).status).toBe(202);

  // The tenant's overview counts its own open alerts; its audit log holds what was done in it.
  const overview = await call('GET', '/v1/tenants/{tenant}/overview', { ...own, params: t });
  expect(overview.body.alerts.triggered.warning + overview.body.alerts.triggered.error + overview.body.alerts.triggered.critical + overview.body.alerts.triggered.info).toBe(0);
  const audit = await call('GET', '/v1/tenants/{tenant}/audit', { params: t });
  expect(audit.body.data.length).toBeGreaterThan(0);
  expect(audit.body.data.every((e: { tenant?: string }) => e.tenant === t.tenant)).toBe(true);

  // The tenant's own Alertmanager and Grafana: their entries are the tenant's alerts.
  const entry = (fingerprint: string) => ({ version: '4', status: 'firing', receiver: 'r', groupKey: 'k', alerts: [{ status: 'firing', labels: { alertname: 'TenantAm' }, startsAt: new Date().toISOString(), fingerprint }] });
  for (const [source, fingerprint] of [['alertmanager', 'a0'], ['grafana', 'a1']] as const) {
    const sent = await call('POST', `/v1/tenants/{tenant}/sources/${source}`, { ...own, params: t, body: entry(fingerprint) });
    expect(sent.body.accepted).toHaveLength(1);
    expect((await call('GET', '/v1/tenants/{tenant}/alerts/{id}', { ...own, params: { ...t, id: sent.body.accepted[0].id } })).status).toBe(200);
    expect((await call('GET', '/v1/alerts/{id}', { params: { id: sent.body.accepted[0].id } })).status).toBe(404);
  }

  // A rule of the tenant's that groups: its group is the tenant's, its members named by the tenant's ids.
  expect((await call('POST', '/v1/tenants/{tenant}/rules', { params: t, body: { name: 'grouped', match: { labels: { team: 'db' } }, destination_ids: [hookId], group: { by: ['team'], group_wait_s: 0 } } })).status).toBe(201);
  expect((await call('POST', '/v1/tenants/{tenant}/alerts', { ...own, params: t, body: { id: 'ans_g', title: 'Grouped', labels: { team: 'db' } } })).status).toBe(202);
  const group = await eventually(async () => {
    const { body } = await call('GET', '/v1/tenants/{tenant}/groups', { ...own, params: t });
    expect(body.data).toHaveLength(1);
    return body.data[0];
  }, 30_000);
  const detail = await call('GET', '/v1/tenants/{tenant}/groups/{id}', { ...own, params: { ...t, id: group.id } });
  expect(detail.body.members.map((m: { alert_id: string }) => m.alert_id)).toEqual(['ans_g']);
  expect((await call('GET', '/v1/groups/{id}', { params: { id: group.id } })).status).toBe(404); // not the default tenant's
  expect((await call('GET', '/v1/groups', {})).body.data.map((g: { id: string }) => g.id)).not.toContain(group.id);
});

test('the overview and the audit log', async () => {
  expect((await call('GET', '/v1/overview', { key: READER, query: { window: 'day' } })).body.window).toBe('day');
  expect((await call('GET', '/v1/overview', { query: { window: 'week' } })).status).toBe(400);
  const audit = await call('GET', '/v1/audit', { query: { since: new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z'), page_size: '5' } });
  expect(audit.body.data).toHaveLength(5);
  expect(audit.body.next_page_token).toBeDefined();
  expect((await call('GET', '/v1/audit', { query: { since: 'yesterday' } })).status).toBe(400);
});

test('a key over its rate limit is told to wait, as documented', async () => {
  const limited = await startHerald({ worker: false, env: { HERALD_API_RATE_LIMIT: '0.01', HERALD_API_RATE_BURST: '1' } });
  try {
    const statuses = [];
    for (let i = 0; i < 2; i++) statuses.push((await call('GET', '/v1/rules', { base: limited.url, key: limited.apiKey })).status);
    expect(statuses).toEqual([200, 429]);
  } finally {
    await limited.stop();
  }
});

test('the portal page: a valid link\'s and an unknown one\'s', async () => {
  // A Herald of its own with a stand-in for the built console (the page is the console's index.html).
  const dir = mkdtempSync(path.join(os.tmpdir(), 'portal-console-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><head><title>console</title></head><body></body></html>');
  const portal = await startHerald({ worker: false, env: { HERALD_CONSOLE_DIR: dir } });
  try {
    const base = { base: portal.url, key: portal.apiKey };
    expect((await call('POST', '/v1/tenants', { ...base, body: { id: 'portal-page', name: 'Portal' } })).status).toBe(201);
    const link = await call('POST', '/v1/tenants/{tenant}/portal-links', { ...base, params: { tenant: 'portal-page' }, body: {} });
    const page = await call('GET', '/portal/{link}', { base: portal.url, key: null, params: { link: link.body.id } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<meta name="herald-portal"');
    expect((await call('GET', '/portal/{link}', { base: portal.url, key: null, params: { link: 'key_000000000000' } })).status).toBe(410);
  } finally {
    await portal.stop();
  }
});

test('every documented operation answered with success at least once', () => {
  const succeeded = new Set(answers.filter((a) => a.status < 300).map((a) => `${a.method} ${a.path}`));
  expect(checker.operations().filter((op) => !succeeded.has(op))).toEqual([]);
  expect(answers.length).toBeGreaterThan(100);
});
