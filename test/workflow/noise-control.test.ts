// Noise control on the time-skipping test server: group timing (README "Grouping": group_wait,
// group_interval and repeat_interval at their exact times on the workflow's clock, alerts joining and
// resolving in each phase, one incident per group on the incident.io and PagerDuty contract fakes)
// silences that end on time (README "Silences") and mute windows that hold or drop (README "Mute
// windows"). Real activities, a real SQLite store, real
// receivers on loopback; alerts are driven as the API drives them.
import { HeartbeatWorkflows } from '../../src/temporal/heartbeat-workflows';
import { HeartbeatActions } from '../../src/api/heartbeats';
import { TenantStore } from '../../src/store/tenants';
import { AttemptLog } from '../../src/store/attempt-log';
import { RateLimitStore } from '../../src/store/rate-limits';
import { NO_OPERATIONAL_EVENTS } from '../../src/temporal/operations';
import { CircuitStore } from '../../src/store/circuits';
import { DEFAULT_CIRCUIT_POLICY } from '../../src/domain/circuit';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { keepAsReplayFixture, recordingFixtures } from '../support/replay-fixtures';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../../src/activities';
import { AlertActions } from '../../src/api/alert-actions';
import { LegacyAlerts } from '../../src/api/legacy-alerts';
import { HeldEvents, signalThrough } from '../../src/temporal/held-events';
import type { OutboundEvent } from '../../src/domain/events';
import { groupWorkflowIdFor, type GroupPolicy } from '../../src/domain/grouping';
import type { MuteWindow } from '../../src/domain/mute-windows';
import { HttpClient } from '../../src/destinations/http-client';
import { createRegistry } from '../../src/destinations/registry';
import { AlertStore } from '../../src/store/alerts';
import { AlertViews } from '../../src/store/alert-views';
import { migrateToLatest, openSqlite, type Db } from '../../src/store/db';
import { DestinationStore } from '../../src/store/destinations';
import { InhibitionStore } from '../../src/store/inhibitions';
import { SilenceStore } from '../../src/store/silences';
import { workflowIdFor, type Alert } from '../../src/domain/alert';
import { GroupStore } from '../../src/store/groups';
import { HeartbeatStore } from '../../src/store/heartbeats';
import { RuleStore } from '../../src/store/rules';
import { EscalationPolicyStore } from '../../src/store/escalation-policies';
import { SecretBox } from '../../src/store/secret-box';
import { SentMessageStore } from '../../src/store/sent-messages';
import { AlertWorkflows } from '../../src/temporal/alert-workflows';
import { GroupWorkflows } from '../../src/temporal/group-workflows';
import { ensureSearchAttributes } from '../../src/temporal/search-attribute-registration';
import { eventually } from '../support/eventually';
import { FakeIncidentIo, STATUSES } from '../support/fakes/incident-io';
import { FakePagerDuty } from '../support/fakes/pagerduty';
import { Receiver } from '../support/receiver';
import { createTimeSkippingEnv } from '../support/test-server';

const TASK_QUEUE = 'herald-group-test';
const LIFETIME_MS = 30 * 86_400_000;
const INCIDENT_KEY = 'inc_test_key';

