#!/usr/bin/env node
// herald start | api | worker | migrate
import { Connection } from '@temporalio/client';
import { ConfigError, loadConfig, type Config } from './config';
import { startEmbedded } from './start';
import { createLogger, openStore, runApi, runWorker, serveMetrics } from './server';
import { secretBox } from './store/secret-box';
import { DestinationStore } from './store/destinations';
import { ensureSearchAttributes } from './temporal/search-attribute-registration';

const USAGE = `usage: herald <command>
  start    everything in one process tree: embedded Temporal dev server, worker and API (for a laptop)
  api      the HTTP API only, against TEMPORAL_ADDRESS (scale-out)
  worker   the Temporal worker only, against TEMPORAL_ADDRESS (scale-out)
  migrate  apply database migrations (and re-seal secrets with the first HERALD_SECRET_KEY) and exit
  setup    register Herald's search attributes on TEMPORAL_ADDRESS's namespace (idempotent) and exit`;

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
  switch (command) {
    case 'start':
      return startEmbedded(config, logger, shutdownSignal());
    case 'api': {
      const address = requireTemporalAddress(config, 'api');
      if (config.apiKeys.length === 0) throw new ConfigError(['HERALD_API_KEYS (unset): required by `herald api`']);
      const api = await runApi(config, await openStore(config, logger), address, logger);
      logger.info({ url: api.url }, 'API listening');
      await shutdownSignal();
      return api.stop();
    }
    case 'worker': {
      const worker = await runWorker(config, await openStore(config, logger), requireTemporalAddress(config, 'worker'), logger);
      const metrics = await serveMetrics(config.metricsPort);
      logger.info({ taskQueue: config.taskQueue, metrics: `http://localhost:${config.metricsPort}/metrics` }, 'worker running');
      await Promise.race([shutdownSignal(), worker.done]);
      await metrics.stop();
      return worker.stop();
    }
    case 'setup': {
      const connection = await Connection.connect({ address: requireTemporalAddress(config, 'setup') });
      try {
        const added = await ensureSearchAttributes(connection.operatorService, config.namespace);
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

main(process.argv[2]).then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);
