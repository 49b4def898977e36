// Instants sent to Herald: an ISO 8601 date-time with an offset, or an epoch time in seconds or
// milliseconds (Anomify sends `1599563860`). Pure and free of Node imports, so workflow code may use it.
import { z } from 'zod';

/** Below this an epoch number counts as seconds (1e11 s is the year 5138), from it as milliseconds. */
const SECONDS_BELOW = 1e11;
/** 9999-12-31T23:59:59.999Z: past it toISOString() leaves the four-digit form every reader expects. */
export const MAX_INSTANT_MS = 253_402_300_799_999;

const ACCEPTED =
  'must be an ISO 8601 date-time with an offset (e.g. 2020-09-08T11:17:40Z) or a non-negative epoch time in seconds or milliseconds (e.g. 1599563860 or 1599563860000)';

const isoDateTime = z.iso.datetime({ offset: true });
// Decimal digits only: "0x10", "1e9" and " 5" are not epoch times a sender means. The sign is let
// through so that "-5" is refused as negative rather than as unreadable.
const EPOCH_STRING = /^-?\d+(\.\d+)?$/;

/** The instant, or why not (no reason: the value is not even of an accepted form). */
type Reading = { iso: string } | { problem?: string };

function read(value: unknown): Reading {
  let ms: number;
  if (typeof value === 'number' || (typeof value === 'string' && EPOCH_STRING.test(value))) {
    const n = Number(value);
    if (!Number.isFinite(n)) return { problem: 'a non-finite number' };
    if (n < 0) return { problem: 'a negative number' };
    ms = Math.round(n < SECONDS_BELOW ? n * 1000 : n);
  } else if (typeof value === 'string' && isoDateTime.safeParse(value).success) {
    ms = Date.parse(value);
    if (Number.isNaN(ms)) return { problem: 'a date-time that does not exist' };
    if (ms < 0) return { problem: 'a date before 1970' };
  } else {
    return {};
  }
  if (ms > MAX_INSTANT_MS) return { problem: 'a date after the year 9999' };
  return { iso: new Date(ms).toISOString() };
}

/** The instant as `toISOString()` writes it (UTC, milliseconds), or undefined when it is not one. */
export function toIsoInstant(value: unknown): string | undefined {
  const reading = read(value);
  return 'iso' in reading ? reading.iso : undefined;
}

/** Accepts what {@link toIsoInstant} reads and outputs its ISO 8601 string; the error names what is accepted. */
export const instantSchema = z
  .union([z.string(), z.number()], { error: ACCEPTED })
  .transform((value, ctx) => {
    const reading = read(value);
    if ('iso' in reading) return reading.iso;
    ctx.addIssue({ code: 'custom', message: reading.problem === undefined ? ACCEPTED : `${ACCEPTED} (got ${reading.problem})` });
    return z.NEVER;
  })
  // What /openapi.json says it accepts: the check is code, not its union of string and number.
  .meta({
    description: 'an ISO 8601 date-time with an offset from 1970 on, or epoch seconds or milliseconds (a number, or a string of digits)',
    anyOf: [
      { type: 'string', format: 'date-time', pattern: '^(19[7-9][0-9]|[2-9][0-9]{3})-' },
      { type: 'string', pattern: '^[0-9]{1,14}(\\.[0-9]+)?$' },
      { type: 'number', minimum: 0, maximum: MAX_INSTANT_MS },
    ],
  });