let env: TestWorkflowEnvironment;
let db: Db;
let destinations: DestinationStore;
let rules: RuleStore;
let groups: GroupStore;
let silences: SilenceStore;
let actions: AlertActions;
let heldEvents: HeldEvents;
let views: AlertViews;
let http: HttpClient;
let worker: Worker;
let workerRun: Promise<void>;
let receiver: Receiver;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  await ensureSearchAttributes(env.connection.operatorService, 'default');
  db = openSqlite(mkdtempSync(path.join(process.env.HERALD_TEST_SCRATCH ?? '/tmp', 'group-wf-')));
  await migrateToLatest(db);
  destinations = new DestinationStore(db, new SecretBox([randomBytes(32)]));
  rules = new RuleStore(db);
  groups = new GroupStore(db, TASK_QUEUE);
  silences = new SilenceStore(db, TASK_QUEUE);
  const alerts = new AlertStore(db);
  const workflows = new AlertWorkflows(env.client, env.connection, TASK_QUEUE, LIFETIME_MS);
  views = new AlertViews(db, TASK_QUEUE);
  actions = new AlertActions(alerts, views, workflows, new LegacyAlerts(workflows));
  heldEvents = new HeldEvents(alerts, groups, TASK_QUEUE, (ids) => workflows.releaseHeld(ids));
  http = new HttpClient();
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: { code: readFileSync(process.env.HERALD_TEST_WORKFLOW_BUNDLE!, 'utf8') },
    activities: createActivities({
      logger: pino({ level: 'silent' }),
      alerts,
      destinations,
      rules,
      policies: new EscalationPolicyStore(db),
      circuits: new CircuitStore(db),
      attempts: new AttemptLog(db),
      rateLimits: new RateLimitStore(db),
      operations: NO_OPERATIONAL_EVENTS,
      heldEvents: new HeldEvents(alerts, groups, TASK_QUEUE, signalThrough(env.client)),
      groups,
      groupSignals: new GroupWorkflows(env.client, TASK_QUEUE),
      silences,
      inhibitions: new InhibitionStore(db, TASK_QUEUE),
      heartbeats: new HeartbeatStore(db, TASK_QUEUE),
      tenants: new TenantStore(db),
      heartbeatActions: new HeartbeatActions(new HeartbeatStore(db, TASK_QUEUE), new HeartbeatWorkflows(workflows)),
      alertActions: actions,
      registry: createRegistry(http, new SentMessageStore(db)),
      policy: { allowPrivate: true, allowInsecure: true },
    }),
  });
  workerRun = worker.run();
  receiver = await Receiver.start();
});

afterAll(async () => {
  worker?.shutdown();
  await workerRun;
  await receiver?.close();
  await http?.close();
  await db?.destroy();
  await env?.teardown();
});

const unique = (name: string) => `${name}-${randomBytes(4).toString('hex')}`;

async function webhook(mute_windows: MuteWindow[] = []): Promise<string> {
  const created = await destinations.create({
    name: unique('grouped-webhook'),
    type: 'webhook',
    enabled: true,
    config: { url: receiver.url(), method: 'POST', headers: {}, auth: { type: 'none' }, response_validators: [], signing_secret: `whsec_${randomBytes(32).toString('base64')}` },
    retry_schedule: [0, 1, 5],
    timeout_s: 5,
    filters: {},
    mute_windows,
    circuit_breaker: DEFAULT_CIRCUIT_POLICY, rate_limit: null,
  });
  return created.id;
}

async function groupingRule(destinationIds: string[], team: string, group: GroupPolicy, mute_windows: MuteWindow[] = []): Promise<void> {
  await rules.create({ name: unique('grouping'), enabled: true, match: { labels: { team } }, destination_ids: destinationIds, group, mute_windows });
}

function alert(id: string, labels: Record<string, string>, title = `Alert ${id}`): Alert {
  return { id, title, severity: 'warning', labels, event: { type: 'prometheus_alert' }, links: {}, created_at: new Date().toISOString() };
}

/** The group the alert joined, once its workflow routed it. */
async function groupOf(alertId: string): Promise<string> {
  return eventually(async () => {
    const [group] = await groups.groupsOf(alertId);
    if (!group) throw new Error(`${alertId} has not joined a group yet`);
    return group.id;
  });
}

async function resolve(alertId: string): Promise<void> {
  await actions.close(alertId, 'resolve', { by: 'test' });
  await eventually(async () => {
    const group = await groups.get(await groupOf(alertId));
    if (group!.members.find((m) => m.alert_id === alertId)!.status !== 'resolved') throw new Error(`${alertId} has not left its group yet`);
  });
}

/** Keeps the workflow's history as a replay fixture when fixtures are being recorded. */
async function recordFixture(workflowId: string, name: string): Promise<void> {
  if (recordingFixtures()) keepAsReplayFixture(await env.client.workflow.getHandle(workflowId).fetchHistory(), name);
}

const bodies = (from: number) => receiver.requests.slice(from).map((r) => JSON.parse(r.body) as OutboundEvent);
const seconds = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 1000;

