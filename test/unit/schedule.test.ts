// Retry arithmetic (docs/architecture.md, "The workflow's state and its invariants"): the default
// schedule, +10% jitter at most, and a Retry-After that lengthens a wait within bounds but never
// shortens it.
import { DEFAULT_RETRY_SCHEDULE, formatDuration, MAX_JITTER, parseRetryAfter, waitBeforeAttempt } from '../../src/domain/schedule';

const schedule = DEFAULT_RETRY_SCHEDULE;
const randoms = [0, 0.001, 0.25, 0.5, 0.75, 0.999, 0.999999];

describe('waitBeforeAttempt', () => {
  test('the default schedule is immediate, 1 min, 5 min, 15 min, 1 h', () => {
    expect(schedule).toEqual([0, 60, 300, 900, 3600]);
    expect(schedule.map((_, i) => waitBeforeAttempt(schedule, i, 0))).toEqual([0, 60_000, 300_000, 900_000, 3_600_000]);
  });

  test('an exhausted schedule returns undefined: no sixth attempt', () => {
    expect(waitBeforeAttempt(schedule, 5, 0)).toBeUndefined();
    expect(waitBeforeAttempt(schedule, 6, 0.5, 30)).toBeUndefined();
    expect(waitBeforeAttempt(schedule, -1, 0)).toBeUndefined();
    expect(waitBeforeAttempt([], 0, 0)).toBeUndefined();
    expect(waitBeforeAttempt([0, 10], 2, 0)).toBeUndefined();
    expect(waitBeforeAttempt([0, 10], 1, 0)).toBe(10_000);
  });

  test('the first attempt is immediate whatever the jitter or Retry-After', () => {
    for (const r of randoms) expect(waitBeforeAttempt(schedule, 0, r)).toBe(0);
    expect(waitBeforeAttempt(schedule, 0, 0.9, 120)).toBe(0);
  });

  test('jitter only lengthens a wait, by at most 10%', () => {
    expect(MAX_JITTER).toBe(0.1);
    for (let i = 1; i < schedule.length; i++) {
      const base = schedule[i]! * 1000;
      for (const r of randoms) {
        const wait = waitBeforeAttempt(schedule, i, r)!;
        expect(wait).toBeGreaterThanOrEqual(base);
        expect(wait).toBeLessThanOrEqual(base * 1.1);
      }
    }
    expect(waitBeforeAttempt(schedule, 1, 0)).toBe(60_000);
    expect(waitBeforeAttempt(schedule, 1, 0.5)).toBe(63_000);
    expect(waitBeforeAttempt(schedule, 4, 0.25)).toBe(3_690_000);
  });

  test('different random draws spread the waits of many alerts', () => {
    const waits = new Set(randoms.map((r) => waitBeforeAttempt(schedule, 2, r)));
    expect(waits.size).toBeGreaterThan(4);
  });

  test('fractional schedules are honoured to the millisecond', () => {
    expect(waitBeforeAttempt([0, 0.25, 1.5], 1, 0)).toBe(250);
    expect(waitBeforeAttempt([0, 0.25, 1.5], 2, 0)).toBe(1500);
  });

  test('a shorter Retry-After never shortens the scheduled wait', () => {
    expect(waitBeforeAttempt(schedule, 1, 0, 0)).toBe(60_000);
    expect(waitBeforeAttempt(schedule, 1, 0, 10)).toBe(60_000);
    expect(waitBeforeAttempt(schedule, 3, 0, 899)).toBe(900_000);
  });

  test('a longer Retry-After lengthens the wait up to its bound', () => {
    expect(waitBeforeAttempt(schedule, 1, 0, 60)).toBe(60_000);
    expect(waitBeforeAttempt(schedule, 1, 0, 90)).toBe(90_000);
    expect(waitBeforeAttempt(schedule, 2, 0, 450)).toBe(450_000);
  });

  test('Retry-After is capped at twice the scheduled wait when that is the smaller bound', () => {
    expect(waitBeforeAttempt(schedule, 1, 0, 121)).toBe(120_000);
    expect(waitBeforeAttempt(schedule, 1, 0, 86_400)).toBe(120_000);
    expect(waitBeforeAttempt(schedule, 3, 0, 10_000)).toBe(1_800_000);
  });

  test('Retry-After is capped at one hour past the scheduled wait when that is the smaller bound', () => {
    expect(waitBeforeAttempt(schedule, 4, 0, 100_000)).toBe(7_200_000); // 1 h: 2x and +1 h agree
    expect(waitBeforeAttempt([0, 7200], 1, 0, 100_000)).toBe(3 * 3600 * 1000); // 2 h: +1 h (3 h) < 2x (4 h)
    expect(waitBeforeAttempt([0, 7200], 1, 0, 9000)).toBe(9_000_000); // under both bounds
  });

  test('jitter on top of a Retry-After still waits at least as long as the receiver asked', () => {
    for (const r of randoms) expect(waitBeforeAttempt(schedule, 1, r, 90)!).toBeGreaterThanOrEqual(90_000);
    expect(waitBeforeAttempt(schedule, 1, 0.5, 90)).toBe(94_500);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-01-01T00:00:00Z');

  test('delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 7 ', now)).toBe(7);
    expect(parseRetryAfter('3600', now)).toBe(3600);
  });

  test('an HTTP date, counted from now and rounded up', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:02:00 GMT', now)).toBe(120);
    expect(parseRetryAfter('Thu, 01 Jan 2026 01:00:00 GMT', now)).toBe(3600);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:02:00 GMT', new Date('2026-01-01T00:00:00.500Z'))).toBe(120);
    expect(parseRetryAfter('Fri, 02 Jan 2026 00:00:00 GMT', now)).toBe(86_400);
  });

  test('the three HTTP date forms of RFC 9110 name the same instant', () => {
    // RFC 9110's own example, in each form.
    const then = new Date('1994-11-06T08:00:00Z');
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', then)).toBe(2977);
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', then)).toBe(2977);
    expect(parseRetryAfter('Sun Nov  6 08:49:37 1994', then)).toBe(2977);
  });

  test('RFC 850 and asctime dates, counted from now', () => {
    expect(parseRetryAfter('Thursday, 01-Jan-26 00:02:00 GMT', now)).toBe(120);
    expect(parseRetryAfter('Thu Jan  1 00:02:00 2026', now)).toBe(120);
    expect(parseRetryAfter('Thu Jan 01 00:02:00 2026', now)).toBe(120);
    expect(parseRetryAfter('Thu Jan 1 00:02:00 2026', now)).toBe(120);
    expect(parseRetryAfter('Sat Jan 10 00:00:00 2026', now)).toBe(9 * 86_400);
    expect(parseRetryAfter('Friday, 02-Jan-26 00:00:00 GMT', now)).toBe(86_400);
  });

  test('day and month names in any case; a leap day and a leap second exist', () => {
    expect(parseRetryAfter('THU, 01 JAN 2026 00:02:00 GMT', now)).toBe(120);
    expect(parseRetryAfter('thursday, 01-jan-26 00:02:00 GMT', now)).toBe(120);
    expect(parseRetryAfter('Tue, 29 Feb 2028 00:00:00 GMT', now)).toBe(Date.UTC(2028, 1, 29) / 1000 - now.getTime() / 1000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:60 GMT', now)).toBe(120);
  });

  test('an RFC 850 year more than 50 years ahead is the latest past year with those digits', () => {
    const at = (s: string) => now.getTime() / 1000 + parseRetryAfter(s, now)!;
    expect(at('Thursday, 01-Jan-76 00:00:00 GMT')).toBe(Date.UTC(2076, 0, 1) / 1000); // exactly 50 years ahead: 2076
    expect(parseRetryAfter('Thursday, 01-Jan-76 00:00:01 GMT', now)).toBe(0); // a second more: 1976, in the past
    expect(parseRetryAfter('Monday, 01-Jan-77 00:00:00 GMT', now)).toBe(0); // 1977
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(0); // 1994
    expect(at('Friday, 31-Dec-49 00:00:00 GMT')).toBe(Date.UTC(2049, 11, 31) / 1000);
    // Near the end of a century the window reaches into the next one.
    const late = new Date('2090-06-01T00:00:00Z');
    expect(parseRetryAfter('Friday, 01-Jan-10 00:00:00 GMT', late)).toBe((Date.UTC(2110, 0, 1) - late.getTime()) / 1000);
    expect(parseRetryAfter('Friday, 01-Jan-41 00:00:00 GMT', late)).toBe(0); // 2141 is past the window: 2041
  });

  test('a date in the past means no extra wait', () => {
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:00 GMT', now)).toBe(0);
  });

  test.each([
    ['absent', undefined],
    ['null', null],
    ['empty', ''],
    ['blank', '   '],
    ['a word', 'soon'],
    ['negative', '-5'],
    ['fractional', '1.5'],
    ['with a unit', '120s'],
    ['hex', '0x10'],
    ['ISO 8601', '2026-01-01T00:02:00Z'],
    ['date without zone', 'Thu, 01 Jan 2026 00:02:00'],
    ['a negative year', '-2026'],
    ['a zone other than GMT', 'Thu, 01 Jan 2026 00:02:00 UTC'],
    ['a numeric offset', 'Thu, 01 Jan 2026 00:02:00 +0000'],
    ['no such day name', 'Thx, 01 Jan 2026 00:02:00 GMT'],
    ['no such month', 'Thu, 01 Jux 2026 00:02:00 GMT'],
    ['no 30 February', 'Mon, 30 Feb 2026 00:02:00 GMT'],
    ['no 29 February in a common year', 'Sun, 29 Feb 2026 00:00:00 GMT'],
    ['no hour 24', 'Thu, 01 Jan 2026 24:00:00 GMT'],
    ['no minute 60', 'Thu, 01 Jan 2026 00:60:00 GMT'],
    ['a one-digit day in an IMF-fixdate', 'Thu, 1 Jan 2026 00:02:00 GMT'],
    ['a short day name in an RFC 850 date', 'Thu, 01-Jan-26 00:02:00 GMT'],
    ['a four-digit year in an RFC 850 date', 'Thursday, 01-Jan-2026 00:02:00 GMT'],
    ['an RFC 850 date without zone', 'Thursday, 01-Jan-26 00:02:00'],
    ['an asctime date with a zone', 'Thu Jan  1 00:02:00 2026 GMT'],
    ['an asctime date with a comma', 'Thu, Jan  1 00:02:00 2026'],
    ['a long day name in an asctime date', 'Thursday Jan  1 00:02:00 2026'],
  ])('garbage is ignored: %s', (_label, value) => {
    expect(parseRetryAfter(value as string | null | undefined, now)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0s'],
    [400, '0s'],
    [1_000, '1s'],
    [45_000, '45s'],
    [59_000, '59s'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [300_000, '5m'],
    [330_000, '5m30s'],
    [599_000, '9m59s'],
    [600_000, '10m'],
    [659_000, '10m'], // past ten minutes the seconds are noise
    [900_000, '15m'],
    [3_600_000, '1h'],
    [3_630_000, '1h'],
    [5_400_000, '1h30m'],
    [7_260_000, '2h1m'],
    [86_400_000, '24h'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test('the jittered default waits read as whole durations', () => {
    expect(formatDuration(waitBeforeAttempt(schedule, 2, 0)!)).toBe('5m');
    expect(formatDuration(waitBeforeAttempt(schedule, 4, 0)!)).toBe('1h');
  });
});
