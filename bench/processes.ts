// The processes under measurement, each its own OS process as in a deployment: Herald's api and
// worker (the compiled CLI) and the baseline's bare worker, started and stopped as the cluster
// topology starts its own (src/cluster/herald-process.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { startHeraldProcess as startHerald, startNodeProcess, stopProcess, type NodeProcess } from '../src/cluster/herald-process';

export type Child = { process: ChildProcess; name: string; stop(): Promise<void>; rssMb(): number };

/** Resident memory of a live process, from /proc (Linux). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

const measured = (p: NodeProcess): Child => ({ process: p.child, name: p.name, rssMb: () => rssMb(p.child.pid!), stop: () => stopProcess(p) });

export async function startHeraldProcess(kind: 'api' | 'worker', cli: string, env: NodeJS.ProcessEnv, name = `herald ${kind}`): Promise<Child> {
  return measured(await startHerald({ cli, command: kind, name, env: { LOG_LEVEL: 'info', ...env } }));
}

export async function startBaselineWorker(buildDir: string, address: string, taskQueue: string, name = 'baseline worker'): Promise<Child> {
  return measured(await startNodeProcess({ name, args: [path.join(buildDir, 'bench', 'baseline', 'worker.js'), address, taskQueue], env: {}, ready: /ready/ }));
}
