// `npm run bench`: Herald against the limits of its engine, on this machine, in one run. Prints a
// table and writes bench-results/bench-<time>.json, with its charts beside it (bench-<time>-*.svg,
// bench/charts.ts). Not part of `npm test`.
//   BENCH_SCALE=quick          a smaller run to check the harness
//   BENCH_OPEN_ALERTS          open alerts for the scale step, one count or several for the curve
//                              (default 1000,10000; quick 1000), each a run of its own
//   BENCH_OPEN_CONCURRENCY     alerts in flight (POST until its webhook arrived) while opening and
//                              resolving them (default 48)
//   BENCH_LIST_RATE            GET /v1/alerts (page_size 50) per second while they are open (default 20)
//   BENCH_STEPS                the steps to run, of e2e, ingest, scale, workers, batch, storm, outage, limiter, routing,
//                              fanout, updates (default all), e.g.
//                              BENCH_STEPS=scale BENCH_OPEN_ALERTS=100000 for the long scale step alone
//   BENCH_ENGINE               the engines to run them on, of dev (the embedded dev server) and cluster
//                              (the Temporal server's services on PostgreSQL, `npm run cluster`); default both
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { cpuDuring } from './cpu';
import { ENGINES, startEngine, type Engine, type EngineName } from './engines';
import { atConcurrency } from './load';
import type { Child } from './processes';
import { limiterCost } from './limiter';
import { ensureDestinations, fanoutCase, updatesCurve } from './curves';
import { routingCost } from './routing';
import { BenchReceiver } from './receiver';
import * as scenario from './scenarios';
import { ratio, summarize } from './stats';
import { printReport, TARGETS, type EngineReport, type Report, type ScalePoint } from './report';
import { benchCharts } from './charts';

