// Escalation policies over the HTTP API on a real dev server (README "Escalation policies"): CRUD with
// validation by field, a rule routing to a policy, steps reaching real webhooks on loopback at their
// times, an acknowledgement stopping the steps not yet fired, resolve reaching every fired step, and a
// policy that rules use refused on delete.
import { eventually } from '../support/eventually';
import { Receiver } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';

let herald: TestHerald;
let receiver: Receiver;
const hooks: Record<string, string> = {};

beforeAll(async () => {
  herald = await startHerald();
  receiver = await Receiver.start();
  for (const name of ['first-line', 'second-line']) {
    hooks[name] = (await herald.call('POST', '/v1/destinations', { name, type: 'webhook', config: { url: receiver.url(`/${name}`) } })).body.id;
  }
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

const received = (alertId: string) =>
  receiver.requests.filter((r) => JSON.parse(r.body).alert.id === alertId).map((r) => `${r.path} ${r.headers['x-herald-event']}`);

test('CRUD: fields checked by name, unknown destinations 422, names unique, PATCH merges, audit kept', async () => {
  const bad = await herald.call('POST', '/v1/escalation-policies', { name: '', steps: [{ after_s: -1, destination_ids: [] }], repeat: 2 });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['name', 'steps.0.after_s', 'steps.0.destination_ids']));
  const noSteps = await herald.call('POST', '/v1/escalation-policies', { name: 'empty', steps: [] });
  expect(noSteps.status).toBe(400);
  expect(noSteps.body.error.details.map((d: { path: string }) => d.path)).toEqual(['steps']);
  const unknown = await herald.call('POST', '/v1/escalation-policies', { name: 'x', steps: [{ after_s: 0, destination_ids: [hooks['first-line']] }, { after_s: 60, destination_ids: ['dst_nope'] }] });
  expect(unknown.status).toBe(422);
  expect(unknown.body.error.details).toMatchObject({ field: 'steps.1.destination_ids', unknown: ['dst_nope'] });

  const created = await herald.call('POST', '/v1/escalation-policies', { name: 'crud policy', steps: [{ after_s: 0, destination_ids: [hooks['first-line'], hooks['first-line']] }] });
  expect(created.status).toBe(201);
  const id = created.body.id;
  expect(created.body).toMatchObject({ name: 'crud policy', repeat: 0, steps: [{ after_s: 0, destination_ids: [hooks['first-line']] }] });
  expect((await herald.call('POST', '/v1/escalation-policies', { name: 'crud policy', steps: [{ after_s: 0, destination_ids: [hooks['first-line']] }] })).status).toBe(409);
  const patched = await herald.call('PATCH', `/v1/escalation-policies/${id}`, { description: 'pages the first line', ack_timeout_s: 600 });
  expect(patched.status).toBe(200);
  expect(patched.body).toMatchObject({ name: 'crud policy', description: 'pages the first line', ack_timeout_s: 600, steps: [{ after_s: 0 }] });
  const repeatWithoutWait = await herald.call('PATCH', `/v1/escalation-policies/${id}`, { repeat: 1 });
  expect(repeatWithoutWait.status).toBe(400);
  expect(repeatWithoutWait.body.error.details.map((d: { path: string }) => d.path)).toEqual(['repeat_after_s']);
  expect((await herald.call('PATCH', `/v1/escalation-policies/${id}`, { ack_timeout_s: null })).body.ack_timeout_s).toBeUndefined();
  expect((await herald.call('GET', '/v1/escalation-policies')).body.data.map((p: { id: string }) => p.id)).toContain(id);
  expect((await herald.call('GET', '/v1/escalation-policies/esc_missing')).body.error.code).toBe('escalation_policy_not_found');

  expect((await herald.call('DELETE', `/v1/escalation-policies/${id}`)).status).toBe(204);
  expect((await herald.call('GET', `/v1/escalation-policies/${id}`)).status).toBe(404);
  const audit = (await herald.call('GET', `/v1/audit?target_id=${id}`)).body.data.map((e: { action: string }) => e.action);
  expect(audit.sort()).toEqual(['escalation_policy.created', 'escalation_policy.deleted', 'escalation_policy.updated', 'escalation_policy.updated']);
});

