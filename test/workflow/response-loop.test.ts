// The response loop on the time-skipping test server. Acknowledgements (README "Acknowledge"): every
// destination that heard of the alert hears its acknowledgement in its FIFO (a webhook, PagerDuty and
// incident.io on their contract fakes), an acknowledgement with `until` returns the alert to
// triggered at that time exactly, and an acknowledgement racing a resolve never sends anything after
// the resolve. Auto-resolve (README "Auto-resolve"): an alert without news resolves itself exactly
// when its setting says, each update putting it off. Heartbeats (README "Heartbeats"): a missed
// deadline raises the heartbeat's alert at that time exactly, the next ping resolves it, a ping whose
// signal was lost raises nothing, and deleting a heartbeat that is down resolves its alert.
import { randomBytes } from 'node:crypto';
import { TenantStore } from '../../src/store/tenants';
import { keepAsReplayFixture, recordingFixtures } from '../support/replay-fixtures';
import { workflowIdFor, type Alert } from '../../src/domain/alert';
import { DEFAULT_CIRCUIT_POLICY } from '../../src/domain/circuit';
import type { OutboundEvent } from '../../src/domain/events';
import { ACK_TIMEOUT_BY, AUTO_RESOLVE_BY } from '../../src/activities/lifecycle';
import { HEARTBEAT_BY } from '../../src/activities/heartbeats';
import { deadlineAfter, heartbeatWorkflowIdFor } from '../../src/domain/heartbeats';
import { HeraldStatus } from '../../src/temporal/search-attributes';
import { eventually } from '../support/eventually';
import { FakeIncidentIo, STATUSES } from '../support/fakes/incident-io';
import { FakePagerDuty } from '../support/fakes/pagerduty';
import { Receiver } from '../support/receiver';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';

const INCIDENT_KEY = 'inc_ack_test_key';
const ROUTING_KEY = 'R0UT1NGKEY0000000000000000000ACK';

let h: WorkflowHarness;
let receiver: Receiver;
let pagerduty: FakePagerDuty;
let incidents: FakeIncidentIo;

beforeAll(async () => {
  h = await startWorkflowHarness('herald-ack-test');
  receiver = await Receiver.start();
  pagerduty = await FakePagerDuty.start();
  incidents = await FakeIncidentIo.start(INCIDENT_KEY);
});
afterAll(async () => {
  await receiver?.close();
  await pagerduty?.close();
  await incidents?.close();
  await h?.stop();
});

const unique = (name: string) => `${name}-${randomBytes(4).toString('hex')}`;
const common = { enabled: true, retry_schedule: [0, 1, 5], timeout_s: 5, filters: {}, mute_windows: [], circuit_breaker: DEFAULT_CIRCUIT_POLICY, rate_limit: null };

async function webhook(): Promise<string> {
  const created = await h.destinations.create({
    ...common,
    name: unique('ack-webhook'),
    type: 'webhook',
    config: { url: receiver.url(), method: 'POST', headers: {}, auth: { type: 'none' }, response_validators: [], signing_secret: `whsec_${randomBytes(32).toString('base64')}` },
  });
  return created.id;
}

function alert(id: string): Alert {
  return { id, title: `Alert ${id}`, severity: 'error', labels: {}, event: { type: 'freshness' }, links: {}, created_at: new Date().toISOString() };
}

const bodiesFor = (alertId: string) => receiver.requests.map((r) => JSON.parse(r.body) as OutboundEvent).filter((b) => b.alert.id === alertId);
const typesFor = (alertId: string) => bodiesFor(alertId).map((b) => b.event_type);
async function heraldStatus(alertId: string): Promise<unknown> {
  const description = await h.env.client.workflow.getHandle(workflowIdFor(alertId)).describe();
  return description.typedSearchAttributes.get(HeraldStatus);
}

