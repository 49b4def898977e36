// The overview's buckets: every bucket present, attempts counted where they fall, latency per bucket.
import { bucketAttempts, quantileOf } from '../../src/domain/overview';

const now = Date.parse('2026-12-03T10:30:30Z');
const at = (iso: string) => Date.parse(iso);

it('cuts the last hour into 60 one-minute buckets ending with the one holding now', () => {
  const points = bucketAttempts([], now, 'hour');
  expect(points).toHaveLength(60);
  expect(points[0]!.t).toBe('2026-12-03T09:31:00.000Z');
  expect(points.at(-1)!.t).toBe('2026-12-03T10:30:00.000Z');
  expect(points.every((p) => p.delivered + p.retried + p.failed === 0 && p.p50_ms === undefined)).toBe(true);
  expect(bucketAttempts([], now, 'day')).toHaveLength(96);
});

it('counts delivered, retried and failed-for-good attempts in their bucket, with p50 and p99 of all of them', () => {
  const points = bucketAttempts(
    [
      { at: at('2026-12-03T10:30:05Z'), ok: true, gaveUp: false, durationMs: 10 },
      { at: at('2026-12-03T10:30:06Z'), ok: true, gaveUp: false, durationMs: 30 },
      { at: at('2026-12-03T10:30:07Z'), ok: false, gaveUp: false, durationMs: 20 },
      { at: at('2026-12-03T10:29:59Z'), ok: false, gaveUp: true, durationMs: 500 },
      { at: at('2026-12-03T09:00:00Z'), ok: true, gaveUp: false, durationMs: 1 }, // before the window
    ],
    now,
    'hour',
  );
  expect(points.at(-1)).toEqual({ t: '2026-12-03T10:30:00.000Z', delivered: 2, retried: 1, failed: 0, p50_ms: 20, p99_ms: 30 });
  expect(points.at(-2)).toMatchObject({ delivered: 0, retried: 0, failed: 1, p50_ms: 500, p99_ms: 500 });
  expect(points.reduce((n, p) => n + p.delivered, 0)).toBe(2);
});

it('takes the nearest-rank quantile', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  expect([quantileOf(values, 0.5), quantileOf(values, 0.99), quantileOf([7], 0.99)]).toEqual([50, 99, 7]);
});