test('a rule routes to the policy: steps fire on time, acknowledge stops the rest, resolve reaches each fired step; in use cannot be deleted', async () => {
  const policy = await herald.call('POST', '/v1/escalation-policies', {
    name: 'data on-call',
    steps: [
      { after_s: 0, destination_ids: [hooks['first-line']] },
      { after_s: 2, destination_ids: [hooks['second-line']] },
    ],
  });
  expect(policy.status).toBe(201);
  const noTarget = await herald.call('POST', '/v1/rules', { name: 'nothing', match: {}, destination_ids: [] });
  expect(noTarget.body.error.details.map((d: { path: string }) => d.path)).toEqual(['destination_ids']);
  const unknownPolicy = await herald.call('POST', '/v1/rules', { name: 'ghost', match: {}, destination_ids: [], escalation_policy_id: 'esc_nope' });
  expect([unknownPolicy.status, unknownPolicy.body.error.code]).toEqual([422, 'unknown_escalation_policy']);
  const rule = await herald.call('POST', '/v1/rules', { name: 'escalate orders', match: { labels: { team: 'data' } }, destination_ids: [], escalation_policy_id: policy.body.id });
  expect(rule.status).toBe(201);

  // Nobody answers: step 1 at once, step 2 about 2 s later; resolve reaches both.
  await herald.call('POST', '/v1/alerts', { id: 'esc_unanswered', title: 'Orders stale', severity: 'critical', labels: { team: 'data' } });
  const [first, second] = await receiver.waitFor(2, (r) => r.body.includes('esc_unanswered'));
  expect(received('esc_unanswered')).toEqual(['/first-line alert.triggered', '/second-line alert.triggered']);
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_900);
  const escalated = await eventually(async () => {
    const state = (await herald.call('GET', '/v1/alerts/esc_unanswered')).body;
    expect(state.escalation.state).toBe('finished');
    return state;
  });
  expect(escalated.escalation.steps.map((s: { step: number; fired: { notified: string[] }[] }) => [s.step, s.fired.map((f) => f.notified)])).toEqual([
    [1, [[hooks['first-line']]]],
    [2, [[hooks['second-line']]]],
  ]);
  await herald.call('POST', '/v1/alerts/esc_unanswered/resolve', { by: 'dana' });
  await receiver.waitFor(4, (r) => r.body.includes('esc_unanswered'));
  expect(received('esc_unanswered').slice(2).sort()).toEqual(['/first-line alert.resolved', '/second-line alert.resolved']);

  // Acknowledged before step 2 is due: the second line never hears of it.
  await herald.call('POST', '/v1/alerts', { id: 'esc_answered', title: 'Orders stale again', severity: 'critical', labels: { team: 'data' } });
  await receiver.waitFor(1, (r) => r.body.includes('esc_answered'));
  expect((await herald.call('POST', '/v1/alerts/esc_answered/acknowledge', { by: 'dana' })).status).toBe(202);
  await receiver.waitFor(2, (r) => r.body.includes('esc_answered'));
  const paused = await eventually(async () => {
    const state = (await herald.call('GET', '/v1/alerts/esc_answered')).body;
    expect(state.escalation.state).toBe('paused');
    return state;
  });
  expect(paused.escalation.steps[1]).toMatchObject({ step: 2, fired: [], not_fired: 'waits: the alert is acknowledged' });
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // past step 2's time: it must not fire
  expect(received('esc_answered')).toEqual(['/first-line alert.triggered', '/first-line alert.acknowledged']);

  const inUse = await herald.call('DELETE', `/v1/escalation-policies/${policy.body.id}`);
  expect([inUse.status, inUse.body.error.code]).toEqual([409, 'escalation_policy_in_use']);
  expect(inUse.body.error.details.rules.map((r: { name: string }) => r.name)).toEqual(['escalate orders']);
});
