// Mute windows (src/domain/mute-windows.ts): Alertmanager's time_intervals fields, time zones and
// daylight saving, when a window ends, which window wins, and what a lane does with an event.
import { intervalMatches, muteVerdict, mutedAt, muteWindowsSchema, windowEnd, type MuteWindow, type TimeInterval } from '../../src/domain/mute-windows';

const at = (iso: string) => Date.parse(iso);
const window = (time_intervals: TimeInterval[], action: 'hold' | 'drop' = 'hold', name = 'w'): MuteWindow => ({ name, action, time_intervals });

// 2026-12-07 is a Monday.
test.each([
  [{ weekdays: ['monday:friday'] }, '2026-12-07T12:00:00Z', true],
  [{ weekdays: ['monday:friday'] }, '2026-12-12T12:00:00Z', false], // Saturday
  [{ weekdays: ['saturday', 'sunday'] }, '2026-12-13T00:00:00Z', true],
  [{ times: [{ start_time: '09:00', end_time: '17:00' }] }, '2026-12-07T09:00:00Z', true], // start inclusive
  [{ times: [{ start_time: '09:00', end_time: '17:00' }] }, '2026-12-07T17:00:00Z', false], // end exclusive
  [{ times: [{ start_time: '22:00', end_time: '24:00' }] }, '2026-12-07T23:59:59Z', true],
  [{ days_of_month: ['1:5'] }, '2026-12-05T23:00:00Z', true],
  [{ days_of_month: ['-1'] }, '2026-02-28T10:00:00Z', true], // the last day of a 28-day month
  [{ days_of_month: ['-1'] }, '2026-12-30T10:00:00Z', false],
  [{ days_of_month: ['25:-1'] }, '2026-12-31T10:00:00Z', true],
  [{ months: ['december'] }, '2026-12-01T00:00:00Z', true],
  [{ months: ['1:3'] }, '2026-12-01T00:00:00Z', false],
  [{ years: ['2026:2027'] }, '2027-06-01T00:00:00Z', true],
  [{ years: ['2027'] }, '2026-12-31T23:59:59Z', false],
  // Read in the location's time: 23:30 UTC on Monday is 00:30 on Tuesday in Berlin.
  [{ weekdays: ['tuesday'], location: 'Europe/Berlin' }, '2026-12-07T23:30:00Z', true],
  [{ weekdays: ['tuesday'] }, '2026-12-07T23:30:00Z', false],
  // Every field given must match.
  [{ weekdays: ['monday'], times: [{ start_time: '09:00', end_time: '10:00' }] }, '2026-12-07T11:00:00Z', false],
  [{}, '2026-12-07T11:00:00Z', true],
])('%j matches %s: %s', (interval, instant, expected) => {
  expect(intervalMatches(interval as TimeInterval, at(instant))).toBe(expected);
});

test('a window ends at the first instant none of its intervals matches', () => {
  const nights = window([{ times: [{ start_time: '22:00', end_time: '24:00' }] }, { times: [{ start_time: '00:00', end_time: '06:00' }] }]);
  // Two intervals meeting at midnight make one window that runs until 06:00.
  expect(new Date(windowEnd(nights, at('2026-12-07T23:00:00Z'))).toISOString()).toBe('2026-12-08T06:00:00.000Z');
  const weekend = window([{ weekdays: ['saturday:sunday'] }]);
  expect(new Date(windowEnd(weekend, at('2026-12-12T08:00:00Z'))).toISOString()).toBe('2026-12-14T00:00:00.000Z');
});

test('the end is found across a daylight saving change, in the location', () => {
  // Berlin leaves summer time on 2026-10-25: 03:00 CEST becomes 02:00 CET; 06:00 local is 05:00 UTC.
  const earlyMorning = window([{ times: [{ start_time: '00:00', end_time: '06:00' }], location: 'Europe/Berlin' }]);
  expect(new Date(windowEnd(earlyMorning, at('2026-10-25T00:30:00Z'))).toISOString()).toBe('2026-10-25T05:00:00.000Z');
  // The day before, 06:00 CEST is 04:00 UTC.
  expect(new Date(windowEnd(earlyMorning, at('2026-10-24T00:30:00Z'))).toISOString()).toBe('2026-10-24T04:00:00.000Z');
});

test('a window that never closes gives a far end to judge again at, not a loop', () => {
  const always = window([{}]);
  const end = windowEnd(always, at('2026-12-07T12:00:00Z'));
  expect(end).toBeGreaterThan(at('2030-01-01T00:00:00Z'));
});

test('a dropping window wins over a holding one; among holding ones the one that ends first', () => {
  const hold1 = window([{ times: [{ start_time: '10:00', end_time: '12:00' }] }], 'hold', 'until noon');
  const hold2 = window([{ times: [{ start_time: '10:00', end_time: '11:00' }] }], 'hold', 'until eleven');
  const drop = window([{ weekdays: ['monday'] }], 'drop', 'mondays');
  expect(mutedAt([hold1, hold2], at('2026-12-07T10:30:00Z'))).toEqual({ window: 'until eleven', action: 'hold', until: '2026-12-07T11:00:00.000Z' });
  expect(mutedAt([hold1, drop], at('2026-12-07T10:30:00Z'))).toMatchObject({ window: 'mondays', action: 'drop' });
  expect(mutedAt([hold1, hold2], at('2026-12-07T12:30:00Z'))).toBeUndefined();
});

test('what a lane does: hold waits, drop skips, a resolve of a sent trigger is never dropped, a dropped trigger drops the rest', () => {
  const held = { window: 'nights', action: 'hold' as const, until: '2026-12-08T06:00:00.000Z' };
  const dropping = { window: 'weekend', action: 'drop' as const, until: '2026-12-14T00:00:00.000Z' };
  expect(muteVerdict(undefined, { closing: false })).toEqual({ send: true });
  expect(muteVerdict(held, { closing: true })).toEqual({ send: false, hold: true, window: 'nights', until: held.until });
  expect(muteVerdict(dropping, { closing: false })).toEqual({ send: false, hold: false, window: 'weekend' });
  expect(muteVerdict(dropping, { closing: true })).toEqual({ send: true });
  expect(muteVerdict(undefined, { closing: true, triggerDroppedBy: 'weekend' })).toEqual({ send: false, hold: false, window: 'weekend' });
});

test('the schema names what is wrong', () => {
  const bad = muteWindowsSchema.safeParse([
    { name: 'a', time_intervals: [{ weekdays: ['funday'], times: [{ start_time: '18:00', end_time: '09:00' }], location: 'Mars/Olympus', days_of_month: ['-3:5'] }] },
  ]);
  expect(bad.success).toBe(false);
  const messages = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  expect(messages).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^0\.time_intervals\.0\.weekdays\.0: not a weekday/),
      expect.stringMatching(/^0\.time_intervals\.0\.times\.0\.end_time: end_time must come after start_time/),
      expect.stringMatching(/^0\.time_intervals\.0\.location: an IANA time zone/),
      expect.stringMatching(/^0\.time_intervals\.0\.days_of_month\.0: not a day of the month/),
    ]),
  );
  expect(muteWindowsSchema.safeParse([window([{}], 'hold', 'x'), window([{}], 'drop', 'x')]).success).toBe(false);
  expect(muteWindowsSchema.parse([{ name: 'n', time_intervals: [{ months: ['may:august'], years: ['2027'] }] }])[0]!.action).toBe('hold');
});
