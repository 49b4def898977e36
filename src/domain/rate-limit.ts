// A destination's rate limit (README "Rate limits"), shared by every worker through the store: the
// generic cell rate algorithm. Each attempt reserves the next free slot; `burst` attempts may go back
// to back, after that one every 1/rate seconds. Over any span of T seconds a destination is sent at most
// `burst + T × rate` attempts. Pure: the store applies a reservation under the row's lock.
import { z } from 'zod';

export const rateLimitSchema = z.strictObject({
  events: z.number().min(0.001).max(100_000).describe('Attempts allowed per `per`'),
  per: z.enum(['second', 'minute']),
  burst: z.number().int().min(1).max(10_000).default(1).describe('Attempts that may go back to back before the rate applies'),
});
export type RateLimit = z.infer<typeof rateLimitSchema>;

/**
 * Limits the receivers document. Slack: "posting messages: 1 per second, short bursts >1 allowed"
 * (https://api.slack.com/docs/rate-limits). PagerDuty Events API v2: 120 events a minute per
 * integration key (PagerDuty's answer in its community, "Which rate limit of REST API is correct").
 * Discord: its limits are per route and announced in X-RateLimit-* headers, not published as numbers
 * (developer docs, "Rate Limits"); 30 a minute with bursts of 5 is Herald's conservative choice, and a
 * 429's retry_after is honoured. Email: 60 a minute with bursts of 10, Herald's choice, so a storm does not
 * look like spam to the mail server (grouping is the better answer to one). Teams: one a second with
 * bursts of 4, Herald's choice (Microsoft publishes no number for Workflows webhooks; each post starts
 * a flow run). Webhooks and incident.io: none unless set.
 */
export const DEFAULT_RATE_LIMITS = {
  webhook: null,
  incident_io: null,
  slack: { events: 1, per: 'second', burst: 3 },
  pagerduty: { events: 120, per: 'minute', burst: 10 },
  discord: { events: 30, per: 'minute', burst: 5 },
  email: { events: 60, per: 'minute', burst: 10 },
  teams: { events: 1, per: 'second', burst: 4 },
} as const satisfies Record<string, RateLimit | null>;

export const intervalMs = (limit: RateLimit) => (limit.per === 'second' ? 1000 : 60_000) / limit.events;

/**
 * Reserves the next slot after `tat` (the theoretical arrival time, ms; 0 when none yet) at `now`.
 * Returns how long the attempt must wait for its slot and the new `tat`; when that wait is longer than
 * `maxWaitMs` nothing is reserved and `retryAt` says when to ask again.
 */
export function reserve(tat: number, limit: RateLimit, now: number, maxWaitMs: number): { waitMs: number; tat: number } | { retryAt: number } {
  const interval = intervalMs(limit);
  const start = Math.max(tat, now);
  const waitMs = Math.max(0, start - (limit.burst - 1) * interval - now);
  if (waitMs > maxWaitMs) return { retryAt: now + waitMs - maxWaitMs + Math.min(interval, maxWaitMs / 2) };
  return { waitMs, tat: start + interval };
}
