// Herald's compiled CLI in child processes, for tests that kill a worker or run several: a separate
// build per caller, so no test races `npm start`'s build of dist/ in the e2e test.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../src/config';
import { freeLoopbackPort } from '../../src/free-port';

const ROOT = path.join(__dirname, '..', '..');

/** Compiles src/ into `<ROOT>/.test-build/<name>/dist` and returns the path of its cli.js. */
export function buildCli(name: string): string {
  const out = path.join(ROOT, '.test-build', name);
  mkdirSync(out, { recursive: true });
  copyFileSync(path.join(ROOT, 'package.json'), path.join(out, 'package.json'));
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json', '--outDir', path.join(out, 'dist')], { cwd: ROOT });
  return path.join(out, 'dist', 'cli.js');
}

export type CliProcess = ChildProcess & { metricsPort: number; exited: Promise<unknown> };

/** `herald worker` for the same task queue, data dir and keys as an in-process test Herald. */
export async function spawnWorker(cli: string, config: Config, temporalAddress = config.temporalAddress!): Promise<CliProcess> {
  const metricsPort = await freeLoopbackPort();
  const child = spawn(process.execPath, [cli, 'worker'], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: temporalAddress,
      HERALD_TASK_QUEUE: config.taskQueue,
      HERALD_DATA_DIR: config.dataDir,
      HERALD_SECRET_KEY: config.secretKeys.map((k) => k.toString('base64')).join(','),
      HERALD_ALLOW_PRIVATE_TARGETS: 'true',
      HERALD_ALLOW_INSECURE_TARGETS: 'true',
      LOG_LEVEL: 'warn',
      HERALD_METRICS_PORT: String(metricsPort),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return Object.assign(child, { metricsPort, exited: once(child, 'exit') });
}

/** SIGKILL: no shutdown, in-flight activities and workflow tasks are abandoned mid-way. */
export async function killHard(child: CliProcess): Promise<void> {
  child.kill('SIGKILL');
  await child.exited;
}

export async function stopGently(child: CliProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await child.exited;
}