test('group_wait gathers the alerts that join meanwhile; changes go out once per group_interval; the last resolve resolves the group', async () => {
  const team = unique('db');
  await groupingRule([await webhook()], team, { by: ['service'], group_wait_s: 30, group_interval_s: 300, repeat_interval_s: 3600 });
  const from = receiver.requests.length;

  await actions.trigger(alert('g1_a', { team, service: 'api' }), []);
  const api = await groupOf('g1_a');
  await env.sleep(10_000); // within group_wait: these join the first notification
  await actions.trigger(alert('g1_b', { team, service: 'api' }), []);
  await actions.trigger(alert('g1_c', { team, service: 'web' }), []);
  expect(await groupOf('g1_b')).toBe(api);
  const web = await groupOf('g1_c');
  expect(web).not.toBe(api);
  expect(receiver.requests.length).toBe(from); // nothing before group_wait

  await env.sleep(21_000);
  await receiver.waitFor(from + 2);
  const first = bodies(from);
  expect(first.map((b) => b.event_type)).toEqual(['group.triggered', 'group.triggered']);
  const apiFirst = first.find((b) => b.group!.id === api)!;
  expect(apiFirst.group!.alerts.map((a) => a.id)).toEqual(['g1_a', 'g1_b']);
  expect(apiFirst.group).toMatchObject({ key: { service: 'api' }, reason: 'group_wait', firing_count: 2, resolved_count: 0, truncated: false });
  expect(apiFirst.alert.title).toBe('api (2 firing)'); // the alerts' titles differ: the key names the group
  expect(receiver.requests[from]!.headers['x-herald-event']).toBe('group.triggered');

  // A join and a resolve after the first notification wait for the group_interval, together.
  await actions.trigger(alert('g1_d', { team, service: 'api' }), []);
  expect(await groupOf('g1_d')).toBe(api);
  await resolve('g1_a');
  await env.sleep(200_000);
  expect(receiver.requests.length).toBe(from + 2);
  await env.sleep(100_000);
  await receiver.waitFor(from + 3);
  const [update] = bodies(from + 2);
  expect(update!.event_type).toBe('group.updated');
  expect(update!.group).toMatchObject({ id: api, reason: 'group_interval', firing_count: 2, resolved_count: 1 });
  expect(update!.group!.alerts.map((a) => a.id)).toEqual(['g1_b', 'g1_d']);
  expect(update!.group!.resolved_alerts.map((a) => a.id)).toEqual(['g1_a']);

  for (const id of ['g1_b', 'g1_d', 'g1_c']) await resolve(id);
  await env.sleep(300_000);
  await receiver.waitFor(from + 5);
  const ends = bodies(from + 3);
  expect(ends.map((b) => [b.group!.id, b.event_type]).sort()).toEqual([[api, 'group.resolved'], [web, 'group.resolved']].sort());
  expect(ends.find((b) => b.group!.id === api)!.group!.resolved_alerts.map((a) => a.id)).toEqual(['g1_b', 'g1_d']);

  // Exact times on the workflow's clock: 30 s after the first join, then 300 s after each notification.
  const apiGroup = (await groups.get(api))!;
  expect(apiGroup.status).toBe('resolved');
  expect(apiGroup.notifications.map((n) => [n.event_type, n.reason])).toEqual([
    ['group.triggered', 'group_wait'],
    ['group.updated', 'group_interval'],
    ['group.resolved', 'resolved'],
  ]);
  const [n0, n1, n2] = apiGroup.notifications;
  expect(seconds(n0!.created_at, n1!.created_at)).toBeCloseTo(300, 0);
  expect(seconds(n1!.created_at, n2!.created_at)).toBeCloseTo(300, 0);
  const handle = env.client.workflow.getHandle(groupWorkflowIdFor(apiGroup.key_id));
  await handle.result();
  const history = await handle.fetchHistory();
  const timers = history.events!.filter((e) => e.timerStartedEventAttributes).map((e) => [e.userMetadata?.summary?.data && Buffer.from(e.userMetadata.summary.data).toString(), Number(e.timerStartedEventAttributes!.startToFireTimeout!.seconds)]);
  // group_wait counts from the first join, so the timer set a moment later is shorter: by as long as
  // the busy machine took between the join and the timer (CI once saw 28 s), never longer than 30 s.
  expect(timers[0]).toEqual([expect.stringContaining('group_wait 30s'), expect.any(Number)]);
  expect(timers[0]![1]).toBeGreaterThanOrEqual(20);
  expect(timers[0]![1]).toBeLessThanOrEqual(30);
  expect(timers.some(([summary]) => String(summary).includes('group_interval 5m'))).toBe(true);
  await recordFixture(groupWorkflowIdFor(apiGroup.key_id), 'group-v1-resolved.history.bin');
});