const quick = process.env.BENCH_SCALE === 'quick';

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, not ${JSON.stringify(raw)}`);
  return n;
}

const STEPS = ['e2e', 'ingest', 'scale', 'workers', 'batch', 'storm', 'outage', 'limiter', 'routing', 'fanout', 'updates'] as const;
type Step = (typeof STEPS)[number];
/** Steps measured on the store alone: a run of only these starts no engine. */
const STORE_STEPS: readonly Step[] = ['limiter', 'routing'];

/** BENCH_OPEN_ALERTS: one count or several (`1000,10000`), each a scale run of its own: the open-alerts curve. */
function openAlertCounts(fallback: number[]): number[] {
  const raw = process.env.BENCH_OPEN_ALERTS;
  if (raw === undefined || raw.trim() === '') return fallback;
  const counts = raw.split(',').map((s) => Number(s.trim()));
  if (counts.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`BENCH_OPEN_ALERTS is a positive integer or a comma-separated list of them, not ${JSON.stringify(raw)}`);
  return counts;
}

function benchSteps(): Set<Step> {
  const raw = process.env.BENCH_STEPS;
  if (raw === undefined || raw.trim() === '') return new Set(STEPS);
  const named = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = named.filter((s) => !(STEPS as readonly string[]).includes(s));
  if (unknown.length > 0 || named.length === 0) throw new Error(`BENCH_STEPS names steps of ${STEPS.join(', ')}, not ${JSON.stringify(raw)}`);
  return new Set(named as Step[]);
}

const steps = benchSteps();

function benchEngines(): EngineName[] {
  const raw = process.env.BENCH_ENGINE;
  if (raw === undefined || raw.trim() === '') return [...ENGINES];
  const named = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (named.length === 0 || named.some((e) => !(ENGINES as readonly string[]).includes(e))) throw new Error(`BENCH_ENGINE names engines of ${ENGINES.join(', ')}, not ${JSON.stringify(raw)}`);
  return named as EngineName[];
}

const engineNames = benchEngines();

const size = {
  e2e: quick ? 200 : 1000,
  e2eFanOut: quick ? 100 : 500,
  concurrency: 16,
  rateSeconds: quick ? 4 : 10,
  saturation: quick ? 500 : 2000,
  openAlerts: openAlertCounts(quick ? [1000] : [1000, 10_000]),
  openConcurrency: positiveInteger('BENCH_OPEN_CONCURRENCY', 48),
  /** POST /v1/alerts at 100/s while the alerts are open, this many. */
  triggerWhileOpen: 500,
  readRate: TARGETS.readRate,
  listRate: positiveInteger('BENCH_LIST_RATE', 20),
  /** How long each read measurement runs while the alerts are open. */
  readSeconds: quick ? 5 : 30,
  /** The list measurement draws its pages from the first this many. */
  listPages: 200,
  /** Entries of the one Alertmanager notification of the batch step. */
  batchEntries: quick ? 200 : 1000,
  /** Alerts in flight in the one-worker / two-worker step. */
  workersConcurrency: 32,
  /** The storm step: this many alerts over this many seconds into this many groups. */
  stormAlerts: quick ? 500 : 5000,
  stormSeconds: quick ? 20 : 60,
  stormGroups: 10,
  stormGroupWaitS: 30,
  /** The outage step: this many alerts into a receiver down this long, with and without the circuit breaker. */
  outageAlerts: quick ? 200 : 1000,
  outageSeconds: positiveInteger('BENCH_OUTAGE_S', quick ? 60 : 300),
  /** The fanout step: this many alerts per destination count, this many in flight. */
  fanoutAlerts: quick ? 50 : 200,
  fanoutConcurrency: 16,
};
/** The fanout step's destinations per alert, and the updates step's updates per alert. */
const FANOUT = [1, 3, 10, 30];
const UPDATES = quick ? [10, 100] : [10, 100, 1000];

/** Peak RSS of each process while `work` runs, sampled every 250 ms. */
async function peakRss<T>(children: Child[], work: () => Promise<T>): Promise<{ result: T; peakMb: Record<string, number> }> {
  const peakMb: Record<string, number> = Object.fromEntries(children.map((c) => [c.name, c.rssMb()]));
  const timer = setInterval(() => children.forEach((c) => (peakMb[c.name] = Math.max(peakMb[c.name]!, c.rssMb()))), 250);
  try {
    return { result: await work(), peakMb };
  } finally {
    clearInterval(timer);
  }
}

async function main(): Promise<void> {
  const root = path.join(__dirname, '..');
  const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
  const apiKey = `bench-${randomBytes(12).toString('hex')}`;
  const baselineQueue = 'bench-baseline';
  const results: Report['engines'] = [];
  // On the store alone (no engine): what a rate-limit reservation costs beside a circuit read.
  const limiter = steps.has('limiter') ? await limiterCost(quick ? 2000 : 10_000, 16) : undefined;
  const routing = steps.has('routing') ? await routingCost([10, 100, 1000], quick ? 500 : 2000) : undefined;
  const needsEngine = [...steps].some((s) => !STORE_STEPS.includes(s));
  for (const name of needsEngine ? engineNames : []) {
    const scratch = mkdtempSync(path.join(os.tmpdir(), `herald-bench-${name}-`));
    log(`engine: ${name}`);
    const engine = await startEngine(name, { root, scratch, apiKey, baselineQueue, log });
    const receiver = await BenchReceiver.start();
    const connection = await Connection.connect({ address: engine.address });
    const system: scenario.System = { apiUrl: engine.apiUrl, apiKey, receiver, destinations: [], temporal: new Client({ connection }), baselineQueue };
    try {
      results.push(await benchOn(engine, system, log));
    } finally {
      await connection.close();
      await engine.stop();
      await receiver.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const report: Report = {
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` },
    sizes: size,
    steps: [...steps],
    ...(limiter && { limiter }),
    ...(routing && { routing }),
    engines: results,
  };
  printReport(report);
  const out = path.join(process.cwd(), 'bench-results');
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${file}`);
  for (const chart of benchCharts(report)) {
    const svg = file.replace(/\.json$/, `-${chart.name}.svg`);
    writeFileSync(svg, chart.svg);
    log(`wrote ${svg}`);
  }
}

/** Every step this run asked for, on one engine, each with the CPU time of every process during it. */
async function benchOn(engine: Engine, system: scenario.System, log: (m: string) => void): Promise<Report['engines'][number]> {
  for (const hook of [1, 2, 3, 4, 5]) {
    const res = await fetch(`${system.apiUrl}/v1/destinations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `bench-hook-${hook}`, type: 'webhook', config: { url: `${system.receiver.url}/hook${hook}` } }),
    });
    if (res.status !== 201) throw new Error(`creating a destination answered ${res.status}: ${await res.text()}`);
    system.destinations.push(((await res.json()) as { id: string }).id);
  }
  const result: Report['engines'][number] = {
    engine: engine.name,
    label: engine.label,
    memory: { idle: { api_mb: engine.api.rssMb(), worker_mb: engine.worker.rssMb() } },
    cpu_seconds: {},
  };
  log(`${engine.name}: warming up`);
  await scenario.heraldEndToEnd(system, 50, 8, 1);
  await scenario.temporalEndToEnd(system, 50, 8, 1);
  const measured = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const { result: value, cpu, wallSeconds } = await cpuDuring([...engine.cpuProbes(), { name: 'bench (load and receiver)', seconds: benchCpuSeconds }], work);
    result.cpu_seconds[step] = { wall: wallSeconds, ...cpu };
    return value;
  };

  if (steps.has('e2e')) {
    log(`${engine.name}: end to end: ${size.e2e} alerts × 1 destination, ${size.e2eFanOut} × 3, concurrency ${size.concurrency}`);
    const http = await scenario.bareHttp(system, size.e2e, size.concurrency);
    // The same destinations through the API whose alerts schedule every attempt: before and after, one run.
    const scheduledApi = engine.scheduledFirstAttemptApiUrl ? { ...system, apiUrl: engine.scheduledFirstAttemptApiUrl } : undefined;
    const { result: e2e, peakMb } = await measured('end to end', () =>
      peakRss(engine.children(), async () => ({
        bare1: await scenario.temporalEndToEnd(system, size.e2e, size.concurrency, 1),
        herald1: await scenario.heraldEndToEnd(system, size.e2e, size.concurrency, 1),
        scheduled1: scheduledApi && (await scenario.heraldEndToEnd(scheduledApi, size.e2e, size.concurrency, 1)),
        bare3: await scenario.temporalEndToEnd(system, size.e2eFanOut, size.concurrency, 3),
        herald3: await scenario.heraldEndToEnd(system, size.e2eFanOut, size.concurrency, 3),
        scheduled3: scheduledApi && (await scenario.heraldEndToEnd(scheduledApi, size.e2eFanOut, size.concurrency, 3)),
      })),
    );
    result.memory.peak_under_load = peakMb;
    result.http_baseline = http;
    result.end_to_end = [
      { case: '1 destination', herald: e2e.herald1, baseline: e2e.bare1, throughput_ratio: ratio(e2e.herald1.per_s, e2e.bare1.per_s), p99_ratio: ratio(e2e.herald1.p99_ms, e2e.bare1.p99_ms), http_ratio: ratio(e2e.herald1.per_s, http.per_s), ...(e2e.scheduled1 && { herald_first_attempts_scheduled: e2e.scheduled1 }) },
      { case: '3 destinations', herald: e2e.herald3, baseline: e2e.bare3, throughput_ratio: ratio(e2e.herald3.per_s, e2e.bare3.per_s), p99_ratio: ratio(e2e.herald3.p99_ms, e2e.bare3.p99_ms), http_ratio: ratio(e2e.herald3.per_s, http.per_s), ...(e2e.scheduled3 && { herald_first_attempts_scheduled: e2e.scheduled3 }) },
    ];
  }

  if (steps.has('ingest')) {
    log(`${engine.name}: ingest at fixed rates and at saturation`);
    result.ingest = await measured('ingest', async () => {
      const ingest: NonNullable<Report['engines'][number]['ingest']> = [];
      for (const rate of [50, 100, 200]) {
        const count = rate * size.rateSeconds;
        ingest.push({ load: `${rate}/s`, herald: await scenario.heraldIngest(system, count, rate), baseline: await scenario.temporalIngest(system, count, rate) });
      }
      ingest.push({
        load: 'saturation (32 in flight)',
        herald: await scenario.heraldIngest(system, size.saturation, undefined),
        baseline: await scenario.temporalIngest(system, size.saturation, undefined),
      });
      return ingest;
    });
  }

  if (steps.has('scale')) {
    result.scale_curve = [];
    for (const count of size.openAlerts) {
      log(`${engine.name}: scale: ${count} open alerts`);
      result.scale = await measured(`scale ${count}`, () => openAlerts(system, count, engine.worker, engine.api, engine.workerMetricsUrl, log));
      result.scale_curve.push(curvePoint(result.scale));
    }
  }

  if (steps.has('workers')) {
    const n = size.e2e;
    const c = size.workersConcurrency;
    log(`${engine.name}: throughput with 1 worker, then 2: ${n} alerts × 1 destination, concurrency ${c}`);
    const one = await measured('1 worker', async () => ({ herald: await scenario.heraldEndToEnd(system, n, c, 1), baseline: await scenario.temporalEndToEnd(system, n, c, 1) }));
    await engine.addWorkers();
    const two = await measured('2 workers', async () => ({ herald: await scenario.heraldEndToEnd(system, n, c, 1), baseline: await scenario.temporalEndToEnd(system, n, c, 1) }));
    result.workers = { concurrency: c, one, two };
  }

  if (steps.has('batch')) {
    log(`${engine.name}: one Alertmanager notification of ${size.batchEntries} firing entries, then their resolve`);
    // The baseline first: it waits for its deliveries, so Herald's batch meets a quiet engine (its
    // alerts' workflows keep the engine busy for a while after the answer).
    const baseline = await scenario.temporalIngest(system, size.batchEntries, undefined, scenario.SOURCE_ENTRIES_AT_ONCE);
    result.batch = await measured('batch', async () => ({
      entries: size.batchEntries,
      baseline,
      firing: await scenario.heraldSourceBatch(system, size.batchEntries, 'firing'),
      resolved: await scenario.heraldSourceBatch(system, size.batchEntries, 'resolved'),
    }));
  }
  if (steps.has('storm')) {
    log(`${engine.name}: a storm of ${size.stormAlerts} alerts in ${size.stormSeconds} s into ${size.stormGroups} groups (group_wait ${size.stormGroupWaitS} s), then the same storm ungrouped`);
    const { result: storm, peakMb } = await measured('storm', () =>
      peakRss(engine.children(), () =>
        scenario.storm(system, { grouped: system.destinations[3]!, ungrouped: system.destinations[4]!, path: '/hook4', ungroupedPath: '/hook5' }, size.stormAlerts, size.stormGroups, size.stormSeconds, size.stormGroupWaitS),
      ),
    );
    result.storm = { ...storm, peak_rss_mb: peakMb };
  }
  if (steps.has('outage')) {
    log(`${engine.name}: ${size.outageAlerts} alerts into a receiver down for ${size.outageSeconds} s, with the circuit breaker and without`);
    result.outage = await measured('outage', () => scenario.outage(system, { circuit: '/outage-circuit', none: '/outage-none' }, size.outageAlerts, size.outageSeconds));
  }
  if (steps.has('fanout')) {
    log(`${engine.name}: fan-out: ${size.fanoutAlerts} alerts to each of ${FANOUT.join(', ')} destinations, ${size.fanoutConcurrency} in flight, Herald then the bare workflow`);
    await ensureDestinations(system, Math.max(...FANOUT));
    const workers = { herald: engine.worker.name, baseline: engine.baselineWorker.name };
    result.fanout = await measured('fanout', async () => {
      const cases = [];
      for (const n of FANOUT) cases.push(await fanoutCase(system, engine.cpuProbes(), workers, n, size.fanoutAlerts, size.fanoutConcurrency));
      return cases;
    });
  }
  if (steps.has('updates')) {
    log(`${engine.name}: updates: ${UPDATES.join(', ')} updates to one alert, then as many signals to a bare workflow`);
    result.updates = await measured('updates', () => updatesCurve(system, UPDATES));
  }
  return result;
}

const benchCpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

/** Open alerts in the read model (the API's herald_alerts gauge): this step's and the earlier steps'. */
async function openInReadModel(system: scenario.System): Promise<number> {
  const res = await fetch(`${system.apiUrl}/metrics`, { headers: { authorization: `Bearer ${system.apiKey}` } });
  const text = await res.text();
  const match = /^herald_alerts\{state="open"\} (\d+)/m.exec(text);
  if (!match) throw new Error(`GET /metrics has no herald_alerts{state="open"} (answered ${res.status})`);
  return Number(match[1]);
}

/**
 * Why the slowest deliveries were slow, from the read model: how many took longer than the first
 * retry wait (a failed first attempt), and the failed attempts of the ten slowest.
 */
async function slowDeliveries(system: scenario.System, took: Array<{ id: string; ms: number }>): Promise<NonNullable<EngineReport['scale']>['open']['slow']> {
  const slowest = [...took].sort((a, b) => b.ms - a.ms).slice(0, 10);
  const errors: Record<string, number> = {};
  let attempts = 0;
  for (const { id } of slowest) {
    const alert = (await scenario.getAlert(system, id)) as unknown as { destinations: Array<{ events: Array<{ attempts: Array<{ status_code?: number; error?: string }> }> }> };
    for (const attempt of alert.destinations.flatMap((d) => d.events.flatMap((e) => e.attempts))) {
      attempts++;
      const failed = attempt.error ?? (attempt.status_code !== undefined && (attempt.status_code < 200 || attempt.status_code >= 300) ? `HTTP ${attempt.status_code}` : undefined);
      if (failed) errors[failed] = (errors[failed] ?? 0) + 1;
    }
  }
  return { over_30s: took.filter((t) => t.ms > 30_000).length, slowest_ms: slowest.map((t) => Math.round(t.ms)), slowest_attempts: attempts, slowest_errors: errors };
}

