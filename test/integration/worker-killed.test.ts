// A worker killed with SIGKILL right after an incident.io create request left, and before its result
// was recorded: the activity is retried by another worker, which replays the workflow, and the
// idempotency key derived from the workflow ID makes incident.io answer with the same incident. The
// read model holds that attempt once, and answers with every worker stopped.
import { eventually } from '../support/eventually';
import { buildCli, killHard, spawnWorker, stopGently } from '../support/cli-process';
import { FakeIncidentIo } from '../support/fakes/incident-io';
import { startHerald, type TestHerald } from '../support/herald';

const API_KEY = 'inc_kill_test_0123456789abcdef';

let herald: TestHerald;
let incidents: FakeIncidentIo;
let cli: string;

beforeAll(async () => {
  cli = buildCli('worker-killed');
  herald = await startHerald({ worker: false });
  incidents = await FakeIncidentIo.start(API_KEY);
}, 120_000);
afterAll(async () => {
  await herald.stop();
  await incidents.close();
});

test('no second incident when the worker dies between the create request and its result', async () => {
  const created = await herald.call('POST', '/v1/destinations', {
    name: 'incident-io-kill',
    type: 'incident_io',
    config: { api_key: API_KEY, base_url: incidents.url() },
    timeout_s: 1,
  });
  expect(created.status).toBe(201);

  const first = await spawnWorker(cli, herald.config);
  let killed = false;
  incidents.onCreate = async () => {
    if (killed) return;
    killed = true;
    // The request has arrived; the worker dies before it can read the answer or record it.
    await killHard(first);
  };
  await herald.call('POST', '/v1/alerts', { id: 'kill_1', title: 'Killed mid-create', severity: 'critical', destinations: [created.body.id] });
  await eventually(async () => expect(killed).toBe(true), 60_000);
  await first.exited; // `killed` is set before the exit event arrives
  expect(first.signalCode).toBe('SIGKILL');

  const second = await spawnWorker(cli, herald.config);
  try {
    const state = await eventually(async () => {
      const res = await herald.call('GET', '/v1/alerts/kill_1');
      expect(res.status).toBe(200);
      expect(res.body.destinations[0].state).toBe('delivered');
      return res.body;
    }, 60_000);
    expect(incidents.creates).toHaveLength(2); // the request was sent twice…
    expect(new Set(incidents.creates.map((c) => c.idempotency_key)).size).toBe(1); // …with one key
    expect(incidents.incidents.size).toBe(1); // …and opened one incident
    const [only] = [...incidents.incidents.values()];
    expect(state.destinations[0].incident).toMatchObject({ id: only!.id, reference: only!.reference });
    // `herald worker` serves its own /metrics: the attempt it made, and the SDK's worker metrics.
    const metrics = await (await fetch(`http://127.0.0.1:${second.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^herald_delivery_attempts_total\{destination_type="incident_io",outcome="delivered"\} 1$/m);
    expect(metrics).toMatch(/^temporal_\w+/m);
    // The attempt the killed worker began and the retry that finished it are one attempt, one row.
    expect(state.destinations[0].events).toHaveLength(1);
    expect(state.destinations[0].events[0].attempts.map((a: { attempt: number; status_code?: number }) => [a.attempt, a.status_code])).toEqual([[1, 200]]);
  } finally {
    await stopGently(second);
  }
  // Every worker is stopped: the alert is read from the store, unchanged, with no replay.
  const whileDown = await herald.call('GET', '/v1/alerts/kill_1');
  expect(whileDown.status).toBe(200);
  expect(whileDown.body.destinations[0]).toMatchObject({ state: 'delivered', incident: { provider: 'incident_io' } });
  expect((await herald.call('GET', '/v1/alerts?status=triggered')).body.data.map((a: { id: string }) => a.id)).toContain('kill_1');
}, 120_000);