test('an unchanged firing group is notified again after repeat_interval; an alert that resolved before group_wait sends nothing', async () => {
  const team = unique('repeat');
  await groupingRule([await webhook()], team, { by: ['alertname'], group_wait_s: 30, group_interval_s: 60, repeat_interval_s: 600 });
  const from = receiver.requests.length;

  await actions.trigger(alert('g2_quiet', { team, alertname: 'Flap' }), []);
  const quiet = await groupOf('g2_quiet');
  await resolve('g2_quiet');
  await env.sleep(31_000);
  await eventually(async () => expect((await groups.get(quiet))!.status).toBe('resolved'));
  expect(receiver.requests.length).toBe(from); // joined and left within group_wait: nobody is told

  await actions.trigger(alert('g2_a', { team, alertname: 'Disk' }), []);
  const disk = await groupOf('g2_a');
  await env.sleep(31_000);
  await receiver.waitFor(from + 1);
  await env.sleep(600_000);
  await receiver.waitFor(from + 2);
  const [first, repeat] = bodies(from);
  expect(first!.event_type).toBe('group.triggered');
  expect(repeat!.event_type).toBe('group.updated');
  expect(repeat!.group).toMatchObject({ id: disk, reason: 'repeat_interval', firing_count: 1, resolved_count: 0 });
  const notifications = (await groups.get(disk))!.notifications;
  expect(seconds(notifications[0]!.created_at, notifications[1]!.created_at)).toBeCloseTo(600, 0);
  await resolve('g2_a');
  await env.sleep(61_000);
  await receiver.waitFor(from + 3);
  expect(bodies(from + 2)[0]!.event_type).toBe('group.resolved');
});

test('one incident.io incident and one PagerDuty dedup key per group, updated as alerts join and closed when the group resolves', async () => {
  const incidents = await FakeIncidentIo.start(INCIDENT_KEY);
  const pagerduty = await FakePagerDuty.start();
  try {
    const incidentIo = await destinations.create({
      name: unique('grouped-incident-io'),
      type: 'incident_io',
      enabled: true,
      config: { api_key: INCIDENT_KEY, base_url: incidents.url(), closed_status_id: STATUSES.closed.id, mode: 'standard', visibility: 'public' },
      retry_schedule: [0, 1],
      timeout_s: 5,
      filters: {},
      mute_windows: [],
      circuit_breaker: DEFAULT_CIRCUIT_POLICY, rate_limit: null,
    });
    const pd = await destinations.create({
      name: unique('grouped-pagerduty'),
      type: 'pagerduty',
      enabled: true,
      config: { routing_key: 'R0UT1NGKEY0123456789ABCDEFGHIJKL', base_url: pagerduty.url() },
      retry_schedule: [0, 1],
      timeout_s: 5,
      filters: {},
      mute_windows: [],
      circuit_breaker: DEFAULT_CIRCUIT_POLICY, rate_limit: null,
    });
    const team = unique('incidents');
    await groupingRule([incidentIo.id, pd.id], team, { by: ['alertname'], group_wait_s: 30, group_interval_s: 60, repeat_interval_s: 3600 });

    for (const id of ['g3_a', 'g3_b', 'g3_c']) await actions.trigger(alert(id, { team, alertname: 'HighCPU', instance: id }, 'High CPU'), []);
    const group = await groupOf('g3_a');
    for (const id of ['g3_b', 'g3_c']) expect(await groupOf(id)).toBe(group);
    await env.sleep(31_000);
    await eventually(async () => expect(incidents.creates).toHaveLength(1));
    await eventually(async () => expect(pagerduty.requests).toHaveLength(1));

    await actions.trigger(alert('g3_d', { team, alertname: 'HighCPU', instance: 'g3_d' }, 'High CPU'), []);
    expect(await groupOf('g3_d')).toBe(group);
    await env.sleep(61_000);
    await eventually(async () => expect(pagerduty.requests).toHaveLength(2));
    const [incident] = [...incidents.incidents.values()];
    await eventually(async () => expect(incident!.summary).toContain('4 firing'));

    for (const id of ['g3_a', 'g3_b', 'g3_c', 'g3_d']) await resolve(id);
    await env.sleep(61_000);
    await eventually(async () => expect(incident!.status.category).toBe('closed'));
    await eventually(async () => expect(pagerduty.requests).toHaveLength(3));

    expect(incidents.creates).toHaveLength(1);
    expect(incidents.incidents.size).toBe(1);
    expect(incident!.name).toBe('[Herald] High CPU (3 firing)');
    const dedupKeys = new Set(pagerduty.requests.map((r) => r.body.dedup_key));
    expect(dedupKeys.size).toBe(1);
    expect(pagerduty.requests.map((r) => r.body.event_action)).toEqual(['trigger', 'trigger', 'resolve']);
    expect([...pagerduty.alerts.values()].map((a) => [a.status, a.opened])).toEqual([['resolved', 1]]);
    expect(incidents.contractViolations).toEqual([]);
    expect(pagerduty.contractViolations).toEqual([]);
    const detail = (await groups.get(group))!;
    expect(detail.destinations.map((d) => [d.type, d.state, d.incident?.provider])).toEqual([
      ['incident_io', 'delivered', 'incident_io'],
      ['pagerduty', 'delivered', 'pagerduty'],
    ]);
  } finally {
    await incidents.close();
    await pagerduty.close();
  }
});

