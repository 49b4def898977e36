// The embedded Temporal server of `herald start`: find (or build) the real `temporal` CLI and run
// `temporal server start-dev` as a child process on a SQLite file, so alerts survive a restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isLoopbackPortFree } from '../free-port';
import { untilFrontendAnswers } from './frontend-ready';
import { devServerSearchAttributeFlags } from './search-attribute-registration';
import { HERALD_SEARCH_ATTRIBUTES } from './search-attributes';
import { logChildOutput } from '../tools/child-output-log';
import { goInstall, heraldCacheDir, isExecutable, onPath, type Log } from '../tools/go-built-tools';

export { heraldCacheDir };

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const TEMPORAL_CLI_MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

/**
 * The `temporal` CLI to run: TEMPORAL_CLI_PATH, then PATH, then Herald's cache, then a fresh build
 * with Go into that cache. Undefined when none of these is possible.
 */
export function findTemporalCli(opts: { cliPath?: string; env?: NodeJS.ProcessEnv; log: Log; build?: boolean }): string | undefined {
  const env = opts.env ?? process.env;
  if (opts.cliPath) {
    if (!isExecutable(opts.cliPath)) throw new Error(`TEMPORAL_CLI_PATH=${opts.cliPath} is not an executable file`);
    return opts.cliPath;
  }
  const found = onPath('temporal', env);
  if (found) return found;
  const binDir = path.join(heraldCacheDir(env), 'bin');
  const cached = path.join(binDir, 'temporal');
  if (isExecutable(cached)) return cached;
  if (opts.build === false || !onPath('go', env)) return undefined;
  const built = goInstall({ label: `the Temporal CLI ${TEMPORAL_CLI_VERSION}`, programs: [{ module: TEMPORAL_CLI_MODULE, name: 'temporal' }] }, { env, log: opts.log });
  if (!built || !isExecutable(cached)) return undefined;
  return cached;
}

export const NO_TEMPORAL_HELP = `No Temporal server is available. Do one of these:
  - point Herald at a running server: TEMPORAL_ADDRESS=host:7233
  - install the Temporal CLI and put it on PATH (or set TEMPORAL_CLI_PATH=/path/to/temporal)
  - install Go (1.23 or newer) so Herald can build it: go install ${TEMPORAL_CLI_MODULE}
  - or allow downloads so the Temporal SDK can fetch its dev server`;

export type DevServer = {
  address: string;
  /** Where it listens, to start it again on the same ports. */
  ports: { port: number; uiPort: number };
  /** Its process, when Herald started one (the bench reads its CPU time). */
  pid?: number;
  stop(): Promise<void>;
  exited: Promise<number | null>;
};

export type DevServerOptions = {
  cliPath: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** The codec endpoint the UI should call to show encrypted payloads, when payloads are encrypted. */
  uiCodecEndpoint?: string;
  /** Server settings (`--dynamic-config-value`), e.g. lowered history limits for tests. */
  dynamicConfig?: Record<string, number | string | boolean>;
  log: Log;
};

/** Starts `temporal server start-dev` and resolves once its frontend answers. */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  mkdirSync(opts.dataDir, { recursive: true });
  const logFile = path.join(opts.dataDir, 'temporal-server.log');
  const args = [
    'server', 'start-dev',
    '--db-filename', path.join(opts.dataDir, 'temporal.db'),
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    '--ui-port', String(opts.uiPort),
    '--namespace', opts.namespace,
    '--log-level', 'warn',
    // WAL lets readers and the writer overlap; synchronous=normal skips the fsync per commit, which in
    // WAL mode still survives a crash of any process (only an OS crash can lose the last commits).
    '--sqlite-pragma', 'journal_mode=wal',
    '--sqlite-pragma', 'synchronous=normal',
    ...(opts.uiCodecEndpoint ? ['--ui-codec-endpoint', opts.uiCodecEndpoint] : []),
    ...Object.entries(opts.dynamicConfig ?? {}).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]),
    ...devServerSearchAttributeFlags(),
  ];
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // Once all its output is in the file, the log says why it stopped.
  const outputLogged = logChildOutput(child, logFile);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const address = `127.0.0.1:${opts.port}`;
  try {
    await untilFrontendAnswers(address, child, 'the Temporal dev server');
  } catch (err) {
    child.kill('SIGKILL');
    await outputLogged;
    // Taken if the server said so, or if, with it gone, something else still holds the port.
    const portTaken = /address already in use/.test(readFileSync(logFile, 'utf8')) || !(await isLoopbackPortFree(opts.port));
    throw Object.assign(new Error(`${(err as Error).message}; see ${logFile}`), { portTaken });
  }
  return { address, ports: { port: opts.port, uiPort: opts.uiPort }, pid: child.pid, exited, stop: () => stopChild(child, exited) };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Last resort where downloads work: the SDK's own copy of the dev server. */
export async function startSdkDevServer(opts: Omit<DevServerOptions, 'cliPath'>): Promise<DevServer> {
  // Loaded lazily: only this fallback needs the testing package's downloader.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download', downloadDir: path.join(heraldCacheDir(), 'sdk') },
      dbFilename: path.join(opts.dataDir, 'temporal.db'),
      ip: '127.0.0.1',
      port: opts.port,
      ui: true,
      uiPort: opts.uiPort,
      namespace: opts.namespace,
      searchAttributes: HERALD_SEARCH_ATTRIBUTES,
      ...(opts.uiCodecEndpoint && { extraArgs: ['--ui-codec-endpoint', opts.uiCodecEndpoint] }),
    },
  });
  let resolveExit!: (code: number | null) => void;
  const exited = new Promise<number | null>((r) => (resolveExit = r));
  return {
    address: env.address,
    ports: { port: opts.port, uiPort: opts.uiPort },
    exited,
    async stop() {
      await env.teardown();
      resolveExit(0);
    },
  };
}
