// Escalation steps and heartbeat deadlines are Temporal timers, so they survive restarts (README
// "Escalation policies", "Heartbeats"): 20 alerts escalate by a policy whose step 2 is due 15 s after
// step 1, and a heartbeat waits out a 20 s interval; between the two, the worker is killed (SIGKILL)
// and the Temporal dev server is stopped and started again. Every step 2 fires once and not early,
// the heartbeat's miss is raised once and not before its deadline.
import { buildCli, killHard, spawnWorker, stopGently, type CliProcess } from '../support/cli-process';
import { OwnDevServer } from '../support/dev-server';
import { eventually } from '../support/eventually';
import { startHerald, type TestHerald } from '../support/herald';
import { inPool } from '../support/pool';
import { Receiver, type Received } from '../support/receiver';
import { report } from './report';

const ALERTS = 20;
const STEP_2_AFTER_S = 15;
const HEARTBEAT_INTERVAL_S = 20;

let server: OwnDevServer;
let herald: TestHerald;
let receiver: Receiver;
let cli: string;
let worker: CliProcess | undefined;

beforeAll(async () => {
  server = await OwnDevServer.start('escalation-temporal');
  cli = buildCli('escalation-workers');
  herald = await startHerald({ worker: false, temporalAddress: server.address });
  receiver = await Receiver.start();
}, 120_000);
afterAll(async () => {
  if (worker) await stopGently(worker);
  await herald?.stop();
  await server?.stop();
  await receiver?.close();
});

const alertOf = (r: Received) => JSON.parse(r.body).alert.id as string;
const deliveryIds = (requests: Received[]) => new Set(requests.map((r) => String(r.headers['webhook-id'])));
const at = (path: string, event: string) => receiver.requests.filter((r) => r.path === path && r.headers['x-herald-event'] === event);

test(`${ALERTS} escalations and a heartbeat through a killed worker and a restarted Temporal: each step once, none early`, async () => {
  const hook = async (name: string) => (await herald.call('POST', '/v1/destinations', { name, type: 'webhook', config: { url: receiver.url(`/${name}`) } })).body.id as string;
  const [first, second] = [await hook('first-line'), await hook('second-line')];
  const policy = await herald.call('POST', '/v1/escalation-policies', {
    name: 'restart-proof',
    steps: [
      { after_s: 0, destination_ids: [first] },
      { after_s: STEP_2_AFTER_S, destination_ids: [second] },
    ],
  });
  expect(policy.status).toBe(201);
  expect((await herald.call('POST', '/v1/rules', { name: 'escalate', match: { labels: { team: 'esc' } }, destination_ids: [], escalation_policy_id: policy.body.id })).status).toBe(201);
  expect((await herald.call('POST', '/v1/heartbeats', { name: 'nightly', interval_s: HEARTBEAT_INTERVAL_S, grace_s: 0, destination_ids: [first] })).status).toBe(201);
  worker = await spawnWorker(cli, herald.config, server.address);

  const ids = Array.from({ length: ALERTS }, (_, i) => `esc_restart_${i}`);
  const triggers = await inPool(ids, 10, (id) => herald.call('POST', '/v1/alerts', { id, title: `Escalating ${id}`, labels: { team: 'esc' } }));
  expect(triggers.filter((r) => r.status !== 202)).toEqual([]);
  await receiver.waitFor(ALERTS, (r) => r.path === '/first-line' && ids.includes(alertOf(r)), 60_000);
  expect((await herald.call('POST', '/v1/heartbeats/nightly/ping')).status).toBe(202);
  const pingedAt = Date.now();

  // Both waits are running: kill the worker, restart Temporal, start a new worker.
  await killHard(worker);
  await server.stop();
  await server.startAgain();
  worker = await spawnWorker(cli, herald.config, server.address);
  const restartS = (Date.now() - pingedAt) / 1000;

  await receiver.waitFor(ALERTS, (r) => r.path === '/second-line', 120_000);
  const [missed] = await receiver.waitFor(1, (r) => r.body.includes('heartbeat-nightly-1'), 120_000);
  const missAfterS = (missed!.at - pingedAt) / 1000;
  const states = await eventually(async () => {
    const all = await inPool(ids, 10, async (id) => (await herald.call('GET', `/v1/alerts/${id}`)).body);
    expect(all.map((s) => s.escalation.state)).toEqual(ids.map(() => 'finished'));
    return all;
  }, 30_000);
  await new Promise((r) => setTimeout(r, 3000)); // time for a duplicate to show, if one were coming

  // Each alert: one delivery at each line, step 2 at least its wait after step 1. A worker killed
  // between an attempt and the end of its workflow task repeats that attempt with the same delivery
  // id (README "Delivery and retries"): a copy, which the receiver deduplicates, not a second step.
  let retriedCopies = 0;
  const gapsMs = ids.map((id) => {
    const requestsA = at('/first-line', 'alert.triggered').filter((r) => alertOf(r) === id);
    const requestsB = at('/second-line', 'alert.triggered').filter((r) => alertOf(r) === id);
    expect([deliveryIds(requestsA).size, deliveryIds(requestsB).size]).toEqual([1, 1]);
    retriedCopies += requestsA.length + requestsB.length - 2;
    return requestsB[0]!.at - requestsA[0]!.at;
  });
  // Step 2's wait counts from when step 1 fired, a few ms before its webhook arrived.
  expect(Math.min(...gapsMs)).toBeGreaterThanOrEqual(STEP_2_AFTER_S * 1000 - 500);
  for (const state of states) expect(state.escalation.steps[1].fired).toHaveLength(1);
  expect(missAfterS).toBeGreaterThanOrEqual(HEARTBEAT_INTERVAL_S);
  expect(receiver.requests.filter((r) => r.body.includes('heartbeat-nightly-1') && r.headers['x-herald-event'] === 'alert.triggered')).toHaveLength(1);
  expect((await herald.call('GET', '/v1/heartbeats/nightly')).body).toMatchObject({ status: 'down', misses: 1 });

  report('escalation and heartbeat through a killed worker and a restarted temporal', {
    alerts: ALERTS,
    restart_s: restartS.toFixed(1),
    step2_gap_s_min: (Math.min(...gapsMs) / 1000).toFixed(1),
    step2_gap_s_max: (Math.max(...gapsMs) / 1000).toFixed(1),
    heartbeat_miss_after_s: missAfterS.toFixed(1),
    retried_copies: retriedCopies,
  });
}, 300_000);