test('a silence that ends on time lets its alert go then, and a grouped alert joins its group only then', async () => {
  const team = unique('silenced');
  const direct = await webhook();
  await groupingRule([await webhook()], team, { by: ['alertname'], group_wait_s: 30, group_interval_s: 60, repeat_interval_s: 3600 });
  const now = await env.currentTimeMs();
  const silence = await silences.create({ matchers: [{ name: 'team', op: '=', value: team }], ends_at: new Date(now + 2 * 3600_000).toISOString(), created_by: 'test', comment: '', expire_on_resolve: false }, new Date(now - 60_000));
  const from = receiver.requests.length;

  await actions.trigger(alert('s1_a', { team, alertname: 'Backup' }), [direct]);
  await eventually(async () => expect((await views.get('s1_a'))!.silenced).toEqual({ silence_id: silence.id, until: silence.ends_at }));
  await env.sleep(3600_000);
  expect(receiver.requests.length).toBe(from);
  expect(await groups.groupsOf('s1_a')).toEqual([]); // held: its group has not heard of it

  await env.sleep(3600_000 + 1000);
  await receiver.waitFor(1, (r) => JSON.parse(r.body).alert.id === 's1_a');
  const group = await groupOf('s1_a');
  await env.sleep(31_000);
  await receiver.waitFor(from + 2);
  const sent = bodies(from);
  expect(sent.map((b) => [b.event_type, b.group?.id ?? b.alert.id])).toEqual([
    ['alert.triggered', 's1_a'],
    ['group.triggered', group],
  ]);
  expect((await views.get('s1_a'))!.silenced).toBeUndefined();
  const handle = env.client.workflow.getHandle(workflowIdFor('s1_a'));
  const history = await handle.fetchHistory();
  const timers = history.events!.filter((e) => e.timerStartedEventAttributes).map((e) => (e.userMetadata?.summary?.data ? Buffer.from(e.userMetadata.summary.data).toString() : ''));
  expect(timers[0]).toContain(`silenced by ${silence.id} until ${silence.ends_at}`);
  await actions.close('s1_a', 'resolve', { by: 'test' });
  await handle.result();
  await recordFixture(workflowIdFor('s1_a'), 'alert-v2-silenced-grouped.history.bin');
});

const MINUTE = 60_000;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/**
 * A mute window of today's times of day (UTC) from `startIn` to `endIn` minutes after the test
 * server's clock, which first moves past midnight when today has too little left; and when it ends.
 */
