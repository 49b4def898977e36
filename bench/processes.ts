// The processes under measurement, each its own OS process as in a deployment: the Temporal dev
// server, Herald's api and worker (the compiled CLI), and the baseline's bare worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type Child = { process: ChildProcess; name: string; stop(): Promise<void>; rssMb(): number };

/** Resident memory of a live process, from /proc (Linux). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

function child(name: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const proc = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(proc, 'exit');
  return {
    process: proc,
    name,
    rssMb: () => rssMb(proc.pid!),
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves when the child prints a line matching `ready`, or rejects if it exits first. */
async function readyLine(c: Child, ready: RegExp): Promise<void> {
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    c.process.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (ready.test(seen)) resolve();
      if (seen.length > 100_000) seen = seen.slice(-10_000);
    });
    c.process.once('exit', (code) => reject(new Error(`${c.name} exited with ${code} before it was ready:\n${seen.slice(-2000)}`)));
  });
  c.process.stdout!.resume();
}

export async function startHeraldProcess(kind: 'api' | 'worker', cli: string, env: NodeJS.ProcessEnv, name = `herald ${kind}`): Promise<Child> {
  const c = child(name, [cli, kind], { LOG_LEVEL: 'info', ...env });
  await readyLine(c, kind === 'api' ? /API listening/ : /worker running/);
  return c;
}

export async function startBaselineWorker(buildDir: string, address: string, taskQueue: string, name = 'baseline worker'): Promise<Child> {
  const c = child(name, [path.join(buildDir, 'bench', 'baseline', 'worker.js'), address, taskQueue], {});
  await readyLine(c, /ready/);
  return c;
}
