// `npm run bench`: Herald against the limits of its engine, on this machine, in one run. Prints a
// table and writes bench-results/bench-<time>.json. Not part of `npm test`.
//   BENCH_SCALE=quick   a smaller run (about a minute) to check the harness
//   BENCH_OPEN_ALERTS   open alerts for the scale step (default 10000)
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { findTemporalCli, NO_TEMPORAL_HELP } from '../src/temporal/dev-server';
import { startDevServerOnFreePorts } from '../test/support/dev-server';
import { SecretBox } from '../src/store/secret-box';
import { atConcurrency, atRate } from './load';
import { freeLoopbackPort } from '../src/free-port';
import { startBaselineWorker, startHeraldProcess, type Child } from './processes';
import { BenchReceiver } from './receiver';
import * as scenario from './scenarios';
import { ratio, summarize } from './stats';
import { printReport, type Report } from './report';

const quick = process.env.BENCH_SCALE === 'quick';
const size = {
  e2e: quick ? 200 : 1000,
  e2eFanOut: quick ? 100 : 500,
  concurrency: 16,
  rateSeconds: quick ? 4 : 10,
  saturation: quick ? 500 : 2000,
  openAlerts: Number(process.env.BENCH_OPEN_ALERTS ?? (quick ? 1000 : 10_000)),
};

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
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'herald-bench-'));
  const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
  const cliPath = findTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH, log });
  if (!cliPath) throw new Error(NO_TEMPORAL_HELP);

  const server = await startDevServerOnFreePorts({ cliPath, dataDir: path.join(scratch, 'temporal'), namespace: 'default', log });
  const receiver = await BenchReceiver.start();
  const apiKey = `bench-${randomBytes(12).toString('hex')}`;
  const apiPort = await freeLoopbackPort();
  const env = {
    TEMPORAL_ADDRESS: server.address,
    HERALD_API_KEYS: apiKey,
    HERALD_DATA_DIR: path.join(scratch, 'data'),
    HERALD_SECRET_KEY: SecretBox.generateKey(),
    HERALD_ALLOW_PRIVATE_TARGETS: 'true',
    HERALD_ALLOW_INSECURE_TARGETS: 'true',
    PORT: String(apiPort),
  };
  const cli = path.join(root, 'src', 'cli.js');
  const apiProcess = await startHeraldProcess('api', cli, env);
  const workerProcess = await startHeraldProcess('worker', cli, { ...env, HERALD_METRICS_PORT: String(await freeLoopbackPort()) });
  const baselineQueue = 'bench-baseline';
  const baselineWorker = await startBaselineWorker(root, server.address, baselineQueue);
  const connection = await Connection.connect({ address: server.address });
  const children = [apiProcess, workerProcess, baselineWorker];

  const system: scenario.System = {
    apiUrl: `http://127.0.0.1:${apiPort}`,
    apiKey,
    receiver,
    destinations: [],
    temporal: new Client({ connection }),
    baselineQueue,
  };
  try {
    for (const hook of [1, 2, 3]) {
      const res = await fetch(`${system.apiUrl}/v1/destinations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `bench-hook-${hook}`, type: 'webhook', config: { url: `${receiver.url}/hook${hook}` } }),
      });
      if (res.status !== 201) throw new Error(`creating a destination answered ${res.status}: ${await res.text()}`);
      system.destinations.push(((await res.json()) as { id: string }).id);
    }
    const idle = { api_mb: apiProcess.rssMb(), worker_mb: workerProcess.rssMb() };
    log('warming up');
    await scenario.heraldEndToEnd(system, 50, 8, 1);
    await scenario.temporalEndToEnd(system, 50, 8, 1);

    log(`end to end: ${size.e2e} alerts × 1 destination, ${size.e2eFanOut} × 3, concurrency ${size.concurrency}`);
    const http = await scenario.bareHttp(system, size.e2e, size.concurrency);
    const { result: e2e, peakMb: loadedMb } = await peakRss(children, async () => ({
      bare1: await scenario.temporalEndToEnd(system, size.e2e, size.concurrency, 1),
      herald1: await scenario.heraldEndToEnd(system, size.e2e, size.concurrency, 1),
      bare3: await scenario.temporalEndToEnd(system, size.e2eFanOut, size.concurrency, 3),
      herald3: await scenario.heraldEndToEnd(system, size.e2eFanOut, size.concurrency, 3),
    }));

    log('ingest at fixed rates and at saturation');
    const ingest: Report['ingest'] = [];
    for (const rate of [50, 100, 200]) {
      const count = rate * size.rateSeconds;
      ingest.push({ load: `${rate}/s`, herald: await scenario.heraldIngest(system, count, rate), baseline: await scenario.temporalIngest(system, count, rate) });
    }
    ingest.push({
      load: 'saturation (32 in flight)',
      herald: await scenario.heraldIngest(system, size.saturation, undefined),
      baseline: await scenario.temporalIngest(system, size.saturation, undefined),
    });

    log(`scale: ${size.openAlerts} open alerts`);
    const scale = await openAlerts(system, size.openAlerts, workerProcess, apiProcess);

    const report: Report = {
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` },
      sizes: size,
      end_to_end: [
        { case: '1 destination', herald: e2e.herald1, baseline: e2e.bare1, throughput_ratio: ratio(e2e.herald1.per_s, e2e.bare1.per_s), p99_ratio: ratio(e2e.herald1.p99_ms, e2e.bare1.p99_ms), http_ratio: ratio(e2e.herald1.per_s, http.per_s) },
        { case: '3 destinations', herald: e2e.herald3, baseline: e2e.bare3, throughput_ratio: ratio(e2e.herald3.per_s, e2e.bare3.per_s), p99_ratio: ratio(e2e.herald3.p99_ms, e2e.bare3.p99_ms), http_ratio: ratio(e2e.herald3.per_s, http.per_s) },
      ],
      http_baseline: http,
      ingest,
      scale,
      memory: { idle, peak_under_load: loadedMb },
    };
    printReport(report);
    const out = path.join(process.cwd(), 'bench-results');
    mkdirSync(out, { recursive: true });
    const file = path.join(out, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote ${file}`);
  } finally {
    await connection.close();
    for (const c of children) await c.stop();
    await receiver.close();
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** N alerts open at once: worker memory and API latency while they wait, then resolve them all. */
async function openAlerts(system: scenario.System, count: number, worker: Child, apiProcess: Child): Promise<Report['scale']> {
  const ids = Array.from({ length: count }, (_, i) => `open_${i}_${Date.now().toString(36)}`);
  const destination = system.destinations.slice(0, 1);
  const opening = performance.now();
  const opened = await atConcurrency(count, 32, async (i) => scenario.triggerAlert(system, ids[i]!, destination));
  if (opened.errors.length > 0) throw new Error(`${opened.errors.length} alerts could not be opened: ${opened.errors[0]}`);
  await system.receiver.waitFor(ids.map((id) => scenario.heraldKey(1, id)), 30 * 60_000);
  const openSeconds = (performance.now() - opening) / 1000;
  const whileOpen = { worker_rss_mb: worker.rssMb(), api_rss_mb: apiProcess.rssMb() };
  const trigger = await atRate(500, 100, async (i) => scenario.triggerAlert(system, `${ids[i]}_more`, destination));
  const read = await atRate(500, 100, async (i) => scenario.getAlert(system, ids[(i * 7919) % count]!));

  const resolving = performance.now();
  const resolved = await atConcurrency(count, 32, async (i) => scenario.resolveAlert(system, ids[i]!));
  if (resolved.errors.length > 0) throw new Error(`${resolved.errors.length} alerts could not be resolved: ${resolved.errors[0]}`);
  await system.receiver.waitFor(ids.map((id) => scenario.heraldKey(1, id, 'alert.resolved')), 30 * 60_000);
  const resolveSeconds = (performance.now() - resolving) / 1000;
  return {
    open_alerts: count,
    open_seconds: Math.round(openSeconds),
    ...whileOpen,
    worker_rss_after_resolve_mb: worker.rssMb(),
    trigger_while_open: summarize(trigger.latencies, trigger.elapsedMs, trigger.errors.length),
    get_while_open: summarize(read.latencies, read.elapsedMs, read.errors.length),
    resolve_all_seconds: Math.round(resolveSeconds),
    resolves_per_s: Math.round(count / resolveSeconds),
  };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
