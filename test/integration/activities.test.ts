// The alert workflow's activities alone, in the SDK's MockActivityEnvironment, against a real SQLite
// store and a real receiver on loopback: what each one sends, what it records, what it returns to
// history, and that running one twice (a retried activity) writes the same rows.
import { TenantStore } from '../../src/store/tenants';
import { AttemptLog } from '../../src/store/attempt-log';
import { RateLimitStore } from '../../src/store/rate-limits';
import { NO_OPERATIONAL_EVENTS } from '../../src/temporal/operations';
import { CircuitStore } from '../../src/store/circuits';
import { DEFAULT_CIRCUIT_POLICY } from '../../src/domain/circuit';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { createActivities } from '../../src/activities';
import type { DeliverInput } from '../../src/activities/delivery';
import { waitBeforeAttempt } from '../../src/domain/schedule';
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
import { HeartbeatStore } from '../../src/store/heartbeats';
import { GroupStore } from '../../src/store/groups';
import { SecretBox } from '../../src/store/secret-box';
import { SentMessageStore } from '../../src/store/sent-messages';
import { Receiver } from '../support/receiver';

let db: Db;
let http: HttpClient;
let receiver: Receiver;
let alerts: AlertStore;
let destinations: DestinationStore;
let activities: ReturnType<typeof createActivities>;
const mock = new MockActivityEnvironment();
/** Runs an activity as a worker would, typed by the activity itself. */
const env = { run: <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> => mock.run(fn, ...args) as Promise<R> };

beforeAll(async () => {
  db = openSqlite(mkdtempSync(path.join(os.tmpdir(), 'activities-')));
  await migrateToLatest(db);
  http = new HttpClient();
  receiver = await Receiver.start();
  alerts = new AlertStore(db);
  destinations = new DestinationStore(db, new SecretBox([randomBytes(32)]));
  activities = createActivities({
    logger: pino({ level: 'silent' }),
    alerts,
    destinations,
    rules: new RuleStore(db),
    policies: new EscalationPolicyStore(db),
    circuits: new CircuitStore(db),
    attempts: new AttemptLog(db),
    rateLimits: new RateLimitStore(db),
    operations: NO_OPERATIONAL_EVENTS,
    // No workflow runs here: releasing held lanes has nobody to tell.
    heldEvents: { release: async () => 0 },
    heartbeats: new HeartbeatStore(db, 'activities-test'),
    tenants: new TenantStore(db),
    // No heartbeat workflow runs here: raising an alert has nothing to start.
    alertActions: { trigger: () => Promise.reject(new Error('not in this test')), close: () => Promise.reject(new Error('not in this test')) },
    heartbeatActions: { list: () => Promise.reject(new Error('not in this test')), delete: () => Promise.reject(new Error('not in this test')) },
    groups: new GroupStore(db, 'activities-test'),
    // These tests route no alert into a group (test/workflow/group-workflow.test.ts does, on Temporal).
    groupSignals: { membersChanged: async () => {} },
    silences: new SilenceStore(db, 'activities-test'),
    inhibitions: new InhibitionStore(db, 'activities-test'),
    registry: createRegistry(http, new SentMessageStore(db)),
    policy: { allowPrivate: true, allowInsecure: true },
  });
});
afterAll(async () => {
  await receiver.close();
  await http.close();
  await db.destroy();
});

const alert = (id: string, severity: 'critical' | 'info' = 'critical') => ({ id, title: `Alert ${id}`, severity, labels: {}, event: { type: 'schema_change' }, links: {}, created_at: new Date().toISOString() });

async function routedTo(id: string, filters = {}, severity: 'critical' | 'info' = 'critical') {
  const destination = await destinations.create({
    name: `act-${id}`, type: 'webhook', enabled: true, filters, mute_windows: [], circuit_breaker: DEFAULT_CIRCUIT_POLICY, rate_limit: null, retry_schedule: [0, 60, 300], timeout_s: 5,
    config: { url: receiver.url(), method: 'POST', headers: {}, auth: { type: 'none' }, response_validators: [], signing_secret: `whsec_${randomBytes(32).toString('base64')}` },
  });
  await alerts.accept(alert(id, severity), 'q');
  const routing = await env.run(activities.routeAlert, { alertId: id, destinationIds: [destination.id] });
  expect(routing.routes.map((r) => r.destination_id)).toEqual([destination.id]);
  expect(routing.routes[0]).not.toHaveProperty('filters'); // judged when each event goes out
  return destination.id;
}

