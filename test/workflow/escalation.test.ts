// Escalation policies on the time-skipping test server (README "Escalation policies"): steps fire at
// their exact times, each notifying its destinations through lanes of their own; an acknowledgement
// stops the steps not yet fired; resolve reaches every destination a fired step notified, in FIFO
// order; a policy's ack timeout returns the alert to triggered and the escalation goes on, its repeat
// reminding the destinations already notified with alert.escalated.
import { randomBytes } from 'node:crypto';
import { workflowIdFor, type Alert } from '../../src/domain/alert';
import { DEFAULT_CIRCUIT_POLICY } from '../../src/domain/circuit';
import type { OutboundEvent } from '../../src/domain/events';
import { ACK_TIMEOUT_BY } from '../../src/activities/lifecycle';
import { Receiver } from '../support/receiver';
import { eventually } from '../support/eventually';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';

let h: WorkflowHarness;
let receiver: Receiver;

beforeAll(async () => {
  h = await startWorkflowHarness('herald-escalation-test');
  receiver = await Receiver.start();
});
afterAll(async () => {
  await receiver?.close();
  await h?.stop();
});

const unique = (name: string) => `${name}-${randomBytes(4).toString('hex')}`;

/** A webhook whose requests arrive under its own path, so each destination's FIFO can be read apart. */
async function webhook(path: string): Promise<string> {
  const created = await h.destinations.create({
    name: unique(path.slice(1)),
    type: 'webhook',
    enabled: true,
    retry_schedule: [0, 1, 5],
    timeout_s: 5,
    filters: {},
    mute_windows: [],
    circuit_breaker: DEFAULT_CIRCUIT_POLICY,
    rate_limit: null,
    config: { url: receiver.url(path), method: 'POST', headers: {}, auth: { type: 'none' }, response_validators: [], signing_secret: `whsec_${randomBytes(32).toString('base64')}` },
  });
  return created.id;
}

function alert(id: string, team: string): Alert {
  return { id, title: `Alert ${id}`, severity: 'critical', labels: { team }, event: { type: 'freshness' }, links: {}, created_at: new Date().toISOString() };
}

const at = (path: string, alertId: string) =>
  receiver.requests
    .filter((r) => r.path === path)
    .map((r) => JSON.parse(r.body) as OutboundEvent)
    .filter((b) => b.alert.id === alertId);
const typesAt = (path: string, alertId: string) => at(path, alertId).map((b) => b.event_type);

async function escalationOf(alertId: string) {
  const state = await h.views.get(alertId);
  return state!.escalation!;
}

test('steps fire at their times, an acknowledgement stops the rest, and the resolve reaches every destination a fired step notified', async () => {
  const team = unique('db');
  const [slack, primary, secondary] = [await webhook('/e1-slack'), await webhook('/e1-primary'), await webhook('/e1-secondary')];
  const policy = await h.policies.create({
    name: unique('db-oncall'),
    steps: [
      { after_s: 0, destination_ids: [slack] },
      { after_s: 600, destination_ids: [primary] },
      { after_s: 1200, destination_ids: [secondary] },
    ],
    repeat: 0,
  });
  await h.rules.create({ name: unique('db-rule'), enabled: true, match: { labels: { team } }, destination_ids: [], mute_windows: [], escalation_policy_id: policy.id });
  await h.actions.trigger(alert('esc_1', team), []);
  await receiver.waitFor(1, (r) => r.path === '/e1-slack');

  await h.env.sleep(590_000);
  expect(typesAt('/e1-primary', 'esc_1')).toEqual([]);
  await h.actions.update('esc_1', { description: 'worse' }); // the slack lane hears it; the primary one will get it with its trigger
  await receiver.waitFor(2, (r) => r.path === '/e1-slack');
  await h.env.sleep(20_000);
  await receiver.waitFor(2, (r) => r.path === '/e1-primary');
  expect(typesAt('/e1-primary', 'esc_1')).toEqual(['alert.triggered', 'alert.updated']);
  let record = await escalationOf('esc_1');
  expect(record.state).toBe('escalating');
  // Measured from step 1 (fired with the trigger), not from the test's clock: the wall time the
  // trigger takes on a slow machine passes on the test server's clock too.
  const secondAfterFirst = Date.parse(record.steps[1]!.fired[0]!.at) - Date.parse(record.steps[0]!.fired[0]!.at);
  expect(secondAfterFirst).toBeGreaterThanOrEqual(600_000);
  expect(secondAfterFirst).toBeLessThan(602_000);
  expect(record.steps[1]!.fired[0]!.notified).toEqual([primary]);

  await h.actions.acknowledge('esc_1', 'acknowledge', { by: 'alice' });
  await receiver.waitFor(3, (r) => r.path === '/e1-primary');
  await h.env.sleep(3600_000);
  expect(typesAt('/e1-secondary', 'esc_1')).toEqual([]);
  record = await escalationOf('esc_1');
  expect(record).toMatchObject({ state: 'paused', steps: [{ fired: [{}] }, { fired: [{}] }, { fired: [], not_fired: 'waits: the alert is acknowledged' }] });

  await h.actions.close('esc_1', 'resolve', { by: 'alice' });
  await receiver.waitFor(4, (r) => r.path === '/e1-primary');
  await receiver.waitFor(4, (r) => r.path === '/e1-slack');
  expect(typesAt('/e1-slack', 'esc_1')).toEqual(['alert.triggered', 'alert.updated', 'alert.acknowledged', 'alert.resolved']);
  expect(typesAt('/e1-primary', 'esc_1')).toEqual(['alert.triggered', 'alert.updated', 'alert.acknowledged', 'alert.resolved']);
  await h.env.client.workflow.getHandle(workflowIdFor('esc_1')).result();
  expect(typesAt('/e1-secondary', 'esc_1')).toEqual([]);
  expect((await escalationOf('esc_1')).steps[2]!.not_fired).toBe('the alert was resolved before it was due');
  expect((await h.views.get('esc_1'))!.destinations.map((d) => d.destination_id)).toEqual([slack, primary]);

  // The Temporal UI's timeline reads as the escalation.
  const history = await h.env.client.workflow.getHandle(workflowIdFor('esc_1')).fetchHistory();
  const summaries = history.events!.filter((e) => e.timerStartedEventAttributes).map((e) => Buffer.from(e.userMetadata?.summary?.data ?? []).toString());
  expect(summaries.some((s) => /escalate to step 2 \(e1-primary-[0-9a-f]+\) in 10m/.test(s))).toBe(true);
});

