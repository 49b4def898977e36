#!/usr/bin/env node
// herald start | api | worker | migrate | setup, and the operator's alerts | destinations | silences | groups commands
import { Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from './config';
import { startEmbedded } from './start';
import { ensurePortFree, portInUse, PortInUseError } from './port-in-use';
import { createLogger, openStore, runApi, runWorker, serveMetrics } from './server';
import { secretBox } from './store/secret-box';
import { DestinationStore } from './store/destinations';
import { installTemporalRuntime } from './temporal/runtime';
import { NAMESPACE_RETENTION_DAYS, setupNamespace } from './temporal/namespace-registration';
import { runOperatorCli } from './operator-cli/main';
import { startTracing } from './telemetry/tracing';

const USAGE = `usage: herald <command>
  start    everything in one process tree: embedded Temporal dev server, worker and API (for a laptop)
  api      the HTTP API only, against TEMPORAL_ADDRESS (scale-out)
  worker   the Temporal worker only, against TEMPORAL_ADDRESS (scale-out)
  migrate  apply database migrations (and re-seal secrets with the first HERALD_SECRET_KEY) and exit
  setup    register TEMPORAL_NAMESPACE on TEMPORAL_ADDRESS if missing, and Herald's search attributes on it (idempotent), and exit
  alerts, destinations, silences, groups
                         an operator's commands against a running Herald (herald alerts --help)`;

function requireTemporalAddress(config: Config, command: string): string {
  if (!config.temporalAddress) {
    throw new ConfigError([`TEMPORAL_ADDRESS (unset): required by \`herald ${command}\`; \`herald start\` runs an embedded server instead`]);
  }
  return config.temporalAddress;
}

/** Resolves on the first SIGINT or SIGTERM. */
function shutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  });
}

async function main(command: string | undefined): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  // The ports this command listens on, by the variable that sets each (PortInUseError names it).
  const ports = command === 'worker' ? { HERALD_METRICS_PORT: config.metricsPort } : { PORT: config.port };
  // Traces (README "Traces (OpenTelemetry)"): before any client or worker exists, and flushed at the end.
  const serves = command === 'start' || command === 'api' || command === 'worker';
  const tracing = serves ? startTracing((message) => logger.warn({ detail: message }, 'OpenTelemetry trace export problem')) : undefined;
  if (tracing) logger.info({ service: tracing.serviceName }, 'tracing on: spans are exported over OTLP');
  try {
    return await run(command, config, logger);
  } catch (err) {
    throw portInUse(err, ports) ?? err;
  } finally {
    await tracing?.stop();
  }
}

async function run(command: string | undefined, config: Config, logger: Logger): Promise<void> {
  switch (command) {
    case 'start':
      // Checked first: a taken port stops Herald before it has started a Temporal dev server.
      await ensurePortFree('PORT', config.port);
      await installTemporalRuntime(config);
      return startEmbedded(config, logger, shutdownSignal());
    case 'api': {
      const address = requireTemporalAddress(config, 'api');
      if (config.apiKeys.length === 0) throw new ConfigError(['HERALD_API_KEYS (unset): required by `herald api`']);
      // No Temporal Runtime here: the API talks to Temporal through the client alone, and an SDK
      // exporter in a process without a worker would export nothing but could take a port.
      const api = await runApi(config, await openStore(config, logger), address, logger);
      logger.info({ url: api.url }, 'API listening');
      await shutdownSignal();
      return api.stop();
    }
    case 'worker': {
      const address = requireTemporalAddress(config, 'worker');
      // /metrics first: a taken port stops Herald before the worker polls for tasks.
      const metrics = await serveMetrics(config.metricsPort);
      await installTemporalRuntime(config);
      const worker = await runWorker(config, await openStore(config, logger), address, logger);
      logger.info({ taskQueue: config.taskQueue, metrics: `http://localhost:${config.metricsPort}/metrics` }, 'worker running');
      await Promise.race([shutdownSignal(), worker.done]);
      await metrics.stop();
      return worker.stop();
    }
    case 'setup': {
      const connection = await Connection.connect({ address: requireTemporalAddress(config, 'setup') });
      try {
        const { registered, added } = await setupNamespace(connection, config.namespace);
        if (registered) logger.info({ namespace: config.namespace, retentionDays: NAMESPACE_RETENTION_DAYS }, 'namespace registered');
        logger.info({ namespace: config.namespace, added }, 'search attributes registered');
      } finally {
        await connection.close();
      }
      return;
    }
    case 'migrate': {
      const db = await openStore(config, logger);
      // After a key rotation (new key first in HERALD_SECRET_KEY), seal every secret with it.
      const resealed = config.secretKeys.length > 0 ? await new DestinationStore(db, secretBox(config)).reseal() : 0;
      logger.info({ resealed }, 'migrations applied');
      await db.destroy();
      return;
    }
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
}

const OPERATOR_COMMANDS = new Set(['alerts', 'destinations', 'silences', 'groups']);

if (OPERATOR_COMMANDS.has(process.argv[2] ?? '')) {
  // A client of the API: no configuration of Herald's own is read.
  runOperatorCli(process.argv.slice(2), process.env, (t) => process.stdout.write(t), (t) => process.stderr.write(t)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  runServerCommand();
}

function runServerCommand(): void {
  main(process.argv[2]).then(
    () => process.exit(process.exitCode ?? 0),
    (err) => {
      // Problems the operator fixes in the environment read as their message alone, not a stack trace.
      console.error(err instanceof ConfigError || err instanceof PortInUseError ? err.message : err);
      process.exit(1);
    },
  );
}
