// Per-tenant limits (README "Serving your customers"): a tenant's ingest rate, kept per process.
// Each tenant has a token bucket refilled at its `ingest_per_second`, holding up to one second's worth
// (at least one token); a change of the limit starts the tenant's bucket afresh at the new rate.

export interface IngestDecision {
  /** undefined: allowed; else the milliseconds until a token is free. */
  waitMs?: number;
}

export class TenantIngestBuckets {
  private readonly buckets = new Map<string, { rate: number; tokens: number; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes a token of `tenant` under `ratePerSecond` (null: no limit, always allowed). */
  take(tenant: string, ratePerSecond: number | null): IngestDecision {
    if (ratePerSecond === null) {
      this.buckets.delete(tenant);
      return {};
    }
    const now = this.now();
    const burst = burstFor(ratePerSecond);
    let bucket = this.buckets.get(tenant);
    if (!bucket || bucket.rate !== ratePerSecond) bucket = { rate: ratePerSecond, tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * ratePerSecond);
    bucket.at = now;
    this.buckets.set(tenant, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return {};
    }
    return { waitMs: Math.ceil(((1 - bucket.tokens) / ratePerSecond) * 1000) };
  }
}

/** One second's worth of requests, and at least one, may come back to back. */
export const burstFor = (ratePerSecond: number) => Math.max(1, Math.floor(ratePerSecond));

/** Whether one more destination stays within `max` (null: no limit). */
export const destinationAllowed = (existing: number, max: number | null) => max === null || existing < max;
