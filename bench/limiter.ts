// The limiter step: what one rate-limit reservation costs on the store (README "Rate limits": the
// shared limiter is a row per destination, reserved under its lock), beside what every attempt
// already pays for the circuit breaker (one read of its row), on the same SQLite file in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CircuitStore } from '../src/store/circuits';
import { migrateToLatest, openSqlite } from '../src/store/db';
import { RateLimitStore } from '../src/store/rate-limits';
import { atConcurrency } from './load';
import { summarize, type Summary } from './stats';

export type Limiter = { reservations: Summary; baseline_circuit_reads: Summary; concurrency: number };

export async function limiterCost(count: number, concurrency: number): Promise<Limiter> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-bench-limiter-'));
  const db = openSqlite(dir);
  try {
    await migrateToLatest(db);
    const limits = new RateLimitStore(db);
    const circuits = new CircuitStore(db);
    // A limit far above the load: every reservation is granted at once, so this is its cost alone.
    const limit = { events: 1_000_000, per: 'second', burst: 1_000_000 } as const;
    const timed = async (work: () => Promise<unknown>) => {
      const latencies: number[] = [];
      const started = performance.now();
      await atConcurrency(count, concurrency, async () => {
        const t = performance.now();
        await work();
        latencies.push(performance.now() - t);
      });
      return summarize(latencies, performance.now() - started);
    };
    const baseline = await timed(() => circuits.get('dst_bench'));
    const reservations = await timed(() => limits.reserve('dst_bench', limit, Date.now(), 5000));
    return { reservations, baseline_circuit_reads: baseline, concurrency };
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
