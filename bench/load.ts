// Load shapes: open-loop at a fixed rate (requests leave on schedule whatever the answers do), and
// closed-loop at a fixed concurrency (the saturation point).

export type LoadResult = { latencies: number[]; elapsedMs: number; errors: string[] };

/** Sends `count` calls at `perSecond`: each successful call's latency in ms, the failures, the elapsed time. */
export async function atRate(count: number, perSecond: number, call: (i: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  const errors: string[] = [];
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const sent = performance.now();
    inFlight.push(call(i).then(() => void latencies.push(performance.now() - sent), (err: Error) => void errors.push(err.message)));
  }
  await Promise.all(inFlight);
  return { latencies, elapsedMs: performance.now() - started, errors };
}

/** Sends `count` calls with `concurrency` in flight. */
export async function atConcurrency(count: number, concurrency: number, call: (i: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  const errors: string[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const sent = performance.now();
        try {
          await call(i);
          latencies.push(performance.now() - sent);
        } catch (err) {
          errors.push((err as Error).message);
        }
      }
    }),
  );
  return { latencies, elapsedMs: performance.now() - started, errors };
}
