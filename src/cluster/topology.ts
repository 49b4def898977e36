// Herald's scale-out topology on one machine, without Docker: PostgreSQL holding Temporal's
// persistence and visibility and Herald's store, the Temporal server's four services as separate
// processes, `herald migrate` and `herald setup`, then N `herald api` and M `herald worker`
// processes. `npm run cluster` (src/cluster/main.ts), the cluster tests and the bench start it here.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { freeLoopbackPort } from '../free-port';
import { SecretBox } from '../store/secret-box';
import type { Log } from '../tools/go-built-tools';
import { startLocalPostgres, type LocalPostgres } from './postgres';
import { killProcess, runHeraldCommand, startHeraldProcess, stopProcess, type HeraldProcess } from './herald-process';
import { setupTemporalSchemas, startTemporalCluster, type TemporalCluster } from './temporal-cluster';
import { findTemporalServer, NO_TEMPORAL_SERVER_HELP } from './temporal-server-binaries';

export type Topology = {
  postgres: LocalPostgres;
  temporal: TemporalCluster;
  /** What every Herald process got: TEMPORAL_ADDRESS, DATABASE_URL, keys. */
  heraldEnv: Record<string, string>;
  apiKey: string;
  apis: Array<HeraldProcess & { url: string }>;
  workers: Array<HeraldProcess & { metricsUrl: string }>;
  /** SIGKILL a Herald process (addWorker starts a replacement). */
  killHerald(p: HeraldProcess): Promise<void>;
  /** Starts one more `herald worker` (or a replacement for a killed one). */
  addWorker(): Promise<HeraldProcess & { metricsUrl: string }>;
  stop(): Promise<void>;
};

export type TopologyOptions = {
  /** Herald's compiled CLI (dist/cli.js). */
  cli: string;
  /** Data and logs of every process go here. */
  dir: string;
  apis?: number;
  workers?: number;
  /** More configuration for every Herald process (HERALD_ALLOW_PRIVATE_TARGETS, …). */
  heraldEnv?: Record<string, string>;
  log: Log;
};

export async function startTopology(opts: TopologyOptions): Promise<Topology> {
  const binaries = findTemporalServer({ log: opts.log });
  if (!binaries) throw new Error(NO_TEMPORAL_SERVER_HELP);
  mkdirSync(opts.dir, { recursive: true });
  const logs = path.join(opts.dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const cleanups: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  };

  try {
    // Four Temporal services at up to 30 connections each, plus every Herald process's pool.
    const postgres = startLocalPostgres({ dir: path.join(opts.dir, 'postgres'), port: await freeLoopbackPort(), maxConnections: 300 });
    cleanups.push(() => postgres.stop());
    await setupTemporalSchemas(binaries, postgres);
    postgres.createDatabase('herald');
    opts.log(`PostgreSQL on 127.0.0.1:${postgres.port} (databases temporal, temporal_visibility, herald)`);

    const temporal = await startTemporalCluster({ binaries, postgres, dir: logs, log: opts.log });
    cleanups.push(() => temporal.stop());

    const apiKey = opts.heraldEnv?.HERALD_API_KEYS?.split(',')[0] ?? `cluster-${randomBytes(12).toString('hex')}`;
    const heraldEnv: Record<string, string> = {
      TEMPORAL_ADDRESS: temporal.address,
      DATABASE_URL: postgres.url('herald'),
      HERALD_API_KEYS: apiKey,
      HERALD_SECRET_KEY: SecretBox.generateKey(),
      HERALD_DATA_DIR: path.join(opts.dir, 'herald-data'),
      ...opts.heraldEnv,
      // Info, not less: each process says it is ready in an info line (src/cluster/herald-process.ts).
      LOG_LEVEL: 'info',
    };
    await runHeraldCommand(opts.cli, 'migrate', heraldEnv);
    await runHeraldCommand(opts.cli, 'setup', heraldEnv);

    const apis: Topology['apis'] = [];
    const workers: Topology['workers'] = [];
    cleanups.push(async () => {
      await Promise.all([...apis, ...workers].map(stopProcess));
    });
    for (let i = 1; i <= (opts.apis ?? 2); i++) {
      const port = await freeLoopbackPort();
      const name = `herald-api-${i}`;
      const api = await startHeraldProcess({ cli: opts.cli, command: 'api', name, env: { ...heraldEnv, PORT: String(port) }, logFile: path.join(logs, `${name}.log`) });
      apis.push({ ...api, url: `http://127.0.0.1:${port}` });
    }
    let workerCount = 0;
    const addWorker = async () => {
      const metricsPort = await freeLoopbackPort();
      const name = `herald-worker-${++workerCount}`;
      const worker = await startHeraldProcess({ cli: opts.cli, command: 'worker', name, env: { ...heraldEnv, HERALD_METRICS_PORT: String(metricsPort) }, logFile: path.join(logs, `${name}.log`) });
      const entry = { ...worker, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
      workers.push(entry);
      return entry;
    };
    for (let i = 0; i < (opts.workers ?? 2); i++) await addWorker();

    return {
      postgres,
      temporal,
      heraldEnv,
      apiKey,
      apis,
      workers,
      addWorker,
      killHerald: killProcess,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