/** Where the worker's memory is, from its /metrics: its main thread's V8 heap, and the workflow cache. */
async function workerMemory(metricsUrl: string): Promise<NonNullable<EngineReport['scale']>['worker_memory']> {
  let text: string;
  try {
    text = await (await fetch(metricsUrl)).text();
  } catch (err) {
    process.stderr.write(`[bench] could not read the worker's metrics: ${(err as Error).message}\n`);
    return {};
  }
  const gauge = (name: string) => {
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text);
    return match ? Number(match[1]) : undefined;
  };
  const mb = (bytes: number | undefined) => (bytes === undefined ? undefined : Math.round(bytes / 2 ** 20));
  return {
    main_heap_used_mb: mb(gauge('herald_nodejs_heap_size_used_bytes')),
    main_heap_total_mb: mb(gauge('herald_nodejs_heap_size_total_bytes')),
    external_mb: mb(gauge('herald_nodejs_external_memory_bytes')),
    sticky_cache_size: gauge('temporal_sticky_cache_size'),
  };
}

/** One point of the open-alerts curve: what a scale run measured while its alerts were open. */
function curvePoint(s: NonNullable<EngineReport['scale']>): ScalePoint {
  return {
    open_alerts: s.open_alerts,
    worker_rss_mb: s.rss_mb.worker.all_open,
    api_rss_mb: s.rss_mb.api.all_open,
    ingest_p99_ms: s.trigger_while_open.herald.p99_ms,
    bare_start_p99_ms: s.trigger_while_open.baseline.p99_ms,
    get_p99_ms: s.get_while_open.herald.p99_ms,
    list_p99_ms: s.list_while_open.herald.p99_ms,
  };
}