test('every destination hears the acknowledgement in order: webhook, PagerDuty acknowledge on the same dedup key, incident.io moved to the acknowledged status', async () => {
  const hook = await webhook();
  const pd = await h.destinations.create({ ...common, name: unique('ack-pd'), type: 'pagerduty', config: { routing_key: ROUTING_KEY, base_url: pagerduty.url() } });
  const inc = await h.destinations.create({
    ...common,
    name: unique('ack-incident'),
    type: 'incident_io',
    config: { api_key: INCIDENT_KEY, base_url: incidents.url(), closed_status_id: STATUSES.closed.id, acknowledged_status_id: STATUSES.investigating.id, mode: 'standard', visibility: 'public' },
  });
  await h.actions.trigger(alert('ack_1'), [hook, pd.id, inc.id]);
  await h.actions.update('ack_1', { description: 'rows stopped arriving' });
  await receiver.waitFor(1, (r) => r.body.includes('"ack_1"'));
  expect(await h.actions.acknowledge('ack_1', 'acknowledge', { by: 'alice@example.com' })).toBe(true);
  // The same acknowledgement again (a retry) changes nothing.
  expect(await h.actions.acknowledge('ack_1', 'acknowledge', { by: 'alice@example.com' })).toBe(false);
  await h.actions.update('ack_1', { description: 'still no rows' });
  await receiver.waitFor(4, (r) => r.body.includes('"ack_1"'));

  const state = await h.actions.get('ack_1');
  expect(state.status).toBe('acknowledged');
  expect('acknowledgement' in state && state.acknowledgement).toMatchObject({ by: 'alice@example.com' });
  // The search attribute is written when the workflow task completes, which may be after its first attempts were delivered.
  await eventually(async () => expect(await heraldStatus('ack_1')).toBe('acknowledged'));
  await eventually(async () => {
    const [incident] = [...incidents.incidents.values()].filter((i) => i.name.includes('ack_1'));
    if (incident?.status.id !== STATUSES.investigating.id) throw new Error(`incident is ${incident?.status.name}`);
  });

  await h.actions.close('ack_1', 'resolve', { by: 'alice@example.com' });
  await receiver.waitFor(5, (r) => r.body.includes('"ack_1"'));
  const bodies = bodiesFor('ack_1');
  expect(bodies.map((b) => b.event_type)).toEqual(['alert.triggered', 'alert.updated', 'alert.acknowledged', 'alert.updated', 'alert.resolved']);
  expect(bodies[2]!.alert).toMatchObject({ status: 'acknowledged', acknowledged_by: 'alice@example.com' });
  expect(bodies[3]!.alert).toMatchObject({ status: 'acknowledged', acknowledged_by: 'alice@example.com' }); // an update of an acknowledged alert says who is on it
  expect(bodies[4]!.alert.status).toBe('resolved');
  expect(bodies[4]!.alert.acknowledged_by).toBeUndefined();

  await eventually(async () => {
    const key = [...pagerduty.alerts.values()].find((a) => a.events.some((e) => JSON.stringify(e).includes('ack_1')));
    if (key?.status !== 'resolved') throw new Error(`PagerDuty alert is ${key?.status}`);
    expect(key.events.map((e) => e.event_action)).toEqual(['trigger', 'trigger', 'acknowledge', 'trigger', 'resolve']);
  });
  await eventually(async () => {
    const [incident] = [...incidents.incidents.values()].filter((i) => i.name.includes('ack_1'));
    if (incident?.status.id !== STATUSES.closed.id) throw new Error(`incident is ${incident?.status.name}`);
  });
  expect(pagerduty.contractViolations).toEqual([]);
  expect(incidents.contractViolations).toEqual([]);
});

