// The Temporal server as a cluster: its schemas on PostgreSQL (temporal-sql-tool), then frontend,
// history, matching and worker each as its own process, all from deploy/temporal/config.yaml with
// their ports and database in the environment. A service can be killed and started again, as the
// fault suite does.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { untilFrontendAnswers } from '../temporal/frontend-ready';
import { freeLoopbackPort, freeLoopbackPortBetween } from '../free-port';
import type { TemporalServerBinaries } from './temporal-server-binaries';
import type { LocalPostgres } from './postgres';
import { logChildOutput } from '../tools/child-output-log';
import type { Log } from '../tools/go-built-tools';

const run = promisify(execFile);

export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

/** deploy/temporal of the checkout this code runs from (src/, dist/ or a build dir under it). */
function deployDir(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'deploy', 'temporal', 'config.yaml'))) return path.join(dir, 'deploy', 'temporal');
  }
  throw new Error(`deploy/temporal/config.yaml not found above ${__dirname}`);
}

export type TemporalCluster = {
  /** The frontend's gRPC address, for clients. */
  address: string;
  /** The process of each service, while it runs. */
  pid(service: TemporalService): number | undefined;
  /** SIGKILL: the service stops mid-way, as in a crash. */
  kill(service: TemporalService): Promise<void>;
  /** Starts a service that was killed, on the same ports. */
  start(service: TemporalService): Promise<void>;
  stop(): Promise<void>;
};

/** Creates Temporal's two databases and applies the versioned schemas embedded in the SQL tool. */
export async function setupTemporalSchemas(binaries: TemporalServerBinaries, postgres: LocalPostgres): Promise<void> {
  const connect = ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(postgres.port), '-u', 'postgres'];
  for (const [db, schema] of [['temporal', 'postgresql/v12/temporal'], ['temporal_visibility', 'postgresql/v12/visibility']] as const) {
    await run(binaries.sqlTool, [...connect, '--db', db, 'create-database']);
    await run(binaries.sqlTool, [...connect, '--db', db, 'setup-schema', '-v', '0.0']);
    await run(binaries.sqlTool, [...connect, '--db', db, 'update-schema', '--schema-name', schema]);
  }
}

type ServiceProcess = { child: ChildProcess; exited: Promise<unknown> };

export async function startTemporalCluster(opts: {
  binaries: TemporalServerBinaries;
  postgres: LocalPostgres;
  /** Logs (one file per service) go here. */
  dir: string;
  log: Log;
}): Promise<TemporalCluster> {
  mkdirSync(opts.dir, { recursive: true });
  const configFile = path.join(deployDir(), 'config.yaml');
  const ports: Record<string, number> = {};
  for (const service of TEMPORAL_SERVICES) {
    ports[`${service.toUpperCase()}_GRPC_PORT`] = await freeLoopbackPort();
    // Kept in a smallint column of the cluster_membership table.
    ports[`${service.toUpperCase()}_MEMBERSHIP_PORT`] = await freeLoopbackPortBetween(20_000, 32_767);
  }
  ports.FRONTEND_HTTP_PORT = await freeLoopbackPort();
  const address = `127.0.0.1:${ports.FRONTEND_GRPC_PORT}`;
  const env = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    TEMPORAL_DB_HOST: '127.0.0.1',
    TEMPORAL_DB_PORT: String(opts.postgres.port),
    TEMPORAL_DB_USER: 'postgres',
    PUBLIC_FRONTEND_ADDRESS: address,
    DYNAMIC_CONFIG_FILE: path.join(deployDir(), 'dynamic-config.yaml'),
  };
  const running = new Map<TemporalService, ServiceProcess>();

  const start = async (service: TemporalService) => {
    const child = spawn(opts.binaries.server, ['--config-file', configFile, '--allow-no-auth', 'start', '--service', service], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logFile = path.join(opts.dir, `${service}.log`);
    void logChildOutput(child, logFile);
    running.set(service, { child, exited: once(child, 'exit') });
    // One at a time: the first process to start writes the cluster's metadata, and two that start
    // together race to write it and one of them exits.
    if (service === 'frontend') {
      // It answers once history and matching have joined the ring.
      await untilFrontendAnswers(address, child, 'the Temporal frontend').catch((err: Error) => {
        throw new Error(`${err.message}; see ${logFile}`);
      });
    }
    else await waitForPort(ports[`${service.toUpperCase()}_GRPC_PORT`]!, child, service, logFile);
  };
  const kill = async (service: TemporalService) => {
    const proc = running.get(service);
    if (!proc) return;
    running.delete(service);
    if (proc.child.exitCode === null && proc.child.signalCode === null) {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
  };
  const stop = async () => {
    // The frontend first, so clients see it go before the services behind it do.
    for (const service of ['frontend', 'worker', 'matching', 'history'] as const) {
      const proc = running.get(service);
      if (!proc) continue;
      running.delete(service);
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) continue;
      proc.child.kill('SIGTERM');
      const timer = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
      await proc.exited;
      clearTimeout(timer);
    }
  };

  try {
    for (const service of TEMPORAL_SERVICES) await start(service);
  } catch (err) {
    await stop();
    throw err;
  }
  opts.log(`Temporal cluster: frontend ${address}, logs in ${opts.dir}`);
  return { address, pid: (s) => running.get(s)?.child.pid, kill, start, stop };
}

/** Until a service listens on its gRPC port (it does once it has started). */
async function waitForPort(port: number, child: ChildProcess, service: string, logFile: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the Temporal ${service} service exited (${child.exitCode ?? child.signalCode}) while starting; see ${logFile}`);
    const listening = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (listening) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the Temporal ${service} service did not listen on ${port} within 90 s; see ${logFile}`);
}
