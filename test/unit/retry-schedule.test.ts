import { DEFAULT_RETRY_SCHEDULE, formatDuration, parseRetryAfter, waitBeforeAttempt } from '../../src/domain/schedule';

const s = DEFAULT_RETRY_SCHEDULE;

test('attempt 1 is immediate, then 1, 5, 15 and 60 minutes; nothing after the fifth', () => {
  expect([0, 1, 2, 3, 4].map((i) => waitBeforeAttempt(s, i, 0))).toEqual([0, 60_000, 300_000, 900_000, 3_600_000]);
  expect(waitBeforeAttempt(s, 5, 0)).toBeUndefined();
  expect(waitBeforeAttempt(s, -1, 0)).toBeUndefined();
});

test('jitter lengthens a wait by at most 10%', () => {
  expect(waitBeforeAttempt(s, 1, 0.999)).toBe(Math.round(60_000 * 1.0999));
  expect(waitBeforeAttempt(s, 1, 0.5)).toBe(63_000);
  expect(waitBeforeAttempt(s, 0, 0.999)).toBe(0);
});

test('Retry-After stretches a wait but never shortens it, and is capped at min(2x, +1h)', () => {
  expect(waitBeforeAttempt(s, 1, 0, 10)).toBe(60_000); // shorter than the schedule: ignored
  expect(waitBeforeAttempt(s, 1, 0, 90)).toBe(90_000);
  expect(waitBeforeAttempt(s, 1, 0, 10_000)).toBe(120_000); // 2x the scheduled minute
  expect(waitBeforeAttempt(s, 4, 0, 100_000)).toBe(7_200_000); // an hour past the scheduled hour
  expect(waitBeforeAttempt([0, 3600 * 3], 1, 0, 100_000)).toBe(4 * 3600 * 1000); // +1h is less than 2x here
  expect(waitBeforeAttempt(s, 0, 0, 30)).toBe(0); // the first attempt is not delayed
});

test('fractional schedules (tests, fast receivers) work in milliseconds', () => {
  expect(waitBeforeAttempt([0, 0.25], 1, 0)).toBe(250);
});

test('Retry-After as seconds or an HTTP date', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  expect(parseRetryAfter('120', now)).toBe(120);
  expect(parseRetryAfter(' 7 ', now)).toBe(7);
  expect(parseRetryAfter('Thu, 01 Jan 2026 00:02:00 GMT', now)).toBe(120);
  expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
  expect(parseRetryAfter('soon', now)).toBeUndefined();
  expect(parseRetryAfter(undefined, now)).toBeUndefined();
  expect(parseRetryAfter('-5', now)).toBeUndefined();
});

test('durations read well in timer summaries', () => {
  expect([45_000, 60_000, 300_000, 330_000, 900_000, 3_600_000, 5_400_000].map(formatDuration)).toEqual(['45s', '1m', '5m', '5m30s', '15m', '1h', '1h30m']);
});