test('an acknowledgement with until returns the alert to triggered at that time exactly; taking one back is heard too', async () => {
  const hook = await webhook();
  await h.actions.trigger(alert('ack_2'), [hook]);
  await receiver.waitFor(1, (r) => r.body.includes('"ack_2"'));
  const until = new Date((await h.env.currentTimeMs()) + 600_000).toISOString();
  await h.actions.acknowledge('ack_2', 'acknowledge', { by: 'bob', until });
  await receiver.waitFor(2, (r) => r.body.includes('"ack_2"'));
  expect(bodiesFor('ack_2')[1]!.alert).toMatchObject({ status: 'acknowledged', acknowledged_by: 'bob', acknowledged_until: until });

  await h.env.sleep(590_000);
  expect(typesFor('ack_2')).toEqual(['alert.triggered', 'alert.acknowledged']);
  expect((await h.actions.get('ack_2')).status).toBe('acknowledged');
  await h.env.sleep(15_000);
  await receiver.waitFor(3, (r) => r.body.includes('"ack_2"'));
  const unacknowledged = bodiesFor('ack_2')[2]!;
  expect(unacknowledged.event_type).toBe('alert.unacknowledged');
  expect(unacknowledged.alert).toMatchObject({ status: 'triggered', unacknowledged_by: ACK_TIMEOUT_BY });
  // On the workflow's clock: the withdrawal is dated the acknowledgement's until.
  expect(Math.abs(Date.parse(unacknowledged.occurred_at) - Date.parse(until))).toBeLessThan(2000);
  expect((await h.actions.get('ack_2')).status).toBe('triggered');
  expect(await heraldStatus('ack_2')).toBe('triggered');

  // Acknowledged again, then taken back by a person: the deadline of the second one never fires.
  await h.actions.acknowledge('ack_2', 'acknowledge', { by: 'carol', until: new Date((await h.env.currentTimeMs()) + 60_000).toISOString() });
  await h.actions.acknowledge('ack_2', 'unacknowledge', { by: 'carol' });
  expect(await h.actions.acknowledge('ack_2', 'unacknowledge', { by: 'carol' })).toBe(false);
  await receiver.waitFor(5, (r) => r.body.includes('"ack_2"'));
  await h.env.sleep(120_000);
  await h.actions.close('ack_2', 'dismiss', {});
  await receiver.waitFor(6, (r) => r.body.includes('"ack_2"'));
  const bodies = bodiesFor('ack_2');
  expect(bodies.map((b) => b.event_type)).toEqual(['alert.triggered', 'alert.acknowledged', 'alert.unacknowledged', 'alert.acknowledged', 'alert.unacknowledged', 'alert.dismissed']);
  expect(bodies[4]!.alert.unacknowledged_by).toBe('carol');
  if (recordingFixtures()) {
    // Later code must replay acknowledged alerts.
    const handle = h.env.client.workflow.getHandle(workflowIdFor('ack_2'));
    await handle.result();
    keepAsReplayFixture(await handle.fetchHistory(), 'alert-v2-acknowledged.history.bin');
  }
});

test('an acknowledgement racing a resolve: whichever the store numbered first goes first, nothing goes after the resolve', async () => {
  const hook = await webhook();
  for (let i = 0; i < 5; i++) {
    const id = `ack_race_${i}`;
    await h.actions.trigger(alert(id), [hook]);
    await receiver.waitFor(1, (r) => r.body.includes(`"${id}"`));
    const [ack] = await Promise.allSettled([h.actions.acknowledge(id, 'acknowledge', { by: 'dave' }), h.actions.close(id, 'resolve', { by: 'eve' })]);
    await eventually(async () => {
      if (!typesFor(id).includes('alert.resolved')) throw new Error(`${id}: ${typesFor(id).join(', ')}`);
    });
    await h.env.sleep(60_000);
    const types = typesFor(id);
    expect(types.at(-1)).toBe('alert.resolved');
    // The acknowledgement either went first, or found the alert closed (409) and sent nothing.
    expect(types).toEqual(ack.status === 'fulfilled' ? ['alert.triggered', 'alert.acknowledged', 'alert.resolved'] : ['alert.triggered', 'alert.resolved']);
    expect((await h.actions.get(id)).status).toBe('resolved');
  }
});

