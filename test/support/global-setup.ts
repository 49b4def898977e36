// Once per `npm test`: a real Temporal dev server for the integration tests, the time-skipping test
// server located (or fetched), Mailpit and Jaeger located (or built), and the workflow code bundled once for every test worker.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { findTemporalCli, NO_TEMPORAL_HELP } from '../../src/temporal/dev-server';
import { freeLoopbackPort } from '../../src/free-port';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../src/telemetry/workflow-modules';
import { startDevServerOnFreePorts } from './dev-server';
import { findMailpit } from './mailpit';
import { findJaeger } from './jaeger';
import { startPostgres } from './postgres';
import { findTestServer } from './test-server';

export default async function globalSetup(): Promise<void> {
  const log = (m: string) => process.stderr.write(`[setup] ${m}\n`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'herald-test-'));
  process.env.HERALD_TEST_SCRATCH = scratch;

  const testServer = findTestServer(log);
  if (testServer) process.env.TEMPORAL_TEST_SERVER_PATH = testServer;
  else log('No JDK/Maven test server found; the workflow tests will try the Temporal SDK download.');

  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    // The worker's own bundle has the same (src/worker.ts).
    workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES],
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  const bundlePath = path.join(scratch, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);
  process.env.HERALD_TEST_WORKFLOW_BUNDLE = bundlePath;

  // Mailpit (the email tests' SMTP server): found or built now, so no test waits on a Go build.
  const mailpit = findMailpit(log);
  if (mailpit) process.env.MAILPIT_PATH = mailpit;
  else log('No Mailpit and no Go to build it: the email tests will fail and say so.');

  // Jaeger (the trace tests' OTLP receiver): found or built now, likewise.
  const jaeger = findJaeger(log);
  if (jaeger) process.env.JAEGER_PATH = jaeger;
  else log('No Jaeger and no Go to build it: the trace tests will fail and say so.');

  const cliPath = findTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH, log });
  if (!cliPath) throw new Error(NO_TEMPORAL_HELP);
  process.env.TEMPORAL_CLI_PATH = cliPath;
  const devServer = await startDevServerOnFreePorts({ cliPath, dataDir: path.join(scratch, 'temporal'), namespace: 'default', log });
  process.env.HERALD_TEST_TEMPORAL_ADDRESS = devServer.address;
  (globalThis as Record<string, unknown>).__heraldDevServer = devServer;

  if (!process.env.HERALD_TEST_DATABASE_URL) {
    const postgres = startPostgres(scratch, await freeLoopbackPort());
    process.env.HERALD_TEST_DATABASE_URL = postgres.url;
    (globalThis as Record<string, unknown>).__heraldPostgres = postgres;
  }
}
