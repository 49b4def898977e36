// The shared rate limit's reservations (src/domain/rate-limit.ts): a burst goes at once, then one slot
// per interval; a slot further off than the attempt may wait is not reserved.
import { DEFAULT_RATE_LIMITS, intervalMs, reserve, type RateLimit } from '../../src/domain/rate-limit';

const fivePerSecond: RateLimit = { events: 5, per: 'second', burst: 2 };

/** Reserves `n` slots at `now`, as n attempts arriving together would. */
function reserveMany(n: number, limit: RateLimit, now: number, maxWaitMs: number) {
  let tat = 0;
  const waits: (number | string)[] = [];
  for (let i = 0; i < n; i++) {
    const r = reserve(tat, limit, now, maxWaitMs);
    if ('retryAt' in r) waits.push(`retry at ${r.retryAt - now}`);
    else {
      waits.push(r.waitMs);
      tat = r.tat;
    }
  }
  return waits;
}

test('a burst goes at once, then one slot per interval; a slot too far off is not reserved', () => {
  expect(intervalMs(fivePerSecond)).toBe(200);
  expect(reserveMany(6, fivePerSecond, 1_000_000, 1000)).toEqual([0, 0, 200, 400, 600, 800]);
  // Past the wait allowed: asked to come back when the slot is within reach, nothing reserved.
  expect(reserveMany(8, fivePerSecond, 1_000_000, 500)).toEqual([0, 0, 200, 400, 'retry at 300', 'retry at 300', 'retry at 300', 'retry at 300']);
});

test('any span of T seconds gets at most burst + T × rate slots', () => {
  const limit: RateLimit = { events: 10, per: 'second', burst: 3 };
  let tat = 0;
  const sent: number[] = [];
  // 200 attempts, arriving every 20 ms (5× the rate), each waiting for its slot.
  for (let i = 0, now = 0; i < 200; i++, now += 20) {
    const r = reserve(tat, limit, now, 60_000);
    if ('retryAt' in r) throw new Error('no slot');
    sent.push(now + r.waitMs);
    tat = r.tat;
  }
  for (const start of sent) expect(sent.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(3 + 10);
  expect(sent.at(-1)! - sent[0]!).toBeGreaterThanOrEqual((200 - 3) * 100 - 1);
});

test("the defaults are the receivers' documented limits", () => {
  expect(DEFAULT_RATE_LIMITS.slack).toEqual({ events: 1, per: 'second', burst: 3 });
  expect(DEFAULT_RATE_LIMITS.pagerduty).toEqual({ events: 120, per: 'minute', burst: 10 });
  expect(DEFAULT_RATE_LIMITS.webhook).toBeNull();
});