test('an alert without news resolves itself after auto_resolve_after_s, each update putting it off; its own setting comes before its rules\'', async () => {
  const hook = await webhook();
  const team = unique('batch');
  await h.rules.create({ name: unique('auto-resolve'), enabled: true, match: { labels: { team } }, destination_ids: [hook], mute_windows: [], auto_resolve_after_s: 3600 });
  await h.rules.create({ name: unique('auto-resolve-longer'), enabled: true, match: { labels: { team } }, destination_ids: [hook], mute_windows: [], auto_resolve_after_s: 7200 });
  await h.actions.trigger({ ...alert('auto_1'), labels: { team } }, []);
  await h.actions.trigger({ ...alert('auto_2'), labels: { team }, auto_resolve_after_s: 600 }, []);
  await receiver.waitFor(1, (r) => r.body.includes('"auto_1"'));

  await h.env.sleep(1800_000);
  await receiver.waitFor(2, (r) => r.body.includes('"auto_2"'));
  expect(typesFor('auto_2')).toEqual(['alert.triggered', 'alert.resolved']); // its own 10 minutes
  // Times measured from the workflow's start and the update's send, not a clock read before both
  // triggers: their wall time on a slow machine passes on the test server's clock too.
  const auto2Started = (await h.env.client.workflow.getHandle(workflowIdFor('auto_2')).describe()).startTime.getTime();
  expect(Math.abs(Date.parse(bodiesFor('auto_2')[1]!.occurred_at) - (auto2Started + 600_000))).toBeLessThan(2000);
  const updatedAt = await h.env.currentTimeMs();
  await h.actions.update('auto_1', { description: 'still late' }); // news at +30 min: now due at +90 min
  await receiver.waitFor(2, (r) => r.body.includes('"auto_1"'));
  await h.env.sleep(3000_000);
  expect(typesFor('auto_1')).toEqual(['alert.triggered', 'alert.updated']);
  expect((await h.actions.get('auto_1')).status).toBe('triggered');
  await h.env.sleep(700_000);
  await receiver.waitFor(3, (r) => r.body.includes('"auto_1"'));
  const resolved = bodiesFor('auto_1')[2]!;
  expect(resolved).toMatchObject({ event_type: 'alert.resolved', alert: { status: 'resolved', closed_by: AUTO_RESOLVE_BY, close_reason: 'no news for 1h' } });
  expect(Math.abs(Date.parse(resolved.occurred_at) - (updatedAt + 3600_000))).toBeLessThan(2000);
  expect(resolved.alert).not.toHaveProperty('auto_resolve_after_s');
});

