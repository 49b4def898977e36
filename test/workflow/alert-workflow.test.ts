// The alert workflow on the time-skipping test server: the production retry schedule (81 minutes)
// runs in seconds, with real activities, a real SQLite store and a real receiver on loopback. Alerts
// are driven as the API drives them (AlertActions: the store first, then a signal) and read back
// from the read model.
import { HeartbeatWorkflows } from '../../src/temporal/heartbeat-workflows';
import { HeartbeatActions } from '../../src/api/heartbeats';
import { TenantStore } from '../../src/store/tenants';
import { AttemptLog } from '../../src/store/attempt-log';
import { RateLimitStore } from '../../src/store/rate-limits';
import { NO_OPERATIONAL_EVENTS } from '../../src/temporal/operations';
import { CircuitStore } from '../../src/store/circuits';
import { HeldEvents, signalThrough } from '../../src/temporal/held-events';
import { DEFAULT_CIRCUIT_POLICY } from '../../src/domain/circuit';
import type { RateLimit } from '../../src/domain/rate-limit';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { keepAsReplayFixture } from '../support/replay-fixtures';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../../src/activities';
import { AlertActions } from '../../src/api/alert-actions';
import { createApp } from '../../src/api/app';
import { LegacyAlerts } from '../../src/api/legacy-alerts';
import { loadConfig } from '../../src/config';
import { workflowIdFor, type Alert } from '../../src/domain/alert';
import type { AlertState } from '../../src/domain/alert-state';
import { DEFAULT_RETRY_SCHEDULE, MAX_JITTER } from '../../src/domain/schedule';
import { HttpClient } from '../../src/destinations/http-client';
import { createRegistry } from '../../src/destinations/registry';
import { AlertStore } from '../../src/store/alerts';
import { AlertViews } from '../../src/store/alert-views';
import { migrateToLatest, openSqlite, type Db } from '../../src/store/db';
import { DestinationStore } from '../../src/store/destinations';
import { RuleStore } from '../../src/store/rules';
import { EscalationPolicyStore } from '../../src/store/escalation-policies';
import { InhibitionStore } from '../../src/store/inhibitions';
import { SilenceStore } from '../../src/store/silences';
import { GroupStore } from '../../src/store/groups';
import { HeartbeatStore } from '../../src/store/heartbeats';
import { GroupWorkflows } from '../../src/temporal/group-workflows';
import { SecretBox } from '../../src/store/secret-box';
import { SentMessageStore } from '../../src/store/sent-messages';
import { AlertWorkflows } from '../../src/temporal/alert-workflows';
import { ensureSearchAttributes } from '../../src/temporal/search-attribute-registration';
import { REDELIVERY_GRACE_MS, resolveSignal } from '../../src/workflows/alert/messages';
import { alertWorkflowV2 } from '../../src/workflows/alert/workflow';
import { alertWorkflow } from '../../src/workflows/legacy/alert-v1';
import { callApi } from '../support/herald';
import { Receiver } from '../support/receiver';
import { createTimeSkippingEnv } from '../support/test-server';

const TASK_QUEUE = 'herald-workflow-test';
const SECRET_KEY = randomBytes(32);
const LIFETIME_MS = 30 * 86_400_000;

let env: TestWorkflowEnvironment;
let db: Db;
let store: DestinationStore;
let alerts: AlertStore;
let views: AlertViews;
let workflows: AlertWorkflows;
let actions: AlertActions;
let http: HttpClient;
let worker: Worker;
let workerRun: Promise<void>;
let receiver: Receiver;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  await ensureSearchAttributes(env.connection.operatorService, 'default');
  db = openSqlite(mkdtempSync(path.join(process.env.HERALD_TEST_SCRATCH ?? '/tmp', 'wf-')));
  await migrateToLatest(db);
  store = new DestinationStore(db, new SecretBox([SECRET_KEY]));
  alerts = new AlertStore(db);
  views = new AlertViews(db, TASK_QUEUE);
  workflows = new AlertWorkflows(env.client, env.connection, TASK_QUEUE, LIFETIME_MS);
  actions = new AlertActions(alerts, views, workflows, new LegacyAlerts(workflows));
  http = new HttpClient();
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: { code: readFileSync(process.env.HERALD_TEST_WORKFLOW_BUNDLE!, 'utf8') },
    activities: createActivities({
      logger: pino({ level: 'silent' }),
      alerts,
      destinations: store,
      rules: new RuleStore(db),
      policies: new EscalationPolicyStore(db),
      circuits: new CircuitStore(db),
      attempts: new AttemptLog(db),
      rateLimits: new RateLimitStore(db),
      operations: NO_OPERATIONAL_EVENTS,
      heldEvents: new HeldEvents(alerts, new GroupStore(db, TASK_QUEUE), TASK_QUEUE, signalThrough(env.client)),
      groups: new GroupStore(db, TASK_QUEUE),
      groupSignals: new GroupWorkflows(env.client, TASK_QUEUE),
      silences: new SilenceStore(db, TASK_QUEUE),
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
});

