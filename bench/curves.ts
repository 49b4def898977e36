// Cost curves for two dimensions that grow (issue 21), each Herald figure beside a bare workflow's
// from the same run (bench/baseline/workflows.ts):
//   fanout  — destinations per alert: trigger → every destination's webhook received, and the CPU
//             seconds per alert of the worker (and of every process) while it ran;
//   updates — updates per alert: POST /v1/alerts/{id}/events → the receiver got that update or a
//             later one (Herald sends updates that piled up behind a busy lane as the newest one),
//             and the workflow's history events per update, every run of it summed.
import type { Client } from '@temporalio/client';
import { workflowIdFor } from '../src/domain/alert';
import { cpuDuring, type CpuProbe } from './cpu';
import { atConcurrency } from './load';
import { api, drain, heraldKey, triggerAlert, uniqueId, type System } from './scenarios';
import { summarize, type Summary } from './stats';

/** One side of a fan-out case: end-to-end figures and CPU milliseconds per alert. */
export type FanoutSide = Summary & { worker_cpu_ms_per_alert: number; all_cpu_ms_per_alert: number };
export type FanoutCase = { destinations: number; alerts: number; concurrency: number; herald: FanoutSide; baseline: FanoutSide };

const perAlertMs = (seconds: number, alerts: number) => Math.round((seconds / alerts) * 1000 * 10) / 10;

/** Makes sure `system.destinations` has `count` webhook destinations, the n-th posting to `/hook<n>`. */
export async function ensureDestinations(system: System, count: number): Promise<void> {
  for (let hook = system.destinations.length + 1; hook <= count; hook++) {
    const res = await api(system, 'POST', '/v1/destinations', { name: `bench-hook-${hook}`, type: 'webhook', config: { url: `${system.receiver.url}/hook${hook}` } });
    if (res.status !== 201) throw new Error(`creating a destination answered ${res.status}: ${JSON.stringify(res.body)}`);
    system.destinations.push((res.body as { id: string }).id);
  }
}

/**
 * `alerts` alerts to `destinations` destinations each, `concurrency` in flight, each timed from its
 * trigger to the last of its webhooks received; Herald, then the bare workflow (one activity per
 * receiver), each with the CPU seconds every process used meanwhile.
 */
export async function fanoutCase(system: System, probes: CpuProbe[], workers: { herald: string; baseline: string }, destinations: number, alerts: number, concurrency: number): Promise<FanoutCase> {
  const side = async (worker: string, start: (id: string) => Promise<void>, keys: (id: string) => string[], prefix: string): Promise<FanoutSide> => {
    const ids: string[] = [];
    const { result, cpu } = await cpuDuring(probes, async () => {
      const load = await atConcurrency(alerts, concurrency, async () => {
        const id = uniqueId(prefix);
        ids.push(id);
        await start(id);
        await system.receiver.waitFor(keys(id), 120_000);
      });
      await drain(system, ids.flatMap(keys), `${prefix}`);
      return load;
    });
    if (result.errors.length > 0) process.stderr.write(`[bench] ${prefix}: ${result.errors.length} failed, first: ${result.errors[0]}\n`);
    const all = Object.entries(cpu).filter(([name]) => !name.startsWith('bench')).reduce((sum, [, s]) => sum + s, 0);
    return { ...summarize(result.latencies, result.elapsedMs, result.errors.length), worker_cpu_ms_per_alert: perAlertMs(cpu[worker] ?? NaN, alerts), all_cpu_ms_per_alert: perAlertMs(all, alerts) };
  };
  const hooks = Array.from({ length: destinations }, (_, i) => i + 1);
  const targets = system.destinations.slice(0, destinations);
  const herald = await side(workers.herald, (id) => triggerAlert(system, id, targets), (id) => hooks.map((h) => heraldKey(h, id)), `fan${destinations}`);
  const urls = hooks.map((h) => `${system.receiver.url}/base${h}`);
  const baseline = await side(
    workers.baseline,
    async (id) => void (await system.temporal.workflow.start('bareDelivery', { taskQueue: system.baselineQueue, workflowId: id, args: [urls, id] })),
    (id) => hooks.map((h) => `/base${h}|${id}|post`),
    `barefan${destinations}`,
  );
  return { destinations, alerts, concurrency, herald, baseline };
}

/** One side of an updates case: per update, POST → received; history events per update. */
export type UpdatesSide = {
  /** First update sent → last update received, divided by the updates. */
  ms_per_update: number;
  /** Each update's POST (signal) → the receiver got it or a later one. */
  latency: Summary;
  /** POSTs the receiver got for these updates (fewer than the updates when Herald coalesced). */
  deliveries: number;
  /** History events (every run summed) of the alert with its updates, less those of one with none, per update. */
  history_events_per_update: number;
  history_events: number;
  runs: number;
};
export type UpdatesCase = { updates: number; herald: UpdatesSide; baseline: UpdatesSide };

