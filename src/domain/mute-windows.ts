// Mute windows (README "Mute windows"): recurring times, in Alertmanager's `time_intervals` model,
// when a destination or a rule's routes send nothing. Inside a `hold` window an event waits for the
// window's end and goes out then; inside a `drop` window it is not sent. Pure: the delivery activity
// judges windows with it on the workflow's clock, and the lane waits for `until` on a durable timer.
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'] as const;

/** `start` and `end` inclusive, in the field's own numbers (weekday 1 = Monday, as ISO and luxon count). */
type Range = { start: number; end: number };

/** "name" or "name:name" (or numbers), each side turned into a number by `value`; undefined when it is not one. */
function parseRange(text: string, value: (part: string) => number | undefined): Range | undefined {
  const parts = text.trim().toLowerCase().split(':');
  if (parts.length > 2) return undefined;
  const start = value(parts[0]!);
  const end = value(parts[1] ?? parts[0]!);
  return start === undefined || end === undefined ? undefined : { start, end };
}

const integer = (min: number, max: number) => (part: string) => (/^-?\d+$/.test(part) && Number(part) >= min && Number(part) <= max ? Number(part) : undefined);
const named = (names: readonly string[], numbers?: (part: string) => number | undefined) => (part: string) => {
  const index = names.indexOf(part);
  return index >= 0 ? index + 1 : numbers?.(part);
};

const weekdayRange = (text: string) => parseRange(text, named(WEEKDAYS));
const monthRange = (text: string) => parseRange(text, named(MONTHS, integer(1, 12)));
const yearRange = (text: string) => parseRange(text, integer(1970, 9999));
const dayOfMonthRange = (text: string) => {
  const range = parseRange(text, (part) => (part === '0' || part === '-0' ? undefined : integer(-31, 31)(part)));
  // Alertmanager's rule: a range may run from a day counted from the start to one counted from the end, not the other way.
  if (range && range.start < 0 && range.end > 0) return undefined;
  return range;
};

const rangesOf = (what: string, parse: (text: string) => Range | undefined, example: string) =>
  z
    .array(z.string().min(1).max(40))
    .max(50)
    .superRefine((items, ctx) => {
      items.forEach((item, index) => {
        const range = parse(item);
        if (!range) ctx.addIssue({ code: 'custom', path: [index], message: `not a ${what} or range of them (e.g. ${example}): ${JSON.stringify(item)}` });
        else if (range.start > range.end && !(range.start > 0 && range.end < 0)) ctx.addIssue({ code: 'custom', path: [index], message: `the range ${JSON.stringify(item)} ends before it starts` });
      });
    });

/** "HH:MM", 00:00 to 24:00, as minutes since midnight. */
function minutesOf(text: string): number | undefined {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return Number(match[2]) < 60 && minutes <= 24 * 60 ? minutes : undefined;
}

const timeRangeSchema = z
  .strictObject({
    start_time: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'a time of day as HH:MM, 00:00 to 23:59'),
    end_time: z.string().regex(/^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/, 'a time of day as HH:MM, 00:01 to 24:00'),
  })
  .refine((r) => (minutesOf(r.start_time) ?? 0) < (minutesOf(r.end_time) ?? 0), { message: 'end_time must come after start_time', path: ['end_time'] });

/** One of Alertmanager's `time_intervals`: every field given must match; a field left out matches always. */
export const timeIntervalSchema = z.strictObject({
  times: z.array(timeRangeSchema).max(50).optional().describe('Times of day [start_time, end_time), HH:MM, in the location'),
  weekdays: rangesOf('weekday', weekdayRange, '"monday:friday", "saturday"').optional(),
  days_of_month: rangesOf('day of the month', dayOfMonthRange, '"1:5", "-1" for the last day').optional(),
  months: rangesOf('month', monthRange, '"january:march", "12"').optional(),
  years: rangesOf('year', yearRange, '"2027", "2027:2028"').optional(),
  location: z
    .string()
    .max(100)
    .refine((zone) => IANAZone.isValidZone(zone), 'an IANA time zone such as Europe/Berlin or UTC')
    .optional()
    .describe('The time zone the other fields are read in (IANA name); UTC when absent'),
});
export type TimeInterval = z.infer<typeof timeIntervalSchema>;

export const MUTE_ACTIONS = ['hold', 'drop'] as const;
export type MuteAction = (typeof MUTE_ACTIONS)[number];

export const muteWindowSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).describe('Named in the alert record of every event the window held or dropped'),
  action: z.enum(MUTE_ACTIONS).default('hold').describe('hold: events wait for the window to end and go out then; drop: they are not sent'),
  time_intervals: z.array(timeIntervalSchema).min(1).max(20).describe('The window is open while any of these matches'),
});
export type MuteWindow = z.infer<typeof muteWindowSchema>;