afterAll(async () => {
  worker?.shutdown();
  await workerRun;
  await http?.close();
  await db?.destroy();
  await env?.teardown();
});

beforeEach(async () => {
  receiver = await Receiver.start();
});
afterEach(async () => {
  await receiver.close();
});

async function webhookTo(name: string, retry_schedule = [...DEFAULT_RETRY_SCHEDULE], rate_limit: RateLimit | null = null) {
  return store.create({
    name: `${name}-${randomBytes(4).toString('hex')}`,
    type: 'webhook',
    enabled: true,
    config: { url: receiver.url(), method: 'POST', headers: {}, auth: { type: 'none' }, response_validators: [], signing_secret: `whsec_${randomBytes(32).toString('base64')}` },
    retry_schedule,
    timeout_s: 5,
    filters: {},
    mute_windows: [],
    circuit_breaker: DEFAULT_CIRCUIT_POLICY,
    rate_limit,
  });
}

function alert(id: string): Alert {
  return { id, title: `Alert ${id}`, severity: 'critical', labels: {}, event: { type: 'schema_change' }, links: {}, created_at: new Date().toISOString() };
}

async function startAlert(id: string, destinationIds: string[]) {
  await actions.trigger(alert(id), destinationIds);
  return env.client.workflow.getHandle(workflowIdFor(id));
}

/** Waits for the workflow (time skips meanwhile), then reads the alert from the read model. */
async function finalState(handle: { result(): Promise<unknown> }, id: string): Promise<AlertState> {
  await handle.result();
  return (await views.get(id))!;
}

const eventOf = (r: { headers: Record<string, unknown> }) => r.headers['x-herald-event'];

test('the default schedule attempts at 0, 1, 6, 21 and 81 minutes, then fails the lane, on durable timers', async () => {
  receiver.respond(() => ({ status: 500 }));
  const destination = await webhookTo('down');
  const handle = await startAlert('wf_schedule', [destination.id]);
  await actions.close('wf_schedule', 'resolve', { by: 'test' });
  const state = await finalState(handle, 'wf_schedule'); // time skips while we wait

  const [triggered, resolved] = state.destinations[0]!.events;
  expect(triggered!.state).toBe('failed');
  expect(resolved!.state).toBe('failed');
  expect(state.destinations[0]!.state).toBe('failed');
  expect(state.delivery_state).toBe('failed');

  const starts = triggered!.attempts.map((a) => Date.parse(a.started_at));
  const offsetsS = starts.map((t) => (t - starts[0]!) / 1000);
  const cumulative = DEFAULT_RETRY_SCHEDULE.map((_, i) => DEFAULT_RETRY_SCHEDULE.slice(0, i + 1).reduce((a, b) => a + b, 0));
  expect(cumulative).toEqual([0, 60, 360, 1260, 4860]);
  expect(offsetsS).toHaveLength(5);
  offsetsS.forEach((offset, i) => {
    expect(offset).toBeGreaterThanOrEqual(cumulative[i]!);
    expect(offset).toBeLessThanOrEqual(cumulative[i]! * (1 + MAX_JITTER) + 2 * i); // jitter + real activity time
  });
  expect(triggered!.attempts.every((a) => a.status_code === 500)).toBe(true);
  // The resolve waited for the trigger's last attempt before its own first one.
  expect(Date.parse(resolved!.attempts[0]!.started_at)).toBeGreaterThanOrEqual(starts[4]!);
  expect(receiver.requests.map(eventOf)).toEqual([...Array(5).fill('alert.triggered'), ...Array(5).fill('alert.resolved')]);

  // The waits are workflow timers in history, not the activity's retry policy.
  const history = await handle.fetchHistory();
  const retryTimers = history.events!.filter((e) => e.timerStartedEventAttributes && e.userMetadata?.summary);
  expect(retryTimers).toHaveLength(8);
  // Each event's first attempt ran in the workflow task that asked for it; its retries were scheduled.
  const scheduled = history.events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliver');
  expect(scheduled.map((e) => JSON.parse(Buffer.from(e.activityTaskScheduledEventAttributes!.input!.payloads![0]!.data!).toString()).attempt)).toEqual([2, 3, 4, 5, 2, 3, 4, 5]);
  // Routing and the two first attempts ran as local activities: markers in history, not scheduled tasks.
  expect(history.events!.some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'routeAlert')).toBe(false);
  expect(history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toHaveLength(3);
  keepAsReplayFixture(history, 'alert-v2-first-attempt-in-task.history.bin');
});

