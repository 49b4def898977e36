// Nothing lost at any size or age, on a real Temporal dev server whose history limits are lowered
// (so the tests are fast): the server terminates any workflow whose history passes them, exactly as
// it would at its defaults (51 200 events, 50 MB). Alerts far larger and longer than the limits
// complete, every destination receives trigger → updates → resolve in order, and no run of the
// alert's workflow comes near the limits: the alert's documents stay in the store, and the workflow
// continues as new before its history grows.
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import type { DevServer } from '../../src/temporal/dev-server';
import { startDevServerOnFreePorts } from '../support/dev-server';
import { eventually } from '../support/eventually';
import { startHerald, type TestHerald } from '../support/herald';
import { Receiver } from '../support/receiver';

const LIMITS = { events: 600, bytes: 1024 * 1024 };

let server: DevServer;
let connection: Connection;
let herald: TestHerald;

beforeAll(async () => {
  server = await startDevServerOnFreePorts({
    cliPath: process.env.TEMPORAL_CLI_PATH!,
    dataDir: mkdtempSync(path.join(process.env.HERALD_TEST_SCRATCH ?? os.tmpdir(), 'limits-')),
    namespace: 'default',
    log: () => {},
    dynamicConfig: {
      'limit.historyCount.error': LIMITS.events,
      'limit.historyCount.warn': LIMITS.events / 2,
      'limit.historyCount.suggestContinueAsNew': LIMITS.events / 4,
      'limit.historySize.error': LIMITS.bytes,
      'limit.historySize.warn': LIMITS.bytes / 2,
      'limit.historySize.suggestContinueAsNew': LIMITS.bytes / 4,
    },
  });
  connection = await Connection.connect({ address: server.address });
  herald = await startHerald({ temporalAddress: server.address });
}, 120_000);

afterAll(async () => {
  await herald?.stop();
  await connection?.close();
  await server?.stop();
});

/** Every run of the alert's workflow, with its history's length and size as the server counts them. */
async function runsOf(alertId: string) {
  const response = await connection.workflowService.listWorkflowExecutions({ namespace: 'default', query: `WorkflowId = 'alert:${alertId}'`, pageSize: 1000 });
  return (response.executions ?? []).map((e) => ({ status: e.status, events: Number(e.historyLength), bytes: Number(e.historySizeBytes) }));
}

async function expectBoundedRuns(alertId: string, minRuns: number) {
  const runs = await eventually(async () => {
    const all = await runsOf(alertId);
    expect(all.filter((r) => r.status === 2 /* COMPLETED */)).toHaveLength(1);
    return all;
  });
  expect(runs.length).toBeGreaterThanOrEqual(minRuns);
  for (const run of runs) {
    expect(run.events).toBeLessThan(LIMITS.events);
    expect(run.bytes).toBeLessThan(LIMITS.bytes);
  }
  return runs;
}

async function webhook(name: string, receiver: Receiver, retry_schedule = [0, 0.2, 0.2]) {
  const res = await herald.call('POST', '/v1/destinations', { name, type: 'webhook', config: { url: receiver.url() }, retry_schedule, timeout_s: 5 });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** The events one receiver got for the alert, as (event type, update number). */
function receivedOf(receiver: Receiver, alertId: string) {
  return receiver.requests
    .map((r) => JSON.parse(r.body))
    .filter((b) => b.alert.id === alertId)
    .map((b) => [b.event_type, (b.alert.updates as { n?: number } | undefined)?.n ?? 0] as [string, number]);
}

/** Trigger first, then updates with growing numbers (coalesced ones skipped), the last one sent, then the resolve. */
function expectInOrder(received: [string, number][], updates: number) {
  const types = received.map(([t]) => t);
  expect(types[0]).toBe('alert.triggered');
  expect(types.at(-1)).toBe('alert.resolved');
  expect(types.filter((t) => t === 'alert.resolved')).toHaveLength(1);
  const numbers = received.filter(([t]) => t === 'alert.updated').map(([, n]) => n);
  expect(numbers.length).toBeGreaterThan(0);
  expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  expect(new Set(numbers).size).toBe(numbers.length);
  expect(numbers.at(-1)).toBe(updates);
  expect(received.at(-1)![1]).toBe(updates); // the resolve carries everything known
}

/**
 * Sends updates numbered 1..count; returns how many the store kept. A 503 whose update was kept (the
 * signal did not reach a busy server in time) is not retried: the reconciler tells the workflow.
 */
async function sendUpdates(alertId: string, count: number, concurrency: number, body: (n: number) => Record<string, unknown> = () => ({})): Promise<number> {
  let next = 1;
  let kept = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let n = next++; n <= count; n = next++) {
        // Concurrent updates are numbered by the store in the order they commit; `n` only grows per worker.
        const res = await herald.call('POST', `/v1/alerts/${alertId}/events`, { ...body(n), data: { n } });
        if (res.status === 202 || (res.status === 503 && res.body.error.details?.sequence !== undefined)) kept++;
        else throw new Error(`update ${n} answered ${res.status}: ${JSON.stringify(res.body)}`);
      }
    }),
  );
  return kept;
}