export const muteWindowsSchema = z
  .array(muteWindowSchema)
  .max(20)
  .refine((windows) => new Set(windows.map((w) => w.name)).size === windows.length, 'each mute window needs a name of its own');

/** True when the interval matches the instant `at` (epoch ms). */
export function intervalMatches(interval: TimeInterval, at: number): boolean {
  const local = DateTime.fromMillis(at, { zone: interval.location ?? 'UTC' });
  const within = (ranges: string[] | undefined, parse: (t: string) => Range | undefined, value: number) =>
    ranges === undefined || ranges.length === 0 || ranges.some((text) => {
      const range = parse(text)!;
      return value >= range.start && value <= range.end;
    });
  if (!within(interval.years, yearRange, local.year)) return false;
  if (!within(interval.months, monthRange, local.month)) return false;
  if (!within(interval.weekdays, weekdayRange, local.weekday)) return false;
  if (interval.days_of_month && interval.days_of_month.length > 0) {
    const daysInMonth = local.daysInMonth!;
    const dayNumber = (day: number) => (day > 0 ? day : daysInMonth + day + 1);
    const inside = interval.days_of_month.some((text) => {
      const range = dayOfMonthRange(text)!;
      return local.day >= dayNumber(range.start) && local.day <= dayNumber(range.end);
    });
    if (!inside) return false;
  }
  if (interval.times && interval.times.length > 0) {
    const minute = local.hour * 60 + local.minute;
    if (!interval.times.some((t) => minute >= minutesOf(t.start_time)! && minute < minutesOf(t.end_time)!)) return false;
  }
  return true;
}

export function windowOpen(window: MuteWindow, at: number): boolean {
  return window.time_intervals.some((interval) => intervalMatches(interval, at));
}

/** The first instant after `at` where the interval may start or stop matching: a time of day it names, or its next midnight. */
function nextBoundary(interval: TimeInterval, at: number): number {
  const local = DateTime.fromMillis(at, { zone: interval.location ?? 'UTC' });
  const midnight = local.startOf('day');
  const candidates = [midnight.plus({ days: 1 }).toMillis()];
  for (const t of interval.times ?? []) {
    for (const minutes of [minutesOf(t.start_time)!, minutesOf(t.end_time)!]) {
      const instant = midnight.set({ hour: Math.floor(minutes / 60) % 24, minute: minutes % 60 }).plus({ days: minutes === 24 * 60 ? 1 : 0 }).toMillis();
      if (instant > at) candidates.push(instant);
    }
  }
  return Math.min(...candidates);
}

/** How far ahead the end of a window is looked for; past it the lane waits that long and judges again. */
const MAX_STEPS = 2_000;

/** When the window, open at `at`, closes (epoch ms); a window that never closes gives the furthest instant looked at. */
export function windowEnd(window: MuteWindow, at: number): number {
  let instant = at;
  for (let step = 0; step < MAX_STEPS; step++) {
    instant = Math.min(...window.time_intervals.map((interval) => nextBoundary(interval, instant)));
    if (!windowOpen(window, instant)) return instant;
  }
  return instant;
}

export type Muted = { window: string; action: MuteAction; until: string };

/**
 * The window that mutes an event at `at`, if any: a dropping window before a holding one (dropped is
 * final); among holding windows the one that ends first, after which the event is judged again.
 */
export function mutedAt(windows: readonly MuteWindow[], at: number): Muted | undefined {
  const open = windows.filter((w) => windowOpen(w, at));
  if (open.length === 0) return undefined;
  const dropping = open.find((w) => w.action === 'drop');
  const chosen = dropping ?? open.map((w) => ({ w, end: windowEnd(w, at) })).sort((a, b) => a.end - b.end)[0]!.w;
  return { window: chosen.name, action: chosen.action, until: new Date(windowEnd(chosen, at)).toISOString() };
}

export type MuteVerdict = { send: true } | { send: false; hold: true; window: string; until: string } | { send: false; hold: false; window: string };

/**
 * What a lane does with an event's first attempt. A dropped trigger drops the rest of the alert
 * there (the destination never heard of it, so nothing is owed, its resolve included); a closing
 * event whose trigger went out is never dropped, so no incident stays open because of a window.
 */
export function muteVerdict(muted: Muted | undefined, event: { closing: boolean; triggerDroppedBy?: string }): MuteVerdict {
  if (event.triggerDroppedBy) return { send: false, hold: false, window: event.triggerDroppedBy };
  if (!muted) return { send: true };
  if (muted.action === 'hold') return { send: false, hold: true, window: muted.window, until: muted.until };
  return event.closing ? { send: true } : { send: false, hold: false, window: muted.window };
}