test('with HERALD_FIRST_ATTEMPT=scheduled every attempt is a scheduled activity, the first too', async () => {
  const destination = await webhookTo('scheduled');
  const scheduledFirst = new AlertActions(alerts, views, new AlertWorkflows(env.client, env.connection, TASK_QUEUE, LIFETIME_MS, 'scheduled'), new LegacyAlerts(workflows));
  await scheduledFirst.trigger(alert('wf_scheduled_first'), [destination.id]);
  await receiver.waitFor(1);
  await scheduledFirst.close('wf_scheduled_first', 'resolve', { by: 'oncall' });
  const handle = env.client.workflow.getHandle(workflowIdFor('wf_scheduled_first'));
  await handle.result();
  const history = await handle.fetchHistory();
  expect(history.events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliver')).toHaveLength(2);
  expect(history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toHaveLength(1); // routing only
  expect(receiver.requests.map(eventOf)).toEqual(['alert.triggered', 'alert.resolved']);
});

test("a first attempt in the workflow task never waits for a rate limit's slot: with none free it is scheduled instead", async () => {
  const destination = await webhookTo('limited', [...DEFAULT_RETRY_SCHEDULE], { events: 1, per: 'second', burst: 1 });
  const first = await startAlert('wf_limited_first', [destination.id]);
  await receiver.waitFor(1);
  const second = await startAlert('wf_limited_second', [destination.id]); // the slot is taken for a second
  await receiver.waitFor(2);
  await Promise.all(['wf_limited_first', 'wf_limited_second'].map((id) => actions.close(id, 'resolve', { by: 'test' })));
  const [firstState, secondState] = [await finalState(first, 'wf_limited_first'), await finalState(second, 'wf_limited_second')];

  const scheduledAttempts = async (handle: typeof first) =>
    (await handle.fetchHistory()).events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliver').map((e) => JSON.parse(Buffer.from(e.activityTaskScheduledEventAttributes!.input!.payloads![0]!.data!).toString()).attempt);
  // The second trigger's try in the task found no free slot, sent nothing and recorded nothing; its
  // attempt 1 was scheduled and waited for the slot in its activity. Its resolve did the same.
  expect(await scheduledAttempts(second)).toEqual([1, 1]);
  expect(secondState.destinations[0]!.events.map((e) => [e.state, e.attempts.map((a) => a.attempt)])).toEqual([['delivered', [1]], ['delivered', [1]]]);
  expect(firstState.destinations[0]!.events[0]!.attempts).toHaveLength(1);
  const triggers = receiver.requests.filter((r) => eventOf(r) === 'alert.triggered');
  expect(triggers).toHaveLength(2);
  expect(triggers[1]!.at - triggers[0]!.at).toBeGreaterThanOrEqual(900); // a slot a second, measured by the receiver's clock
});

test('a resolve that arrives while the trigger is retried is delivered after the trigger', async () => {
  receiver.respond((_req, index) => (index < 2 ? { status: 503 } : { status: 200 }));
  const destination = await webhookTo('flaky');
  const handle = await startAlert('wf_resolve_during_retry', [destination.id]);
  await receiver.waitFor(1);
  await actions.close('wf_resolve_during_retry', 'resolve', { by: 'oncall', reason: 'fixed' });
  const state = await finalState(handle, 'wf_resolve_during_retry');

  expect(receiver.requests.map(eventOf)).toEqual(['alert.triggered', 'alert.triggered', 'alert.triggered', 'alert.resolved']);
  const deliveryIds = receiver.requests.map((r) => r.headers['x-herald-delivery']);
  expect(new Set(deliveryIds.slice(0, 3)).size).toBe(1);
  expect(deliveryIds[3]).not.toBe(deliveryIds[0]);
  expect(state.status).toBe('resolved');
  expect(state.destinations[0]!.events.map((e) => [e.event_type, e.state, e.attempts.length])).toEqual([
    ['alert.triggered', 'delivered', 3],
    ['alert.resolved', 'delivered', 1],
  ]);
});

test('a resolve that arrives with the start (before the first workflow task) is delivered after the trigger', async () => {
  const destination = await webhookTo('early-resolve');
  // Signal-with-start puts the signal in the very first activation, as a resolve sent right after
  // the trigger can be when the workers are busy.
  await alerts.accept(alert('wf_resolve_with_start'), TASK_QUEUE);
  const { sequence } = await alerts.appendClose('wf_resolve_with_start', 'resolve', { by: 'oncall' });
  const handle = await env.client.workflow.signalWithStart(alertWorkflowV2, {
    workflowId: workflowIdFor('wf_resolve_with_start'),
    taskQueue: TASK_QUEUE,
    args: [{ alertId: 'wf_resolve_with_start', destinationIds: [destination.id], maxLifetimeMs: LIFETIME_MS }],
    signal: resolveSignal,
    signalArgs: [{ sequence }],
  });
  const state = await finalState(handle, 'wf_resolve_with_start');
  expect(receiver.requests.map(eventOf)).toEqual(['alert.triggered', 'alert.resolved']);
  expect(state.status).toBe('resolved');
});

test('a duplicate trigger through the API joins the running workflow instead of starting a second one', async () => {
  const destination = await webhookTo('dedup');
  const config = { ...loadConfig({ HERALD_API_KEYS: 'workflow-test-key-0001', HERALD_TASK_QUEUE: TASK_QUEUE, HERALD_SECRET_KEY: SECRET_KEY.toString('base64') }), port: 0 };
  const app = createApp({
    config,
    db,
    registry: createRegistry(http, new SentMessageStore(db)),
    workflows,
    logger: pino({ level: 'silent' }),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const body = { id: 'wf_dup', title: 'Dup', destinations: [destination.id] };
    const first = await callApi(base, 'workflow-test-key-0001', 'POST', '/v1/alerts', body);
    expect(first.status).toBe(202);
    const handle = env.client.workflow.getHandle(workflowIdFor('wf_dup'));
    const { runId } = await handle.describe();
    const second = await callApi(base, 'workflow-test-key-0001', 'POST', '/v1/alerts', body);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ deduplicated: true, workflow_id: 'alert:wf_dup' });
    expect((await handle.describe()).runId).toBe(runId);

    await receiver.waitFor(1);
    expect((await callApi(base, 'workflow-test-key-0001', 'POST', '/v1/alerts/wf_dup/resolve', {})).status).toBe(202);
    await handle.result();
    expect(receiver.requests.map(eventOf)).toEqual(['alert.triggered', 'alert.resolved']);
    const third = await callApi(base, 'workflow-test-key-0001', 'POST', '/v1/alerts', body);
    expect(third.status).toBe(409);
  } finally {
    server.close();
  }
});

test('an alert never resolved expires after its maximum lifetime, notifying every lane as a resolve does', async () => {
  receiver.respond(() => ({ status: 200 }));
  const destination = await webhookTo('expiring');
  const handle = await startAlert('wf_expire', [destination.id]);
  const started = await env.currentTimeMs();
  const state = await finalState(handle, 'wf_expire'); // skips the 30 days
  expect(state.status).toBe('expired');
  expect(state.closure).toMatchObject({ action: 'expire', reason: 'still open after 720h' });
  expect(Date.parse(state.closure!.at) - started).toBeGreaterThanOrEqual(30 * 86_400_000);
  expect(receiver.requests.map(eventOf)).toEqual(['alert.triggered', 'alert.expired']);
  expect(JSON.parse(receiver.requests[1]!.body).alert.status).toBe('expired');
});

test('updates reach each lane in order after the trigger; those waiting behind a retry coalesce into the newest', async () => {
  receiver.respond((_req, index) => (index === 0 ? { status: 500 } : { status: 200 }));
  const destination = await webhookTo('updated', [0, 60]);
  const handle = await startAlert('wf_update', [destination.id]);
  await receiver.waitFor(1);
  await actions.update('wf_update', { event: { details: { correlated: ['orders_v2'] } }, labels: { team: 'data' } });
  await actions.update('wf_update', { description: 'Correlated with a deploy', data: { deploy: 'v1.2.3' } });
  await actions.close('wf_update', 'resolve', { by: 'anomify', end_timestamp: '2026-01-01T01:00:00Z' });
  await handle.result();
  const bodies = receiver.requests.map((r) => JSON.parse(r.body));
  // Both updates arrived while the trigger waited for its retry: the newest went out, carrying both.
  expect(bodies.map((b) => b.event_type)).toEqual(['alert.triggered', 'alert.triggered', 'alert.updated', 'alert.resolved']);
  expect(bodies[2]).toMatchObject({ alert: { description: 'Correlated with a deploy', labels: { team: 'data' }, updates: { deploy: 'v1.2.3' } }, event: { details: { correlated: ['orders_v2'] } } });
  const lane = (await views.get('wf_update'))!.destinations[0]!;
  expect(lane.coalesced_updates).toBe(1);
  expect(lane.events.map((e) => [e.sequence, e.event_type, e.state, e.coalesced ?? 0])).toEqual([
    [0, 'alert.triggered', 'delivered', 0],
    [2, 'alert.updated', 'delivered', 1],
    [3, 'alert.resolved', 'delivered', 0],
  ]);
  expect(bodies[3].alert).toMatchObject({ status: 'resolved', closed_by: 'anomify', end_timestamp: '2026-01-01T01:00:00Z', description: 'Correlated with a deploy', updates: { deploy: 'v1.2.3' } });
});

test('a failed lane can be redelivered after the alert closed; the record closes once it is delivered', async () => {
  receiver.respond(() => ({ status: 500 }));
  const destination = await webhookTo('redeliver', [0, 60]);
  const handle = await startAlert('wf_redeliver', [destination.id]);
  await actions.close('wf_redeliver', 'resolve', { by: 'test' });
  await eventuallyState('wf_redeliver', (s) => s.destinations[0]?.events.length === 2 && s.destinations[0].events[1]!.state === 'failed');
  expect(receiver.requests).toHaveLength(4);

  receiver.respond(() => ({ status: 200 })); // the receiver is fixed
  await actions.redeliver('wf_redeliver', destination.id, 'operator');
  const state = await finalState(handle, 'wf_redeliver');
  expect(state.status).toBe('resolved');
  expect(state.destinations[0]!.state).toBe('delivered');
  expect(state.destinations[0]!.events.map((e) => [e.event_type, e.state, e.attempts.map((a) => a.attempt)])).toEqual([
    ['alert.triggered', 'delivered', [1, 2, 3]],
    ['alert.resolved', 'delivered', [1, 2, 3]],
  ]);
  // The same delivery id as before: the receiver can tell a redelivery from a new event.
  const ids = receiver.requests.map((r) => r.headers['x-herald-delivery']);
  expect(ids[4]).toBe(ids[0]);
  expect(ids[5]).toBe(ids[2]);
});

test('a failed lane nobody redelivers closes the record after the grace period', async () => {
  receiver.respond(() => ({ status: 500 }));
  const destination = await webhookTo('never-fixed', [0]);
  const handle = await startAlert('wf_grace', [destination.id]);
  await actions.close('wf_grace', 'resolve', {});
  const closedAt = await env.currentTimeMs();
  const state = await finalState(handle, 'wf_grace');
  expect(state.delivery_state).toBe('failed');
  expect((await env.currentTimeMs()) - closedAt).toBeGreaterThanOrEqual(REDELIVERY_GRACE_MS);
});

async function eventuallyState(id: string, ready: (s: AlertState) => boolean): Promise<AlertState> {
  for (let i = 0; i < 200; i++) {
    const s = (await views.get(id))!;
    if (ready(s)) return s;
    await env.sleep(1000); // advances the test server's clock past the retry timers
  }
  throw new Error('state never became ready');
}

test('an alert of the first workflow version, running when Herald is upgraded, is resolved and read through the API as before', async () => {
  const destination = await webhookTo('legacy');
  const legacyAlert = alert('wf_legacy');
  const handle = await env.client.workflow.start(alertWorkflow, {
    workflowId: workflowIdFor('wf_legacy'),
    taskQueue: TASK_QUEUE,
    args: [{ alert: legacyAlert, destinationIds: [destination.id], maxLifetimeMs: LIFETIME_MS }],
  });
  await receiver.waitFor(1);
  await actions.update('wf_legacy', { description: 'still the first version' });
  await actions.close('wf_legacy', 'resolve', { by: 'upgrade-test' });
  await handle.result();
  expect(receiver.requests.map(eventOf)).toEqual(['alert.triggered', 'alert.updated', 'alert.resolved']);
  expect(JSON.parse(receiver.requests[1]!.body).alert.description).toBe('still the first version');
  // It keeps no rows in the store: GET answers from the workflow, as it did.
  expect(await views.get('wf_legacy')).toBeUndefined();
  const state = await actions.get('wf_legacy');
  expect(state).toMatchObject({ status: 'resolved', delivery_state: 'delivered' });
  await expect(actions.trigger(legacyAlert, [destination.id])).rejects.toThrow('already resolved');
  expect(await views.get('wf_legacy')).toBeUndefined();
});
