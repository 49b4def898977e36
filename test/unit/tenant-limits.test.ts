// src/domain/tenant-limits.ts: a tenant's ingest bucket and destination count.
import { TenantIngestBuckets, burstFor, destinationAllowed } from '../../src/domain/tenant-limits';

test('a tenant may send one second\'s worth back to back, then one per 1/rate seconds; others are apart', () => {
  let now = 0;
  const buckets = new TenantIngestBuckets(() => now);
  for (let i = 0; i < 2; i++) expect(buckets.take('a', 2)).toEqual({});
  expect(buckets.take('a', 2)).toEqual({ waitMs: 500 });
  expect(buckets.take('b', 2)).toEqual({});
  now = 500;
  expect(buckets.take('a', 2)).toEqual({});
  expect(buckets.take('a', 2).waitMs).toBe(500);
});

test('no limit allows everything; a changed limit starts the bucket afresh', () => {
  const now = 0;
  const buckets = new TenantIngestBuckets(() => now);
  for (let i = 0; i < 100; i++) expect(buckets.take('a', null)).toEqual({});
  expect(buckets.take('a', 0.5)).toEqual({});
  expect(buckets.take('a', 0.5)).toEqual({ waitMs: 2000 });
  expect(buckets.take('a', 3)).toEqual({});
  expect(burstFor(0.5)).toBe(1);
  expect(burstFor(10.7)).toBe(10);
});

test('destinations: below the maximum only; null is no limit', () => {
  expect(destinationAllowed(1, 2)).toBe(true);
  expect(destinationAllowed(2, 2)).toBe(false);
  expect(destinationAllowed(0, 0)).toBe(false);
  expect(destinationAllowed(10_000, null)).toBe(true);
});