test('the policy\'s ack timeout returns the alert to triggered and the escalation goes on; its repeat reminds the destinations it notified', async () => {
  const team = unique('etl');
  const [first, second] = [await webhook('/e2-first'), await webhook('/e2-second')];
  const policy = await h.policies.create({
    name: unique('etl-oncall'),
    steps: [
      { after_s: 0, destination_ids: [first] },
      { after_s: 300, destination_ids: [second] },
    ],
    repeat: 1,
    repeat_after_s: 600,
    ack_timeout_s: 900,
  });
  await h.rules.create({ name: unique('etl-rule'), enabled: true, match: { labels: { team } }, destination_ids: [], mute_windows: [], escalation_policy_id: policy.id });
  await h.actions.trigger(alert('esc_2', team), []);
  await receiver.waitFor(1, (r) => r.path === '/e2-first');
  await h.env.sleep(310_000);
  await receiver.waitFor(1, (r) => r.path === '/e2-second');

  await h.env.sleep(90_000); // +400 s
  await h.actions.acknowledge('esc_2', 'acknowledge', { by: 'bob' });
  await receiver.waitFor(2, (r) => r.path === '/e2-second');
  await h.env.sleep(880_000); // +1280 s: the ack holds until +1300 s
  expect(typesAt('/e2-first', 'esc_2')).toEqual(['alert.triggered', 'alert.acknowledged']);
  await h.env.sleep(30_000);
  await receiver.waitFor(3, (r) => r.path === '/e2-first');
  const back = at('/e2-first', 'esc_2')[2]!;
  expect(back.alert).toMatchObject({ status: 'triggered', unacknowledged_by: ACK_TIMEOUT_BY });

  // Triggered again at +1300 s: the repeat begins 600 s later, its first step at once, the second 300 s after.
  await h.env.sleep(620_000);
  await receiver.waitFor(4, (r) => r.path === '/e2-first');
  const reminder = at('/e2-first', 'esc_2')[3]!;
  expect(reminder).toMatchObject({ event_type: 'alert.escalated', alert: { status: 'triggered' }, escalation: { policy_id: policy.id, step: 1, repeat: 1 } });
  expect(typesAt('/e2-second', 'esc_2')).toEqual(['alert.triggered', 'alert.acknowledged', 'alert.unacknowledged']);
  await h.env.sleep(310_000);
  await receiver.waitFor(4, (r) => r.path === '/e2-second');
  expect(at('/e2-second', 'esc_2')[3]).toMatchObject({ event_type: 'alert.escalated', escalation: { step: 2, repeat: 1 } });
  const record = await escalationOf('esc_2');
  expect(record.state).toBe('finished');
  const start = Date.parse(record.steps[0]!.fired[0]!.at); // step 1 fired with the trigger
  const firedAt = record.steps.flatMap((s) => s.fired.map((f) => Math.round((Date.parse(f.at) - start) / 1000)));
  // step 1 at 0 and (repeat) 1900 s, step 2 at 300 and 2200 s, each within a second or two.
  for (const [got, want] of firedAt.map((t, i) => [t, [0, 1900, 300, 2200][i]!])) expect(Math.abs(got - want)).toBeLessThanOrEqual(2);

  await h.env.sleep(3600_000);
  expect(at('/e2-first', 'esc_2')).toHaveLength(4); // nothing more: every step of every run fired
  await h.actions.close('esc_2', 'resolve', {});
  await eventually(async () => {
    if (typesAt('/e2-first', 'esc_2').at(-1) !== 'alert.resolved' || typesAt('/e2-second', 'esc_2').at(-1) !== 'alert.resolved') throw new Error('resolve not yet everywhere');
  });
});
