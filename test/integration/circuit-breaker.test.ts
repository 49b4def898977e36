// The circuit breaker (README "Circuit breaker") on the real dev server with a loopback receiver: 200
// open alerts whose resolves meet a receiver that is down. Once the circuit opens, the receiver sees
// probes, not 200 alerts' retries; the API shows the circuit open; when the receiver is back the probe
// closes the circuit, every held resolve goes out at once, each after its own trigger. The operations
// destination hears of the circuit opening and closing (README "Operational events").
import { eventually } from '../support/eventually';
import { Receiver } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';

const ALERTS = 200;
const DOWN_S = 12;
let herald: TestHerald;
let receiver: Receiver;
let ops: Receiver;

beforeAll(async () => {
  herald = await startHerald({ env: { HERALD_OPERATIONS_DESTINATIONS: 'circuit-operations' } });
  receiver = await Receiver.start();
  ops = await Receiver.start();
  expect((await herald.call('POST', '/v1/destinations', { name: 'circuit-operations', type: 'webhook', config: { url: ops.url() } })).status).toBe(201);
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
  await ops.close();
});

const eventsOf = (alertId: string) => receiver.requests.filter((r) => r.headers['x-herald-event'] !== undefined && JSON.parse(r.body).alert.id === alertId);

test(`${ALERTS} alerts resolving into a receiver that is down: probes while it is down, everything once it is back, in order`, async () => {
  const created = await herald.call('POST', '/v1/destinations', {
    name: 'flaky-receiver',
    type: 'webhook',
    config: { url: receiver.url() },
    // A retry every second: without the circuit, 200 alerts would hit the receiver 200 times a second.
    retry_schedule: [0, ...Array(19).fill(1)],
    // The receiver answers at once, up or down; a busy CI machine once took over 2 s to answer the
    // burst after it came back, and those timeouts opened the circuit a second time.
    timeout_s: 10,
    circuit_breaker: { failure_threshold: 5, cooldown_s: 2, max_cooldown_s: 4 },
  });
  expect(created.status).toBe(201);
  expect(created.body.circuit).toMatchObject({ state: 'closed', consecutive_failures: 0 });
  const hook = created.body.id as string;

  for (let i = 0; i < ALERTS; i++) {
    expect((await herald.call('POST', '/v1/alerts', { id: `cb_${i}`, title: `Circuit ${i}`, destinations: [hook] })).status).toBe(202);
  }
  await receiver.waitFor(ALERTS, undefined, 60_000);

  receiver.respond(() => ({ status: 503, body: '{"error":"down"}' }));
  const downFrom = receiver.requests.length;
  const downAt = Date.now();
  for (let i = 0; i < ALERTS; i++) expect((await herald.call('POST', `/v1/alerts/cb_${i}/resolve`, { by: 'test' })).status).toBe(202);
  await eventually(async () => expect((await herald.call('GET', `/v1/destinations/${hook}`)).body.circuit).toMatchObject({ state: expect.stringMatching(/^(open|half_open)$/), last_error: expect.stringContaining('503') }), 30_000);
  const alert = (await herald.call('GET', '/v1/alerts/cb_0')).body;
  await new Promise((r) => setTimeout(r, Math.max(0, DOWN_S * 1000 - (Date.now() - downAt))));
  const whileDown = receiver.requests.length - downFrom;
  const downFor = (Date.now() - downAt) / 1000;

  receiver.respond(() => ({ status: 200, body: '{"ok":true}' }));
  const backAt = Date.now();
  await receiver.waitUntil(
    () => new Set(receiver.requests.filter((r) => r.headers['x-herald-event'] === 'alert.resolved' && r.at >= backAt).map((r) => JSON.parse(r.body).alert.id)).size === ALERTS,
    () => `${receiver.requests.filter((r) => r.at >= backAt).length} requests since the receiver came back`,
    120_000,
  );
  const drainedS = (Date.now() - backAt) / 1000;

  // The resolves' first attempts went out before the circuit opened (the receiver then still looked
  // healthy); after that, only probes: far fewer than one retry a second per alert.
  expect(whileDown).toBeLessThan(ALERTS + 3 * DOWN_S);
  expect(alert.destinations[0].events.at(-1)).toMatchObject({ event_type: 'alert.resolved', state: expect.stringMatching(/^(held|retrying)$/) });
  for (let i = 0; i < ALERTS; i++) {
    const kinds = eventsOf(`cb_${i}`).map((r) => r.headers['x-herald-event']);
    expect(kinds[0]).toBe('alert.triggered');
    expect(kinds.at(-1)).toBe('alert.resolved');
  }
  await eventually(async () => expect((await herald.call('GET', `/v1/destinations/${hook}`)).body.circuit).toMatchObject({ state: 'closed', consecutive_failures: 0 }));
  await eventually(async () => expect((await herald.call('GET', '/v1/alerts/cb_0')).body.delivery_state).toBe('delivered'));
  await eventually(async () =>
    expect(ops.requests.map((r) => JSON.parse(r.body)).filter((e) => e.event.details.destination.id === hook).map((e) => e.event_type)).toEqual(['destination.circuit_opened', 'destination.circuit_closed']),
  );
  const metrics = await (await fetch(`${herald.url}/metrics`, { headers: { authorization: `Bearer ${herald.apiKey}` } })).text();
  expect(metrics).toMatch(/herald_destination_circuits\{state="closed"\} 1/);
  expect(metrics).toMatch(/herald_circuit_transitions_total\{destination_type="webhook",transition="opened"\} 1/);
  console.log(`circuit breaker: ${ALERTS} alerts, receiver down ${downFor.toFixed(1)} s: ${whileDown} requests while down (without the circuit about ${ALERTS * Math.round(downFor)}); every resolve delivered ${drainedS.toFixed(1)} s after it came back`);
}, 240_000);
