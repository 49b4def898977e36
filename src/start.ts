// `herald start`: everything on a laptop in one process tree — the Temporal dev server as a child
// process, the worker and the API — and all of it stopped cleanly on Ctrl-C.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config';
import { openStore, runApi, runWorker } from './server';
import { SecretBox } from './store/secret-box';
import { findTemporalCli, NO_TEMPORAL_HELP, startDevServer, startSdkDevServer, type DevServer } from './temporal/dev-server';

/** A value generated once and kept in the data dir (readable by its owner only). */
function keptInDataDir(config: Config, name: string, generate: () => string): string {
  const file = path.join(config.dataDir, name);
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `${generate()}\n`, { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

async function embeddedTemporal(config: Config, log: (m: string) => void): Promise<DevServer> {
  const opts = {
    dataDir: config.dataDir,
    port: config.devServerPort,
    uiPort: config.devServerUiPort,
    namespace: config.namespace,
    ...(config.codecKeys.length > 0 && config.uiCodecToken && { uiCodecEndpoint: `${config.publicUrl}/codec/ui/${config.uiCodecToken}` }),
    log,
  };
  const cliPath = findTemporalCli({ cliPath: config.temporalCliPath, log });
  if (cliPath) {
    log(`Starting the Temporal dev server (${cliPath}) on 127.0.0.1:${config.devServerPort}…`);
    return startDevServer({ ...opts, cliPath });
  }
  log('No Temporal CLI found or buildable; trying the Temporal SDK download…');
  try {
    return await startSdkDevServer(opts);
  } catch (err) {
    throw new Error(`${NO_TEMPORAL_HELP}\n(SDK download failed: ${(err as Error).message})`);
  }
}

export async function startEmbedded(config: Config, logger: Logger, stopRequested: Promise<string>): Promise<void> {
  const log = (message: string) => console.log(message);
  // On a laptop the API key and the secret key are generated once and kept in the data dir.
  const apiKeys = config.apiKeys.length > 0 ? config.apiKeys : [keptInDataDir(config, 'api-key', () => `hk_${randomBytes(24).toString('base64url')}`)];
  const secretKeys = config.secretKeys.length > 0 ? config.secretKeys : [Buffer.from(keptInDataDir(config, 'secret-key', SecretBox.generateKey), 'base64')];
  // The embedded UI's own way into the codec endpoint, new at each start (src/api/codec.ts).
  const uiCodecToken = randomBytes(24).toString('base64url');
  const runConfig: Config = { ...config, apiKeys, secretKeys, uiCodecToken };

  const devServer = config.temporalAddress ? undefined : await embeddedTemporal(runConfig, log);
  const address = config.temporalAddress ?? devServer!.address;
  const db = await openStore(runConfig, logger);
  const worker = await runWorker(runConfig, db, address, logger);
  const api = await runApi(runConfig, db, address, logger);

  log(`
Herald is running.
  API          ${api.url}
  Temporal UI  ${devServer ? config.temporalUiUrl : '(your cluster’s UI)'}
  Temporal     ${address}
  API key      ${apiKeys[0]}

Try it:
  curl -s -X POST ${api.url}/v1/destinations -H 'Authorization: Bearer ${apiKeys[0]}' \\
    -H 'Content-Type: application/json' \\
    -d '{"name":"my-hook","type":"webhook","config":{"url":"https://example.com/hook"}}'
  curl -s -X POST ${api.url}/v1/alerts -H 'Authorization: Bearer ${apiKeys[0]}' \\
    -H 'Content-Type: application/json' \\
    -d '{"title":"Orders table lost a column","severity":"critical","destinations":["<destination id>"]}'

Press Ctrl-C to stop.
`);

  const why = await Promise.race([
    stopRequested,
    worker.done.then(() => 'worker stopped'),
    ...(devServer ? [devServer.exited.then((code) => `Temporal dev server exited (${code})`)] : []),
  ]);
  log(`Stopping (${why})…`);
  await api.stop();
  await worker.stop().catch((err) => logger.warn({ err }, 'worker stopped with an error'));
  await db.destroy();
  await devServer?.stop();
  log('Stopped.');
}
