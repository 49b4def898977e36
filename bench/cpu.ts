// CPU time per process, from /proc (Linux): which process a figure is bounded by. A process's own
// time and, for PostgreSQL, its connections' (children of the postmaster) summed.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function stat(pid: number): { ppid: number; ticks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state ppid … utime (14th field overall) stime (15th).
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far by `pid` (and, with `children`, by its live child processes). */
export function cpuSeconds(pid: number | undefined, children = false): number {
  if (pid === undefined) return 0;
  let ticks = stat(pid)?.ticks ?? 0;
  if (children) {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const s = stat(Number(entry));
      if (s && s.ppid === pid) ticks += s.ticks;
    }
  }
  return ticks / TICKS_PER_SECOND;
}

export type CpuProbe = { name: string; seconds(): number };

/** CPU seconds each probe used while `work` ran, and the wall-clock seconds it took, rounded to 0.1 s. */
export async function cpuDuring<T>(probes: CpuProbe[], work: () => Promise<T>): Promise<{ result: T; cpu: Record<string, number>; wallSeconds: number }> {
  const round = (n: number) => Math.round(n * 10) / 10;
  const before = probes.map((p) => p.seconds());
  const started = performance.now();
  const result = await work();
  const cpu = Object.fromEntries(probes.map((p, i) => [p.name, round(p.seconds() - before[i]!)]));
  return { result, cpu, wallSeconds: round((performance.now() - started) / 1000) };
}
