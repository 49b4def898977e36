// Retry arithmetic (docs/architecture.md, "The workflow's state and its invariants"). Pure and free
// of Node imports: the delivery activity and the workflow's lanes compute the waits of their durable
// timers with it.
import { parseHttpDate } from './http-date';

/** Seconds to wait before each attempt: immediately, then 1 min, 5 min, 15 min, 1 h. */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [0, 60, 300, 900, 3600];

/** Each wait is stretched by at most this fraction, so retries of many alerts do not arrive in step. */
export const MAX_JITTER = 0.1;

const ONE_HOUR_S = 3600;

/**
 * Milliseconds to wait before attempt `attemptIndex` (0-based), or undefined when the schedule is
 * exhausted. `random` is in [0, 1) (the workflow's deterministic Math.random). A receiver's
 * Retry-After may lengthen the wait but never beyond twice the scheduled wait nor one hour past it,
 * whichever is shorter, and never shortens it.
 */
export function waitBeforeAttempt(
  schedule: readonly number[],
  attemptIndex: number,
  random: number,
  retryAfterS?: number,
): number | undefined {
  if (attemptIndex < 0 || attemptIndex >= schedule.length) return undefined;
  const scheduled = schedule[attemptIndex]!;
  let seconds = scheduled;
  if (retryAfterS !== undefined && attemptIndex > 0) {
    const ceiling = Math.min(2 * scheduled, scheduled + ONE_HOUR_S);
    seconds = Math.min(Math.max(retryAfterS, scheduled), ceiling);
  }
  return Math.round(seconds * 1000 * (1 + MAX_JITTER * random));
}

/**
 * Parses a Retry-After header into seconds from `now`: delta-seconds, or an HTTP date in any of the
 * three forms RFC 9110 has recipients accept (IMF-fixdate, RFC 850, asctime).
 */
export function parseRetryAfter(value: string | undefined | null, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = parseHttpDate(trimmed, now);
  if (date === undefined) return undefined;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

/** A readable duration for logs and timer summaries: "45s", "5m", "1h", "1h30m". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return m > 0 ? `${h}h${m}m` : `${h}h`;
  return rest > 0 && m < 10 ? `${m}m${rest}s` : `${m}m`;
}