/**
 * N alerts open at once, opened through the API with BENCH_OPEN_CONCURRENCY in flight at most (each opener triggers an
 * alert and waits for its delivery before the next: a burst of POSTs would only queue workflow
 * tasks): how long until all are delivered, memory while they wait, writes and reads meanwhile
 * (each beside its baseline), then resolve them all alike and count the alert.resolved deliveries.
 */
async function openAlerts(system: scenario.System, count: number, worker: Child, apiProcess: Child, workerMetricsUrl: string, log: (m: string) => void): Promise<NonNullable<EngineReport['scale']>> {
  const run = Date.now().toString(36);
  const ids = Array.from({ length: count }, (_, i) => `open_${run}_${i}`);
  const destination = system.destinations.slice(0, 1);
  const triggered = (list: string[]) => list.map((id) => scenario.heraldKey(1, id));
  // A large set takes long; a set whose deliveries stopped arriving for this long has stalled.
  const stallMs = 5 * 60_000;
  const pair = [worker, apiProcess];

  log(`scale: opening ${count} alerts, ${size.openConcurrency} in flight (each until delivered)`);
  // A long step says how far it got, so a run cut short still shows its memory on the way.
  let openedSoFar = 0;
  const progress = setInterval(() => log(`scale: ${openedSoFar} of ${count} open; worker RSS ${worker.rssMb()} MB, api RSS ${apiProcess.rssMb()} MB`), 60_000);
  const { result: opening, peakMb: openingPeak } = await peakRss(pair, async () => {
    const started = performance.now();
    const posts: number[] = [];
    const took: Array<{ id: string; ms: number }> = [];
    const opened = await atConcurrency(count, size.openConcurrency, async (i) => {
      const sent = performance.now();
      await scenario.triggerAlert(system, ids[i]!, destination);
      posts.push(performance.now() - sent);
      await system.receiver.waitFor(triggered([ids[i]!]), stallMs);
      took.push({ id: ids[i]!, ms: performance.now() - sent });
      openedSoFar++;
    });
    clearInterval(progress);
    if (opened.errors.length > 0) throw new Error(`${opened.errors.length} of ${count} alerts were not opened and delivered, first: ${opened.errors[0]}`);
    const seconds = (performance.now() - started) / 1000;
    return { posts: summarize(posts, opened.elapsedMs), toDelivery: summarize(opened.latencies, opened.elapsedMs), seconds, slow: await slowDeliveries(system, took) };
  });
  const allOpen = { worker_mb: worker.rssMb(), api_mb: apiProcess.rssMb() };
  log(`scale: all ${count} open; worker RSS ${allOpen.worker_mb} MB (peak while opening ${openingPeak[worker.name]} MB), api RSS ${allOpen.api_mb} MB`);
  const memoryAllOpen = await workerMemory(workerMetricsUrl);

  log(`scale: writes and reads while ${count} are open`);
  const { result: hold, peakMb: holdPeak } = await peakRss(pair, async () => {
    // The alerts triggered meanwhile stay open with the others, are read and resolved with them.
    const accepted: string[] = [];
    const trigger = await scenario.heraldIngest(system, size.triggerWhileOpen, 100, { accepted });
    const bareTrigger = await scenario.temporalIngest(system, size.triggerWhileOpen, 100);
    const open = [...ids, ...accepted];
    const openInAll = await openInReadModel(system);
    log(`scale: GET /v1/alerts/{id} at ${size.readRate}/s and GET /v1/alerts at ${size.listRate}/s, ${size.readSeconds} s each (${openInAll} open in the read model)`);
    const reads = size.readRate * size.readSeconds;
    const get = await scenario.heraldReads(system, open, reads, size.readRate);
    const bareGet = await scenario.bareReads(system, reads, size.readRate);
    const lists = size.listRate * size.readSeconds;
    const list = await scenario.heraldLists(system, lists, size.listRate, size.listPages);
    const bareList = await scenario.bareReads(system, lists, size.listRate);
    return { open, openInAll, trigger, bareTrigger, get, bareGet, list, bareList };
  });

  log(`scale: resolving ${hold.open.length} alerts, ${size.openConcurrency} in flight (each until delivered)`);
  const { result: resolving, peakMb: resolvingPeak } = await peakRss(pair, async () => {
    const started = performance.now();
    const resolvedKey = (id: string) => scenario.heraldKey(1, id, 'alert.resolved');
    const posts: number[] = [];
    let refused = 0;
    const closed = await atConcurrency(hold.open.length, size.openConcurrency, async (i) => {
      const sent = performance.now();
      try {
        await scenario.resolveAlert(system, hold.open[i]!);
      } catch (err) {
        refused++;
        throw err;
      }
      posts.push(performance.now() - sent);
      await system.receiver.waitFor([resolvedKey(hold.open[i]!)], stallMs);
    });
    if (closed.errors.length > 0) process.stderr.write(`[bench] ${closed.errors.length} resolves were refused or not delivered, first: ${closed.errors[0]}\n`);
    const seconds = (performance.now() - started) / 1000;
    // Counted at the receiver, whatever the loop saw.
    const delivered = system.receiver.countArrived(hold.open.map(resolvedKey));
    return { posts: summarize(posts, closed.elapsedMs, refused), toDelivery: summarize(closed.latencies, closed.elapsedMs), refused, seconds, delivered };
  });
  const mb = (peak: Record<string, number>, c: Child) => peak[c.name]!;
  return {
    open_alerts: count,
    open_concurrency: size.openConcurrency,
    open_in_read_model: hold.openInAll,
    open: { posts: opening.posts, to_delivery: opening.toDelivery, delivered_seconds: round1(opening.seconds), per_s: round1(count / opening.seconds), slow: opening.slow },
    worker_memory: memoryAllOpen,
    rss_mb: {
      worker: { all_open: allOpen.worker_mb, peak_opening: mb(openingPeak, worker), peak_while_open: mb(holdPeak, worker), peak_resolving: mb(resolvingPeak, worker), after_resolve: worker.rssMb() },
      api: { all_open: allOpen.api_mb, peak_opening: mb(openingPeak, apiProcess), peak_while_open: mb(holdPeak, apiProcess), peak_resolving: mb(resolvingPeak, apiProcess), after_resolve: apiProcess.rssMb() },
    },
    trigger_while_open: { herald: hold.trigger, baseline: hold.bareTrigger },
    get_while_open: { rate: size.readRate, herald: hold.get, baseline: hold.bareGet },
    list_while_open: { rate: size.listRate, page_size: scenario.LIST_PAGE_SIZE, pages: hold.list.pages, herald: hold.list, baseline: hold.bareList },
    resolve: {
      alerts: hold.open.length,
      refused: resolving.refused,
      posts: resolving.posts,
      to_delivery: resolving.toDelivery,
      delivered_seconds: round1(resolving.seconds),
      per_s: round1(resolving.delivered / resolving.seconds),
      resolved_delivered: resolving.delivered,
      duplicate_deliveries_in_run: system.receiver.duplicates,
    },
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