async function windowAhead(name: string, action: MuteWindow['action'], startIn: number, endIn: number): Promise<{ window: MuteWindow; startsAt: number; endsAt: number }> {
  let now = await env.currentTimeMs();
  const dayStart = (ms: number) => ms - (ms % 86_400_000);
  if (now + endIn * MINUTE >= dayStart(now) + 86_400_000) {
    await env.sleep(dayStart(now) + 86_400_000 - now + MINUTE);
    now = await env.currentTimeMs();
  }
  const minute = now - (now % MINUTE);
  const startsAt = minute + startIn * MINUTE;
  const endsAt = minute + endIn * MINUTE;
  return { window: { name, action, time_intervals: [{ times: [{ start_time: hhmm(startsAt), end_time: hhmm(endsAt) }] }] }, startsAt, endsAt };
}

/** The attempt started as the window ended (within the workflow task that the timer woke). */
function sentWhenItEnded(startedAt: string, endsAt: number): void {
  expect(Date.parse(startedAt)).toBeGreaterThanOrEqual(endsAt);
  expect(Date.parse(startedAt)).toBeLessThan(endsAt + 2000);
}

/** What the receiver got for the given alerts or groups (other tests' groups may still be notifying). */
const bodiesOf = (ids: string[]) => bodies(0).filter((b) => ids.includes(b.group?.id ?? b.alert.id));
const aboutThese = (ids: string[]) => (r: { body: string }) => {
  const b = JSON.parse(r.body) as OutboundEvent;
  return ids.includes(b.group?.id ?? b.alert.id);
};

const timerSummaries = async (workflowId: string) =>
  (await env.client.workflow.getHandle(workflowId).fetchHistory()).events!
    .filter((e) => e.timerStartedEventAttributes)
    .map((e) => (e.userMetadata?.summary?.data ? (JSON.parse(Buffer.from(e.userMetadata.summary.data).toString()) as string) : ''));

test('a holding mute window on a destination holds the trigger until it ends; what came meanwhile follows in order', async () => {
  const { window, endsAt } = await windowAhead('deploys', 'hold', 0, 60);
  const held = await webhook([window]);

  await actions.trigger(alert('m1_a', { team: unique('mute') }), [held]);
  await eventually(async () => {
    const [lane] = (await views.get('m1_a'))!.destinations;
    expect(lane).toMatchObject({ state: 'held', events: [{ sequence: 0, state: 'held', muted_by: 'deploys', next_attempt_at: new Date(endsAt).toISOString() }] });
  });
  await actions.update('m1_a', { description: 'still failing' });
  await actions.update('m1_a', { description: 'still failing, twice' });
  await actions.close('m1_a', 'resolve', { by: 'test' });
  await env.sleep(30 * MINUTE);
  expect(bodiesOf(['m1_a'])).toEqual([]);

  await env.sleep(endsAt - (await env.currentTimeMs()) + 1000);
  await receiver.waitFor(3, aboutThese(['m1_a']));
  expect(bodiesOf(['m1_a']).map((b) => b.event_type)).toEqual(['alert.triggered', 'alert.updated', 'alert.resolved']);
  expect(bodiesOf(['m1_a'])[1]!.alert.description).toBe('still failing, twice'); // the two updates coalesced behind the held trigger
  const [lane] = (await views.get('m1_a'))!.destinations;
  expect(lane!.state).toBe('delivered');
  sentWhenItEnded(lane!.events[0]!.attempts[0]!.started_at, endsAt); // on the workflow's clock
  expect(await timerSummaries(workflowIdFor('m1_a'))).toContain(`held by mute window "deploys" until ${new Date(endsAt).toISOString()} (${lane!.name})`);
  await env.client.workflow.getHandle(workflowIdFor('m1_a')).result();
  await recordFixture(workflowIdFor('m1_a'), 'alert-v2-mute-held.history.bin');
});

