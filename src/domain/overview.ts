// The console's overview (README "Operator console"): delivery attempts bucketed over a window, as
// the charts draw them. Pure: the store reads the window's attempts, this counts them.

/** A window the overview shows, and the width of its buckets. */
export const OVERVIEW_WINDOWS = {
  hour: { spanMs: 3600_000, bucketMs: 60_000 },
  day: { spanMs: 86_400_000, bucketMs: 15 * 60_000 },
} as const;
export type OverviewWindow = keyof typeof OVERVIEW_WINDOWS;

export type AttemptSample = { at: number; ok: boolean; gaveUp: boolean; durationMs: number };

/**
 * One bucket: attempts that delivered, failed and will be retried, failed for good (the event's
 * schedule ran out or the receiver refused it for good), and the latency of all of them.
 */
export type SeriesPoint = { t: string; delivered: number; retried: number; failed: number; p50_ms?: number; p99_ms?: number };

/** Nearest-rank quantile of sorted values. */
export function quantileOf(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Where the window's first bucket starts: the last bucket is the one holding `now`. */
export function windowStart(now: number, window: OverviewWindow): number {
  const { spanMs, bucketMs } = OVERVIEW_WINDOWS[window];
  return Math.floor(now / bucketMs) * bucketMs - spanMs + bucketMs;
}

/** The window ending at `now` cut into buckets; every bucket present, empty ones with zeros. */
export function bucketAttempts(samples: readonly AttemptSample[], now: number, window: OverviewWindow): SeriesPoint[] {
  const { spanMs, bucketMs } = OVERVIEW_WINDOWS[window];
  const count = spanMs / bucketMs;
  const firstStart = windowStart(now, window);
  const buckets = Array.from({ length: count }, () => ({ delivered: 0, retried: 0, failed: 0, durations: [] as number[] }));
  for (const s of samples) {
    const i = Math.floor((s.at - firstStart) / bucketMs);
    const bucket = buckets[i];
    if (!bucket) continue;
    if (s.ok) bucket.delivered++;
    else if (s.gaveUp) bucket.failed++;
    else bucket.retried++;
    bucket.durations.push(s.durationMs);
  }
  return buckets.map((b, i) => {
    const sorted = b.durations.sort((x, y) => x - y);
    return {
      t: new Date(firstStart + i * bucketMs).toISOString(),
      delivered: b.delivered,
      retried: b.retried,
      failed: b.failed,
      ...(sorted.length > 0 && { p50_ms: Math.round(quantileOf(sorted, 0.5)), p99_ms: Math.round(quantileOf(sorted, 0.99)) }),
    };
  });
}
