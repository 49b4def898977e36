// Assembly of the processes Herald runs: the API half and the worker half, used alone by the `api`
// and `worker` sub-commands and together by `start`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { createApp } from './api/app';
import { startAlertReconciler } from './api/alert-reconciler';
import type { Config } from './config';
import { HttpClient } from './destinations/http-client';
import { createRegistry } from './destinations/registry';
import { migrateToLatest, openPostgres, openSqlite, type Db } from './store/db';
import { AlertStore } from './store/alerts';
import { SentMessageStore } from './store/sent-messages';
import { AlertWorkflows } from './temporal/alert-workflows';
import { metricsText } from './metrics';
import { createClient, payloadCodec } from './temporal/connection';
import { createWorker } from './worker';

export function createLogger(config: Config): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'herald' },
    // Belt and braces: Herald never logs configurations, but if an object with a secret reaches a log it is censored.
    redact: {
      paths: ['*.token', '*.password', '*.client_secret', '*.signing_secret', '*.secret', '*.value', '*.api_key', '*.routing_key', '*.authorization', '*.headers'],
      censor: '[redacted]',
    },
  });
}

export async function openStore(config: Config, logger: Logger): Promise<Db> {
  const db = config.databaseUrl
    ? openPostgres(config.databaseUrl, (err) => logger.warn({ err: err.message }, 'a PostgreSQL connection was dropped; the next query opens another'))
    : openSqlite(config.dataDir);
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  return db;
}

export type RunningApi = { url: string; stop(): Promise<void> };

export async function runApi(config: Config, db: Db, temporalAddress: string, logger: Logger): Promise<RunningApi> {
  const codec = payloadCodec(config);
  const { client, connection } = createClient(temporalAddress, config.namespace, codec);
  const httpClient = new HttpClient();
  const workflows = new AlertWorkflows(client, connection, config.taskQueue, config.alertMaxLifetimeMs, config.firstAttempt);
  const app = createApp({
    config,
    db,
    registry: createRegistry(httpClient, new SentMessageStore(db)),
    workflows,
    ...(codec && { codec }),
    logger,
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const reconciler = startAlertReconciler({ alerts: new AlertStore(db), workflows, logger });
  return {
    url: `http://localhost:${port}`,
    async stop() {
      await reconciler.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await connection.close();
      await httpClient.close();
    },
  };
}

export type RunningWorker = { stop(): Promise<void>; done: Promise<void> };

export async function runWorker(
  config: Config,
  db: Db,
  temporalAddress: string,
  logger: Logger,
  workflowBundle?: { code: string },
): Promise<RunningWorker> {
  const { worker, close } = await createWorker({ config, db, temporalAddress, logger, ...(workflowBundle && { workflowBundle }) });
  const done = worker.run().finally(close);
  return {
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}

/** `herald worker` has no API: it serves /metrics alone, for Prometheus to scrape. */
export async function serveMetrics(port: number): Promise<{ stop(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(await metricsText());
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, resolve));
  return { stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