test('a 1 MiB alert to 4 destinations with 200 updates and a resolve: every event in order, no run near the limits', async () => {
  const receivers = await Promise.all([1, 2, 3, 4].map(() => Receiver.start()));
  try {
    const destinations = await Promise.all(receivers.map((r, i) => webhook(`big-${i}`, r)));
    const filler = 'x'.repeat(1000);
    const details = Object.fromEntries(Array.from({ length: 1035 }, (_, i) => [`k${i}`, filler]));
    const body = { id: 'big_1', title: 'A very large alert', severity: 'critical', event: { type: 'schema_change', details }, destinations };
    expect(JSON.stringify(body).length).toBeGreaterThan(1_040_000);
    expect((await herald.call('POST', '/v1/alerts', body)).status).toBe(202);
    await sendUpdates('big_1', 200, 1, (n) => ({ description: `update ${n}` }));
    expect((await herald.call('POST', '/v1/alerts/big_1/resolve', { by: 'test' })).status).toBe(202);

    await Promise.all(receivers.map((r) => r.waitFor(1, (req) => req.headers['x-herald-event'] === 'alert.resolved', 120_000)));
    for (const receiver of receivers) {
      const received = receivedOf(receiver, 'big_1');
      expectInOrder(received, 200);
      expect(JSON.parse(receiver.requests.at(-1)!.body).event.details.k1034).toBe(filler);
    }
    // The 1 MiB document never entered history: one run sufficed, far below the 1 MiB limit.
    const runs = await expectBoundedRuns('big_1', 1);
    expect(Math.max(...runs.map((r) => r.bytes))).toBeLessThan(LIMITS.bytes / 4);
    const state = await herald.call('GET', '/v1/alerts/big_1');
    expect(state.body).toMatchObject({ status: 'resolved', delivery_state: 'delivered' });
    expect(state.body.alert.description).toBe('update 200');
  } finally {
    await Promise.all(receivers.map((r) => r.close()));
  }
}, 180_000);

test('1 200 updates, twice the history event limit in signals alone (at the default limits: 100 000): the alert continues as new and delivers all in order', async () => {
  const receiver = await Receiver.start();
  try {
    const destination = await webhook('long-1', receiver);
    expect((await herald.call('POST', '/v1/alerts', { id: 'long_1', title: 'A long-lived alert', destinations: [destination] })).status).toBe(202);
    expect(await sendUpdates('long_1', 1200, 4)).toBe(1200);
    expect((await herald.call('POST', '/v1/alerts/long_1/resolve', {})).status).toBe(202);
    await receiver.waitFor(1, (r) => r.headers['x-herald-event'] === 'alert.resolved', 120_000);
    const received = receivedOf(receiver, 'long_1');
    const numbers = received.filter(([t]) => t === 'alert.updated').map(([, n]) => n);
    // With concurrent senders the store's order is the commit order: the newest update is the last sent.
    expect(received[0]![0]).toBe('alert.triggered');
    expect(received.at(-1)![0]).toBe('alert.resolved');
    expect(numbers.length).toBeGreaterThan(0);
    const runs = await expectBoundedRuns('long_1', 3);
    const state = (await herald.call('GET', '/v1/alerts/long_1')).body;
    expect(state).toMatchObject({ status: 'resolved', delivery_state: 'delivered' });
    const lane = state.destinations[0];
    // Each update was sent on its own or coalesced into a newer one, never lost.
    const sentUpdates = lane.events.filter((e: { event_type: string }) => e.event_type === 'alert.updated').length + (lane.omitted_events ?? 0);
    expect(sentUpdates + lane.coalesced_updates).toBe(1200);
    expect(lane.events.at(-1)).toMatchObject({ sequence: 1201, event_type: 'alert.resolved', state: 'delivered' });
    process.stderr.write(`[bounded-history] 1200 updates: ${runs.length} runs, longest ${Math.max(...runs.map((r) => r.events))} events; ${numbers.length} updates sent, ${lane.coalesced_updates} coalesced\n`);
  } finally {
    await receiver.close();
  }
}, 240_000);

test('a lane that keeps failing while updates arrive keeps its place across continue-as-new: same delivery id, attempts counted on', async () => {
  const receiver = await Receiver.start();
  let failing = true;
  receiver.respond(() => (failing ? { status: 503 } : { status: 200 }));
  try {
    const destination = await webhook('flaky-1', receiver, [0, ...Array(15).fill(1)]);
    expect((await herald.call('POST', '/v1/alerts', { id: 'flaky_1', title: 'Receiver down', destinations: [destination] })).status).toBe(202);
    await receiver.waitFor(1);
    // Enough signals during the retry waits that the run must continue as new mid-schedule.
    await sendUpdates('flaky_1', 400, 4);
    expect((await runsOf('flaky_1')).length).toBeGreaterThan(1);
    const failedAttempts = receiver.requests.length;
    failing = false;
    expect((await herald.call('POST', '/v1/alerts/flaky_1/resolve', {})).status).toBe(202);
    await receiver.waitFor(1, (r) => r.headers['x-herald-event'] === 'alert.resolved', 60_000);

    const triggers = receiver.requests.filter((r) => r.headers['x-herald-event'] === 'alert.triggered');
    expect(triggers.length).toBe(failedAttempts + 1);
    expect(new Set(triggers.map((r) => r.headers['x-herald-delivery'])).size).toBe(1);
    // Behind the retried trigger every update coalesced into the newest: one update, then the resolve.
    expect(receiver.requests.slice(triggers.length).map((r) => r.headers['x-herald-event'])).toEqual(['alert.updated', 'alert.resolved']);
    await expectBoundedRuns('flaky_1', 2);
    const lane = (await herald.call('GET', '/v1/alerts/flaky_1')).body.destinations[0];
    expect(lane.events[0].attempts.map((a: { attempt: number }) => a.attempt)).toEqual(Array.from({ length: triggers.length }, (_, i) => i + 1));
    expect(lane.events[1]).toMatchObject({ event_type: 'alert.updated', coalesced: 399, state: 'delivered' });
  } finally {
    await receiver.close();
  }
}, 180_000);
