// `npm run cluster`: Herald's scale-out topology on this machine (src/cluster/topology.ts), its
// addresses printed, until Ctrl-C stops all of it. Data lives in HERALD_CLUSTER_DIR (default a new
// temporary directory), so each run starts empty unless you name one.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTopology } from './topology';

async function main(): Promise<void> {
  const dir = process.env.HERALD_CLUSTER_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'herald-cluster-'));
  const log = (m: string) => process.stderr.write(`[cluster] ${m}\n`);
  const count = (name: string, fallback: number) => {
    const n = Number(process.env[name] ?? fallback);
    if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`${name} must be a whole number from 1 to 8`);
    return n;
  };
  const heraldEnv = Object.fromEntries(
    ['HERALD_API_KEYS', 'HERALD_ALLOW_PRIVATE_TARGETS', 'HERALD_ALLOW_INSECURE_TARGETS'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])),
  );
  const topology = await startTopology({ cli: path.join(__dirname, '..', 'cli.js'), dir, apis: count('HERALD_CLUSTER_APIS', 2), workers: count('HERALD_CLUSTER_WORKERS', 2), heraldEnv, log });
  const lines = [
    'Herald cluster is up:',
    ...topology.apis.map((a) => `  ${a.name}: ${a.url}   (console ${a.url}/console, API key in HERALD_API_KEYS: ${process.env.HERALD_API_KEYS ? 'yours' : topology.apiKey})`),
    ...topology.workers.map((w) => `  ${w.name}: metrics ${w.metricsUrl}`),
    `  Temporal frontend: ${topology.temporal.address} (temporal workflow list --address ${topology.temporal.address})`,
    `  PostgreSQL: ${topology.postgres.url('herald')} (Temporal's databases: temporal, temporal_visibility)`,
    `  data and logs: ${dir}`,
    'Ctrl-C stops all of it.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  log('stopping…');
  await topology.stop();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
