// The per-key token bucket behind the API's rate limit, on a clock the test moves.
import { TokenBuckets } from '../../src/domain/token-bucket';

test('a burst passes, the next request waits for a token, and tokens refill at the rate', () => {
  let now = 0;
  const buckets = new TokenBuckets(10, 3, () => now); // 10/s, bursts of 3
  expect([buckets.take('k'), buckets.take('k'), buckets.take('k')]).toEqual([undefined, undefined, undefined]);
  expect(buckets.take('k')).toBe(100); // one token comes every 100 ms
  now += 100;
  expect(buckets.take('k')).toBeUndefined();
  now += 10_000; // idle: the bucket fills to its burst, no more
  expect([buckets.take('k'), buckets.take('k'), buckets.take('k'), buckets.take('k')].filter((w) => w === undefined)).toHaveLength(3);
});

test('each key has a bucket of its own', () => {
  const buckets = new TokenBuckets(1, 1, () => 0);
  expect(buckets.take('alertmanager')).toBeUndefined();
  expect(buckets.take('alertmanager')).toBe(1000);
  expect(buckets.take('grafana')).toBeUndefined();
});