test("a dropping mute window on a rule: an alert that begins inside it goes nowhere, resolve included; a sent trigger's update is dropped, its resolve is not", async () => {
  const team = unique('nightly');
  const { window, startsAt } = await windowAhead('batch runs', 'drop', 10, 70);
  const target = await webhook();
  await rules.create({ name: unique('muting'), enabled: true, match: { labels: { team } }, destination_ids: [target], mute_windows: [window] });
  const these = ['m2_before', 'm2_inside'];

  await actions.trigger(alert('m2_before', { team }), []);
  await receiver.waitFor(1, aboutThese(these));
  await env.sleep(startsAt - (await env.currentTimeMs()) + 1000);
  await actions.trigger(alert('m2_inside', { team }), []);
  await actions.update('m2_before', { description: 'inside the window' });
  await eventually(async () => {
    expect((await views.get('m2_inside'))!.destinations[0]).toMatchObject({ state: 'muted', events: [{ sequence: 0, state: 'muted', muted_by: 'batch runs' }] });
    expect((await views.get('m2_before'))!.destinations[0]!.events.map((e) => e.state)).toEqual(['delivered', 'muted']);
  });
  await actions.close('m2_before', 'resolve', { by: 'test' });
  await receiver.waitFor(2, aboutThese(these));
  await env.sleep(90 * MINUTE); // past the window: the dropped alert stays dropped there
  await actions.close('m2_inside', 'resolve', { by: 'test' });
  await env.client.workflow.getHandle(workflowIdFor('m2_inside')).result();
  await env.client.workflow.getHandle(workflowIdFor('m2_before')).result();

  expect(bodiesOf(these).map((b) => [b.alert.id, b.event_type])).toEqual([
    ['m2_before', 'alert.triggered'],
    ['m2_before', 'alert.resolved'],
  ]);
  const inside = (await views.get('m2_inside'))!;
  expect(inside.destinations[0]!.state).toBe('muted');
  expect(inside.destinations[0]!.events.map((e) => [e.event_type, e.state, e.muted_by])).toEqual([
    ['alert.triggered', 'muted', 'batch runs'],
    ['alert.resolved', 'muted', 'batch runs'],
  ]);
  expect(inside.delivery_state).toBe('delivered'); // nothing is owed
});

test('removing a mute window lets what it holds go at once, as the API does after a change', async () => {
  const { window, endsAt } = await windowAhead('freeze', 'hold', 0, 120);
  const held = await webhook([window]);
  await actions.trigger(alert('m4_a', { team: unique('thaw') }), [held]);
  await eventually(async () => expect((await views.get('m4_a'))!.destinations[0]!.state).toBe('held'));
  await env.sleep(10 * MINUTE);

  const destination = (await destinations.get(held))!;
  const { id: _id, created_at: _c, updated_at: _u, needs_attention: _n, ...input } = destination;
  await destinations.replace(held, { ...input, mute_windows: [] });
  await heldEvents.release();
  await receiver.waitFor(1, aboutThese(['m4_a']));
  const lane = await eventually(async () => {
    const [found] = (await views.get('m4_a'))!.destinations;
    expect(found!.state).toBe('delivered');
    return found!;
  });
  expect(Date.parse(lane.events[0]!.attempts[0]!.started_at)).toBeLessThan(endsAt - 100 * MINUTE);
});

test("a holding mute window on a grouping rule holds the group's notification until it ends", async () => {
  const team = unique('grouped-mute');
  const { window, endsAt } = await windowAhead('maintenance', 'hold', 0, 45);
  await groupingRule([await webhook()], team, { by: ['alertname'], group_wait_s: 30, group_interval_s: 60, repeat_interval_s: 3600 }, [window]);

  await actions.trigger(alert('m3_a', { team, alertname: 'Replica' }), []);
  const group = await groupOf('m3_a');
  await env.sleep(31_000);
  await eventually(async () => expect((await groups.get(group))!.notifications[0]!.deliveries[0]).toMatchObject({ state: 'held', muted_by: 'maintenance', next_attempt_at: new Date(endsAt).toISOString() }));
  expect(bodiesOf([group])).toEqual([]);

  await env.sleep(endsAt - (await env.currentTimeMs()) + 1000);
  await receiver.waitFor(1, aboutThese([group]));
  expect(bodiesOf([group])[0]).toMatchObject({ event_type: 'group.triggered', group: { id: group } });
  const [delivery] = (await groups.get(group))!.notifications[0]!.deliveries;
  expect(delivery!.state).toBe('delivered');
  sentWhenItEnded(delivery!.last_attempt!.started_at, endsAt);
  await resolve('m3_a');
  await env.sleep(61_000);
  await receiver.waitFor(2, aboutThese([group]));
});
