// Faults on the real cluster topology, one after another on the same topology (each leaves it
// whole again): a Herald worker killed with SIGKILL during a 1 000-alert burst; the Temporal history
// service killed and restarted; the frontend restarted while both APIs serve; PostgreSQL (Temporal's
// and Herald's store) restarted. After each: every alert an API accepted is delivered, in order, and
// a delivery id seen twice is the same delivery retried, never a different event.
import { DeliveryLedger } from '../support/delivery-ledger';
import { inPool } from '../support/pool';
import { Receiver } from '../support/receiver';
import type { ApiResponse } from '../support/herald';
import { report } from '../fault/report';
import { startTestCluster, type TestCluster } from './cluster';

const BURST = Number(process.env.FAULT_ALERTS ?? 1000);

let cluster: TestCluster;
let receiver: Receiver;
let ledger: DeliveryLedger;
let destination: string;

beforeAll(async () => {
  cluster = await startTestCluster('faults');
  receiver = await Receiver.start();
  ledger = new DeliveryLedger(receiver.requests);
  const res = await cluster.call('POST', '/v1/destinations', {
    name: 'fault-hook',
    type: 'webhook',
    config: { url: receiver.url() },
    timeout_s: 2, // a killed worker's in-flight delivery is retried after its start-to-close timeout
    retry_schedule: [0, 1, 2, 5, 10, 30],
  });
  expect(res.status).toBe(201);
  destination = res.body.id;
}, 300_000);
afterAll(async () => {
  await cluster?.stop();
  await receiver?.close();
});

type Sent = { id: string; answers: number[] };

/**
 * What a well-behaved client does (Alertmanager does): a 503 is sent again after a short wait,
 * until it is accepted (202, or 200 when an answer lost in the outage had been accepted after all).
 */