/** History events of a workflow, every run of it summed: each run's start names the run it continued. */
async function historyOf(client: Client, workflowId: string): Promise<{ events: number; runs: number }> {
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  let events = 0;
  let runs = 0;
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    events += history.events?.length ?? 0;
    runs++;
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return { events, runs };
}

/**
 * One alert (one destination) gets `count` updates, each POSTed when the last was answered (not
 * delivered); each is done when the receiver got an `alert.updated` carrying it or a later one (its
 * `bench_update` label). Then the alert is resolved, its workflow awaited, and its history read.
 * The baseline: a bare workflow signalled as many times, each signal one activity's POST.
 */
export async function updatesCase(system: System, count: number, fixed: { herald: number; baseline: number }): Promise<UpdatesCase> {
  const destination = system.destinations.slice(0, 1);
  // Herald.
  const id = uniqueId(`upd${count}`);
  await triggerAlert(system, id, destination);
  await system.receiver.waitFor([heraldKey(1, id)], 120_000);
  const sentAt: number[] = [];
  const latencies: number[] = new Array<number>(count);
  let newest = -1;
  let deliveries = 0;
  let allIn!: () => void;
  const arrived = new Promise<void>((resolve) => (allIn = resolve));
  if (count === 0) allIn();
  const stop = system.receiver.onPost((path, body) => {
    if (path !== '/hook1' || body?.alert?.id !== id || body?.event_type !== 'alert.updated') return;
    deliveries++;
    const carried = Number(body.alert.labels?.bench_update);
    const now = performance.now();
    for (let i = newest + 1; i <= carried; i++) latencies[i] = now - sentAt[i]!;
    newest = Math.max(newest, carried);
    if (newest >= count - 1) allIn();
  });
  const started = performance.now();
  try {
    for (let i = 0; i < count; i++) {
      sentAt[i] = performance.now();
      const res = await api(system, 'POST', `/v1/alerts/${id}/events`, { labels: { bench_update: String(i) } });
      if (res.status !== 202) throw new Error(`POST /v1/alerts/{id}/events answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
    await Promise.race([arrived, new Promise((_, reject) => setTimeout(() => reject(new Error(`updates of ${id}: the last did not arrive within 120 s`)), 120_000).unref())]);
  } finally {
    stop();
  }
  const heraldMs = performance.now() - started;
  const resolved = await api(system, 'POST', `/v1/alerts/${id}/resolve`, {});
  if (resolved.status !== 202) throw new Error(`resolve answered ${resolved.status}`);
  await system.temporal.workflow.getHandle(workflowIdFor(id)).result();
  const heraldHistory = await historyOf(system.temporal, workflowIdFor(id));

  // The baseline.
  const bareId = uniqueId(`bareupd${count}`);
  const url = `${system.receiver.url}/base-updates`;
  const handle = await system.temporal.workflow.start('bareUpdates', { taskQueue: system.baselineQueue, workflowId: bareId, args: [url, bareId, count] });
  const bareSent: number[] = [];
  const bareStarted = performance.now();
  for (let i = 0; i < count; i++) {
    bareSent[i] = performance.now();
    await handle.signal('bareUpdate', i);
  }
  const keys = Array.from({ length: count }, (_, i) => `/base-updates|${bareId}:${i}|post`);
  await system.receiver.waitFor(keys, 120_000);
  const bareMs = performance.now() - bareStarted;
  await handle.result();
  const bareHistory = await historyOf(system.temporal, bareId);
  const bareLatencies = keys.map((k, i) => system.receiver.arrivedAt(k)! - bareSent[i]!);

  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    updates: count,
    herald: {
      ms_per_update: round(heraldMs / count),
      latency: summarize(latencies, heraldMs),
      deliveries,
      history_events_per_update: round((heraldHistory.events - fixed.herald) / count),
      history_events: heraldHistory.events,
      runs: heraldHistory.runs,
    },
    baseline: {
      ms_per_update: round(bareMs / count),
      latency: summarize(bareLatencies, bareMs),
      deliveries: count,
      history_events_per_update: round((bareHistory.events - fixed.baseline) / count),
      history_events: bareHistory.events,
      runs: bareHistory.runs,
    },
  };
}

/** The history events of an alert with no update (trigger, delivery, resolve) and of a bare workflow with no signal. */
export async function updatesFixedCost(system: System): Promise<{ herald: number; baseline: number }> {
  const none = await updatesCase(system, 0, { herald: 0, baseline: 0 });
  return { herald: none.herald.history_events, baseline: none.baseline.history_events };
}

/** Every updates case, each less the history of an alert with none. */
export async function updatesCurve(system: System, counts: number[]): Promise<{ fixed_history_events: { herald: number; baseline: number }; cases: UpdatesCase[] }> {
  const fixed = await updatesFixedCost(system);
  const cases: UpdatesCase[] = [];
  for (const count of counts) cases.push(await updatesCase(system, count, fixed));
  return { fixed_history_events: fixed, cases };
}
