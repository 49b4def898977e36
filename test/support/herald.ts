// Herald's API and worker in the test process, on the shared real Temporal dev server, with their own
// task queue and SQLite data dir so test files never see each other's alerts or destinations.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config';
import { openStore, runApi, runWorker, type RunningApi, type RunningWorker } from '../../src/server';
import type { Db } from '../../src/store/db';
import { SecretBox } from '../../src/store/secret-box';

export type ApiResponse = { status: number; headers: Headers; body: any };

export type TestHerald = {
  url: string;
  apiKey: string;
  config: Config;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  stop(): Promise<void>;
};

export function testConfig(env: Record<string, string> = {}): Config {
  const dataDir = mkdtempSync(path.join(process.env.HERALD_TEST_SCRATCH ?? '/tmp', 'data-'));
  return {
    ...loadConfig({
      HERALD_API_KEYS: `test-key-${randomBytes(12).toString('hex')}`,
      HERALD_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: process.env.HERALD_TEST_TEMPORAL_ADDRESS!,
      HERALD_TASK_QUEUE: `herald-test-${randomBytes(6).toString('hex')}`,
      HERALD_ALLOW_PRIVATE_TARGETS: 'true',
      HERALD_ALLOW_INSECURE_TARGETS: 'true',
      HERALD_SECRET_KEY: SecretBox.generateKey(),
      ...env,
    }),
    port: 0,
  };
}

export async function callApi(
  baseUrl: string,
  apiKey: string,
  method: string,
  urlPath: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const res = await fetch(`${baseUrl}${urlPath}`, {
    method,
    headers: {
      authorization: `Bearer ${apiKey}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export async function startHerald(
  opts: { env?: Record<string, string>; worker?: boolean; temporalAddress?: string; logLines?: string[]; config?: Config } = {},
): Promise<TestHerald> {
  // `config` restarts a Herald that ran before: same port, data dir, task queue and keys.
  const config = opts.config ?? testConfig(opts.env);
  // With `logLines`, every JSON log line is collected there (to check what operators would see).
  const logger = opts.logLines
    ? pino({ level: 'info' }, { write: (line: string) => void opts.logLines!.push(line) })
    : pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const db: Db = await openStore(config, logger);
  const address = opts.temporalAddress ?? config.temporalAddress!;
  const worker: RunningWorker | undefined =
    opts.worker === false
      ? undefined
      : await runWorker(config, db, address, logger, { code: readFileSync(process.env.HERALD_TEST_WORKFLOW_BUNDLE!, 'utf8') });
  const api: RunningApi = await runApi(config, db, address, logger);
  const apiKey = config.apiKeys[0]!;
  return {
    url: api.url,
    apiKey,
    config: { ...config, port: Number(new URL(api.url).port) },
    call: (method, urlPath, body, headers) => callApi(api.url, apiKey, method, urlPath, body, headers),
    async stop() {
      await api.stop();
      await worker?.stop();
      await db.destroy();
    },
  };
}