async function sendUntilAccepted(call: () => Promise<ApiResponse>, deadlineMs = 180_000): Promise<number[]> {
  const answers: number[] = [];
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    let status: number;
    try {
      status = (await call()).status;
    } catch {
      status = 0; // the API process could not answer at all
    }
    answers.push(status);
    if (status === 200 || status === 202) return answers;
    if (status !== 503 || Date.now() > deadline) throw new Error(`answered ${answers.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function triggerAll(ids: string[], concurrency = 16): Promise<Sent[]> {
  return inPool(ids, concurrency, async (id) => ({
    id,
    answers: await sendUntilAccepted(() => cluster.call('POST', '/v1/alerts', { id, title: `Fault ${id}`, severity: 'error', destinations: [destination] })),
  }));
}

async function resolveAll(ids: string[], concurrency = 16): Promise<Sent[]> {
  return inPool(ids, concurrency, async (id) => ({ id, answers: await sendUntilAccepted(() => cluster.call('POST', `/v1/alerts/${id}/resolve`, { by: 'fault-test' })) }));
}

const deliveredOf = (ids: string[], eventType: string) => {
  const events = ledger.eventsByAlert();
  return ids.filter((id) => events.get(id)?.includes(eventType)).length;
};

/** Every alert triggered and resolved at the receiver, trigger first, each delivery id one body. */
async function expectDeliveredInOrder(ids: string[], timeoutMs = 300_000): Promise<void> {
  await receiver.waitUntil(
    () => deliveredOf(ids, 'alert.triggered') === ids.length && deliveredOf(ids, 'alert.resolved') === ids.length,
    () => `${deliveredOf(ids, 'alert.triggered')} triggers and ${deliveredOf(ids, 'alert.resolved')} resolves of ${ids.length} arrived`,
    timeoutMs,
  );
  expect(ledger.conflicts).toEqual([]);
  const events = ledger.eventsByAlert();
  expect(ids.filter((id) => events.get(id)!.join() !== 'alert.triggered,alert.resolved')).toEqual([]);
  // The read model records an attempt after the receiver answered it: it may trail the ledger a little.
  const unsettled = async () => {
    const states = await inPool(ids, 16, async (id) => (await cluster.call('GET', `/v1/alerts/${id}`)).body);
    return states.filter((s) => s.status !== 'resolved' || s.destinations[0].state !== 'delivered').map((s) => ({ id: s.id, status: s.status, delivery_state: s.delivery_state, lane: s.destinations[0] }));
  };
  let left = await unsettled();
  for (const deadline = Date.now() + 60_000; left.length > 0 && Date.now() < deadline; left = await unsettled()) await new Promise((r) => setTimeout(r, 1000));
  expect(left).toEqual([]);
}

const refusals = (sent: Sent[]) => sent.reduce((n, s) => n + s.answers.filter((a) => a !== 200 && a !== 202).length, 0);

test(`a burst of ${BURST} alerts survives a Herald worker killed with SIGKILL`, async () => {
  const ids = Array.from({ length: BURST }, (_, i) => `burst_${i}`);
  const killed = (async () => {
    await receiver.waitUntil(() => deliveredOf(ids, 'alert.triggered') >= BURST * 0.3, () => 'the burst did not get going', 240_000);
    const victim = cluster.topology.workers[0]!;
    await cluster.topology.killHerald(victim);
    await cluster.topology.addWorker(); // as a supervisor would
    return { pid: victim.child.pid, after: deliveredOf(ids, 'alert.triggered') };
  })();
  const started = Date.now();
  const triggers = await triggerAll(ids, 25);
  const resolves = await resolveAll(ids, 25);
  const kill = await killed;
  await expectDeliveredInOrder(ids);
  report('cluster: worker killed', { alerts: BURST, kill, refused: refusals([...triggers, ...resolves]), retried_duplicates: ledger.duplicates(), seconds: (Date.now() - started) / 1000 });
}, 600_000);

test('the history service killed and restarted: what was accepted is delivered', async () => {
  const ids = Array.from({ length: 300 }, (_, i) => `history_${i}`);
  const outage = (async () => {
    await receiver.waitUntil(() => deliveredOf(ids, 'alert.triggered') >= 50, () => 'no deliveries before the kill', 120_000);
    await cluster.topology.temporal.kill('history');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await cluster.topology.temporal.start('history');
  })();
  const triggers = await triggerAll(ids);
  await outage;
  const resolves = await resolveAll(ids);
  await expectDeliveredInOrder(ids);
  report('cluster: history killed', { alerts: ids.length, refused: refusals([...triggers, ...resolves]), retried_duplicates: ledger.duplicates() });
}, 600_000);

test('the frontend restarted while both APIs serve: 503 while it is down, then everything accepted is delivered', async () => {
  const ids = Array.from({ length: 300 }, (_, i) => `frontend_${i}`);
  const seen503: ApiResponse[] = [];
  const outage = (async () => {
    await receiver.waitUntil(() => deliveredOf(ids, 'alert.triggered') >= 50, () => 'no deliveries before the restart', 120_000);
    await cluster.topology.temporal.kill('frontend');
    // Down until both APIs have refused a request, so the outage is seen, not raced.
    for (const api of [0, 1]) {
      for (;;) {
        const res = await cluster.callOn(api, 'POST', '/v1/alerts', { id: `frontend_probe_${api}`, title: 'probe', destinations: [destination] });
        if (res.status === 503) {
          seen503.push(res);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    await cluster.topology.temporal.start('frontend');
  })();
  const triggers = await triggerAll(ids);
  await outage;
  const resolves = await resolveAll(ids);
  for (const refused of seen503) {
    expect(refused.body.error.code).toBe('temporal_unavailable');
    expect(refused.headers.get('retry-after')).toBeTruthy();
  }
  const probes = ['frontend_probe_0', 'frontend_probe_1'];
  await triggerAll(probes); // what was refused is sent again, as a client would
  await resolveAll(probes);
  await expectDeliveredInOrder([...ids, ...probes]);
  report('cluster: frontend restarted', { alerts: ids.length, refused: refusals([...triggers, ...resolves]), retried_duplicates: ledger.duplicates() });
}, 600_000);

test('PostgreSQL restarted under load: Temporal and the store both come back, nothing accepted is lost', async () => {
  const ids = Array.from({ length: 300 }, (_, i) => `postgres_${i}`);
  const seen503: Array<{ status: number }> = [];
  const outage = (async () => {
    await receiver.waitUntil(() => deliveredOf(ids, 'alert.triggered') >= 50, () => 'no deliveries before the restart', 120_000);
    cluster.topology.postgres.stop();
    const down = Date.now();
    // Down for 3 s and until a request has been refused, so the outage is seen, not raced (the
    // triggers may all have been answered before it began).
    for (let api = 0; seen503.length === 0 || Date.now() - down < 3000; api = 1 - api) {
      const res = await cluster.callOn(api, 'POST', '/v1/alerts', { id: 'postgres_probe', title: 'probe', destinations: [destination] });
      if (res.status === 503) seen503.push(res);
      if (Date.now() - down > 60_000) throw new Error('no request was refused in the 60 s PostgreSQL was down');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    cluster.topology.postgres.start();
  })();
  const triggers = await triggerAll(ids);
  await outage;
  const resolves = await resolveAll(ids);
  await triggerAll(['postgres_probe']); // what was refused is sent again, as a client would
  await resolveAll(['postgres_probe']);
  await expectDeliveredInOrder([...ids, 'postgres_probe']);
  const statuses = new Set([...triggers, ...resolves].flatMap((s) => s.answers));
  expect([...statuses].filter((s) => ![200, 202, 503].includes(s))).toEqual([]); // refused with 503, never a 500
  expect(refusals([...triggers, ...resolves]) + seen503.length).toBeGreaterThan(0);
  report('cluster: postgres restarted', { alerts: ids.length, refused: refusals([...triggers, ...resolves]), retried_duplicates: ledger.duplicates() });
}, 600_000);