describe('heartbeats', () => {
  const now = async () => new Date(await h.env.currentTimeMs());

  test('a missed deadline raises the alert at that time exactly; the next ping resolves it; pings in time raise nothing', async () => {
    const hook = await webhook();
    const createdAt = await now();
    const { heartbeat } = await h.heartbeatActions.create({ name: 'nightly-export', interval_s: 3600, grace_s: 300, destination_ids: [hook], alert: { labels: { team: 'data' } } }, createdAt);
    expect(heartbeat).toMatchObject({ status: 'new', deadline_at: new Date(createdAt.getTime() + 3900_000).toISOString() });
    await h.env.sleep(3000_000);
    const pingedAt = await now();
    await h.heartbeatActions.ping('nightly-export', pingedAt); // the deadline is now 3900 s after this ping
    await h.env.sleep(3850_000);
    expect((await h.heartbeats.get('nightly-export'))!.status).toBe('new');
    expect(await h.actions.get('heartbeat-nightly-export-1').catch((e: Error) => e.message)).toMatch(/no alert/);

    await h.env.sleep(100_000);
    await receiver.waitFor(1, (r) => r.body.includes('"heartbeat-nightly-export-1"'));
    const raised = bodiesFor('heartbeat-nightly-export-1')[0]!;
    expect(raised).toMatchObject({ event_type: 'alert.triggered', alert: { title: 'Heartbeat nightly-export missed', severity: 'error', labels: { team: 'data', heartbeat: 'nightly-export' } }, event: { type: 'heartbeat_missed' } });
    expect(Math.abs(Date.parse(raised.occurred_at) - (pingedAt.getTime() + 3900_000))).toBeLessThan(2000);
    expect(await h.heartbeats.get('nightly-export')).toMatchObject({ status: 'down', alert_id: 'heartbeat-nightly-export-1', misses: 1 });

    await h.heartbeatActions.ping('nightly-export', await now());
    await receiver.waitFor(2, (r) => r.body.includes('"heartbeat-nightly-export-1"'));
    expect(bodiesFor('heartbeat-nightly-export-1')[1]).toMatchObject({ event_type: 'alert.resolved', alert: { closed_by: HEARTBEAT_BY } });
    await eventually(async () => expect((await h.heartbeats.get('nightly-export'))!.status).toBe('up'));

    // Pings in time, hour after hour: nothing more is raised.
    for (let i = 0; i < 5; i++) {
      await h.env.sleep(3600_000);
      await h.heartbeatActions.ping('nightly-export', await now());
    }
    expect(bodiesFor('heartbeat-nightly-export-2')).toEqual([]);
    expect((await h.heartbeats.get('nightly-export'))!.misses).toBe(1);
  });

  test('a ping the store kept but whose signal never reached the workflow raises no false alarm; deleting a heartbeat that is down resolves its alert', async () => {
    const hook = await webhook();
    await h.heartbeatActions.create({ name: 'lost-ping', interval_s: 600, grace_s: 0, destination_ids: [hook] }, await now());
    await h.env.sleep(500_000);
    const lost = (await now()).toISOString();
    await h.heartbeats.recordPing('lost-ping', lost, deadlineAfter(lost, { interval_s: 600, grace_s: 0 })); // as if Temporal had answered 503
    await h.env.sleep(300_000); // past the first deadline, not the lost ping's
    expect((await h.heartbeats.get('lost-ping'))!.status).toBe('new');
    await h.env.sleep(400_000); // past the lost ping's deadline too
    await receiver.waitFor(1, (r) => r.body.includes('"heartbeat-lost-ping-1"'));
    expect((await h.heartbeats.get('lost-ping'))!.status).toBe('down');

    await h.heartbeatActions.delete('lost-ping');
    await receiver.waitFor(2, (r) => r.body.includes('"heartbeat-lost-ping-1"'));
    expect(bodiesFor('heartbeat-lost-ping-1')[1]).toMatchObject({ event_type: 'alert.resolved', alert: { close_reason: 'the heartbeat was deleted' } });
    await h.env.client.workflow.getHandle(heartbeatWorkflowIdFor('lost-ping')).result();
    expect(await h.heartbeats.get('lost-ping')).toBeUndefined();
  });

  test("a tenant's heartbeat named as the default tenant's is its own: its miss raises its tenant's alert to its tenant's destination, and deleting it resolves that alert only", async () => {
    const tenant = (await new TenantStore(h.db).create({ id: 'hb-acme', name: 'Acme' })).id;
    const theirs = await h.destinations.forTenant(tenant).create({ ...common, name: 'acme-hook', type: 'webhook', config: { url: receiver.url('/acme'), method: 'POST', headers: {}, auth: { type: 'none' }, response_validators: [], signing_secret: `whsec_${randomBytes(32).toString('base64')}` } });
    const ours = await webhook();
    await h.heartbeatActions.create({ name: 'shared-beat', interval_s: 600, grace_s: 0, destination_ids: [ours] }, await now());
    const { heartbeat } = await h.heartbeatActions.create({ name: 'shared-beat', interval_s: 60, grace_s: 0, destination_ids: [theirs.id] }, await now(), tenant);
    expect(heartbeat.name).toBe('shared-beat');
    expect(await h.heartbeatActions.list(tenant)).toEqual([expect.objectContaining({ name: 'shared-beat', interval_s: 60 })]);

    await h.env.sleep(61_000); // the tenant's misses; the default tenant's does not
    const [raised] = await receiver.waitFor(1, (r) => r.path === '/acme' && r.body.includes('"heartbeat-shared-beat-1"'));
    expect(JSON.parse(raised!.body)).toMatchObject({ event_type: 'alert.triggered', alert: { id: 'heartbeat-shared-beat-1' } });
    expect(await h.heartbeatActions.get('shared-beat', tenant)).toMatchObject({ status: 'down', alert_id: 'heartbeat-shared-beat-1' });
    expect((await h.heartbeatActions.get('shared-beat')).status).toBe('new');
    expect(await h.actions.get('heartbeat-shared-beat-1').catch((e: Error) => e.message)).toMatch(/no alert/); // not the default tenant's

    await h.heartbeatActions.delete('shared-beat', tenant);
    await receiver.waitFor(2, (r) => r.path === '/acme' && r.body.includes('"heartbeat-shared-beat-1"'));
    await h.env.client.workflow.getHandle(heartbeatWorkflowIdFor(`${tenant}/shared-beat`)).result();
    expect((await h.heartbeatActions.get('shared-beat')).status).toBe('new');
  });
});
