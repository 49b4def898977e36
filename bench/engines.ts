// The engines the bench runs the same scenarios on: the embedded Temporal dev server (one process,
// SQLite) and the cluster topology (the Temporal server's four services on PostgreSQL, Herald's
// store on the same PostgreSQL: src/cluster/topology.ts). Each comes with Herald's api and one
// worker, the baseline's worker, and the CPU probes of every process.
import path from 'node:path';
import { startTopology } from '../src/cluster/topology';
import { TEMPORAL_SERVICES } from '../src/cluster/temporal-cluster';
import { freeLoopbackPort } from '../src/free-port';
import { SecretBox } from '../src/store/secret-box';
import { findTemporalCli, NO_TEMPORAL_HELP } from '../src/temporal/dev-server';
import { startDevServerOnFreePorts } from '../test/support/dev-server';
import { cpuSeconds, type CpuProbe } from './cpu';
import { rssMb, startBaselineWorker, startHeraldProcess, type Child } from './processes';

export const ENGINES = ['dev', 'cluster'] as const;
export type EngineName = (typeof ENGINES)[number];

export type Engine = {
  name: EngineName;
  /** What the report calls it. */
  label: string;
  address: string;
  apiUrl: string;
  /**
   * A second API on the same worker whose alerts schedule every attempt (HERALD_FIRST_ATTEMPT=scheduled):
   * the end-to-end step's before/after for first attempts in the workflow task. Dev server only.
   */
  scheduledFirstAttemptApiUrl?: string;
  api: Child;
  worker: Child;
  workerMetricsUrl: string;
  baselineWorker: Child;
  /** One more Herald worker and one more baseline worker, for the two-worker step. */
  addWorkers(): Promise<void>;
  children(): Child[];
  cpuProbes(): CpuProbe[];
  stop(): Promise<void>;
};

const probe = (name: string, pid: () => number | undefined, children = false): CpuProbe => ({ name, seconds: () => cpuSeconds(pid(), children) });
const childProbes = (children: Child[]) => children.map((c) => probe(c.name, () => c.process.pid));

export async function startEngine(name: EngineName, opts: { root: string; scratch: string; apiKey: string; baselineQueue: string; log: (m: string) => void }): Promise<Engine> {
  const cli = path.join(opts.root, 'src', 'cli.js');
  const extra: Child[] = [];
  const heraldEnv = { HERALD_API_KEYS: opts.apiKey, HERALD_ALLOW_PRIVATE_TARGETS: 'true', HERALD_ALLOW_INSECURE_TARGETS: 'true' };

  if (name === 'dev') {
    const cliPath = findTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH, log: opts.log });
    if (!cliPath) throw new Error(NO_TEMPORAL_HELP);
    const server = await startDevServerOnFreePorts({ cliPath, dataDir: path.join(opts.scratch, 'temporal'), namespace: 'default', log: opts.log });
    const env = { ...heraldEnv, TEMPORAL_ADDRESS: server.address, HERALD_DATA_DIR: path.join(opts.scratch, 'data'), HERALD_SECRET_KEY: SecretBox.generateKey() };
    const apiPort = await freeLoopbackPort();
    const api = await startHeraldProcess('api', cli, { ...env, PORT: String(apiPort) });
    const workerMetricsUrl = `http://127.0.0.1:${await freeLoopbackPort()}/metrics`;
    const worker = await startHeraldProcess('worker', cli, { ...env, HERALD_METRICS_PORT: new URL(workerMetricsUrl).port });
    const baselineWorker = await startBaselineWorker(opts.root, server.address, opts.baselineQueue);
    const scheduledApiPort = await freeLoopbackPort();
    const scheduledApi = await startHeraldProcess('api', cli, { ...env, PORT: String(scheduledApiPort), HERALD_FIRST_ATTEMPT: 'scheduled' }, 'herald api (first attempts scheduled)');
    const children = () => [api, scheduledApi, worker, baselineWorker, ...extra];
    return {
      name,
      label: 'dev server (temporal server start-dev, SQLite)',
      address: server.address,
      apiUrl: `http://127.0.0.1:${apiPort}`,
      scheduledFirstAttemptApiUrl: `http://127.0.0.1:${scheduledApiPort}`,
      api,
      worker,
      workerMetricsUrl,
      baselineWorker,
      async addWorkers() {
        extra.push(await startHeraldProcess('worker', cli, { ...env, HERALD_METRICS_PORT: String(await freeLoopbackPort()) }, 'herald worker 2'));
        extra.push(await startBaselineWorker(opts.root, server.address, opts.baselineQueue, 'baseline worker 2'));
      },
      children,
      cpuProbes: () => [probe('temporal dev server', () => server.pid), ...childProbes(children())],
      async stop() {
        for (const c of children()) await c.stop();
        await server.stop();
      },
    };
  }

  const topology = await startTopology({ cli, dir: path.join(opts.scratch, 'cluster'), apis: 1, workers: 1, heraldEnv, log: opts.log });
  const wrap = (p: (typeof topology.apis)[number] | (typeof topology.workers)[number], label: string): Child => ({
    process: p.child,
    name: label,
    rssMb: () => rssMb(p.child.pid!),
    stop: async () => undefined, // the topology stops its own processes
  });
  const api = wrap(topology.apis[0]!, 'herald api');
  const worker = wrap(topology.workers[0]!, 'herald worker');
  const baselineWorker = await startBaselineWorker(opts.root, topology.temporal.address, opts.baselineQueue);
  const baselines = [baselineWorker];
  const heralds = [api, worker];
  return {
    name,
    label: 'cluster (Temporal server v1.32.2: frontend, history, matching, worker on PostgreSQL 15)',
    address: topology.temporal.address,
    apiUrl: topology.apis[0]!.url,
    api,
    worker,
    workerMetricsUrl: topology.workers[0]!.metricsUrl,
    baselineWorker,
    async addWorkers() {
      heralds.push(wrap(await topology.addWorker(), 'herald worker 2'));
      baselines.push(await startBaselineWorker(opts.root, topology.temporal.address, opts.baselineQueue, 'baseline worker 2'));
    },
    children: () => [...heralds, ...baselines],
    cpuProbes: () => [
      ...TEMPORAL_SERVICES.map((s) => probe(`temporal ${s}`, () => topology.temporal.pid(s))),
      probe('postgresql', () => topology.postgres.pid(), true),
      ...childProbes([...heralds, ...baselines]),
    ],
    async stop() {
      for (const c of baselines) await c.stop();
      await topology.stop();
    },
  };
}
