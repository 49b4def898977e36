// The cluster topology for a test file (src/cluster/topology.ts): PostgreSQL, the Temporal server's
// four services, two `herald api` and two `herald worker` processes of the compiled CLI. Requests
// go round-robin over the APIs, so every path crosses both.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTopology, type Topology } from '../../src/cluster/topology';
import { buildCli } from '../support/cli-process';
import { callApi, type ApiResponse } from '../support/herald';

export type TestCluster = {
  topology: Topology;
  /** The next API in turn answers. */
  call(method: string, urlPath: string, body?: unknown): Promise<ApiResponse>;
  /** One API in particular (0 or 1). */
  callOn(api: number, method: string, urlPath: string, body?: unknown): Promise<ApiResponse>;
  stop(): Promise<void>;
};

export async function startTestCluster(name: string, opts: { workers?: number } = {}): Promise<TestCluster> {
  const log = (m: string) => process.stderr.write(`[cluster ${name}] ${m}\n`);
  const cli = process.env.HERALD_CLUSTER_CLI ?? buildCli('cluster'); // test/cluster/global-setup.ts builds it once
  const dir = mkdtempSync(path.join(os.tmpdir(), `herald-${name}-`));
  const topology = await startTopology({
    cli,
    dir,
    workers: opts.workers ?? 2,
    heraldEnv: { HERALD_ALLOW_PRIVATE_TARGETS: 'true', HERALD_ALLOW_INSECURE_TARGETS: 'true' },
    log,
  });
  let turn = 0;
  const callOn = (api: number, method: string, urlPath: string, body?: unknown) => callApi(topology.apis[api]!.url, topology.apiKey, method, urlPath, body);
  return {
    topology,
    callOn,
    call: (method, urlPath, body) => callOn(turn++ % topology.apis.length, method, urlPath, body),
    stop: () => topology.stop(),
  };
}

/** A counter's total over its label sets in a Prometheus text exposition (0 when absent). */
export async function counterTotal(metricsUrl: string, name: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let total = 0;
  for (const match of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'gm'))) total += Number(match[1]);
  return total;
}