const input = (alertId: string, destinationId: string, over: Partial<DeliverInput> = {}): DeliverInput => ({
  alertId, destinationId, sequence: 0, attempt: 1, round: 0, random: 0.5, retrySchedule: [0, 60, 300], coalesced: 0, scheduledAt: '2026-12-01T10:00:00.000Z', ...over,
});

test('deliver reads the event from the store, sends it, records the attempt, and returns only the outcome', async () => {
  const destinationId = await routedTo('act_1');
  const result = await env.run(activities.deliver, input('act_1', destinationId));
  expect(result).toEqual({ outcome: 'delivered' });
  expect(JSON.parse(receiver.requests.at(-1)!.body)).toMatchObject({ event_type: 'alert.triggered', alert: { id: 'act_1' } });
  const again = await env.run(activities.deliver, input('act_1', destinationId)); // the same attempt, retried
  expect(again).toEqual({ outcome: 'delivered' });
  const state = (await new AlertViews(db, 'q').get('act_1'))!;
  expect(state.destinations[0]!.events).toEqual([
    expect.objectContaining({ sequence: 0, state: 'delivered', attempts: [expect.objectContaining({ attempt: 1, status_code: 200, started_at: '2026-12-01T10:00:00.000Z' })] }),
  ]);
  expect(state.delivery_state).toBe('delivered');
});

test('a failed attempt returns the next wait (jitter from the workflow, Retry-After bounded) and records when it is due', async () => {
  const destinationId = await routedTo('act_2');
  receiver.respond(() => ({ status: 429, headers: { 'retry-after': '90' } }));
  try {
    const result = await env.run(activities.deliver, input('act_2', destinationId, { random: 0.25 }));
    expect(result).toEqual({ outcome: 'retrying', next_wait_ms: waitBeforeAttempt([0, 60, 300], 1, 0.25, 90) });
    expect(result.next_wait_ms).toBe(Math.round(90_000 * 1.025));
    const last = await env.run(activities.deliver, input('act_2', destinationId, { attempt: 3, round: 2 }));
    expect(last).toEqual({ outcome: 'failed' }); // the schedule is exhausted
    const lane = (await new AlertViews(db, 'q').get('act_2'))!.destinations[0]!;
    expect(lane.state).toBe('failed');
    expect(lane.events[0]!.attempts.map((a) => [a.attempt, a.status_code])).toEqual([[1, 429], [3, 429]]);
  } finally {
    receiver.respond(() => ({ status: 200, body: '{"ok":true}' }));
  }
});

test('an event the destination filters out is recorded as filtered and nothing is sent', async () => {
  const destinationId = await routedTo('act_3', { severities: ['critical'] }, 'info');
  const before = receiver.requests.length;
  expect(await env.run(activities.deliver, input('act_3', destinationId))).toEqual({ outcome: 'filtered' });
  expect(receiver.requests.length).toBe(before);
  const lane = (await new AlertViews(db, 'q').get('act_3'))!.destinations[0]!;
  expect(lane).toMatchObject({ state: 'filtered', events: [{ sequence: 0, state: 'filtered', attempts: [] }] });
});

test('expiry loses the race to a resolve kept before it: the resolve is the alert’s close', async () => {
  await routedTo('act_4');
  const { sequence } = await alerts.appendClose('act_4', 'resolve', { by: 'source' });
  expect(await env.run(activities.expireAlert, { alertId: 'act_4', reason: 'still open after 720h', at: new Date().toISOString() })).toEqual({ sequence, action: 'resolve' });
  await routedTo('act_5');
  expect(await env.run(activities.expireAlert, { alertId: 'act_5', reason: 'still open after 720h', at: '2026-12-31T00:00:00.000Z' })).toEqual({ sequence: 1, action: 'expire' });
  expect((await new AlertViews(db, 'q').get('act_5'))!.closure).toMatchObject({ action: 'expire', at: '2026-12-31T00:00:00.000Z' });
});
