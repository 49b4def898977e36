// HTTP dates as RFC 9110 §5.6.7 defines them: the IMF-fixdate senders must use, and the obsolete
// RFC 850 and asctime forms recipients must still accept. Pure and free of Node imports: the
// delivery outcome's Retry-After is read with it (destinations/outcome.ts). Date.parse is not used because it also
// accepts forms no HTTP sender means (a bare "-5" is the year -5).

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const LONG_DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
// Names are matched without regard to case: recipients are asked to be robust in what they parse.
const IMF_FIXDATE = new RegExp(`^([a-z]{3}), (\\d{2}) ([a-z]{3}) (\\d{4}) ${TIME} GMT$`, 'i');
const RFC_850 = new RegExp(`^([a-z]{6,9}), (\\d{2})-([a-z]{3})-(\\d{2}) ${TIME} GMT$`, 'i');
// asctime pads a one-digit day with a space ("Nov  6"); "Nov 06" and "Nov 6" are read too.
const ASCTIME = new RegExp(`^([a-z]{3}) ([a-z]{3}) {1,2}(\\d{1,2}) ${TIME} (\\d{4})$`, 'i');

type Fields = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** Milliseconds since the epoch of an HTTP date in any of its three forms, or undefined. */
export function parseHttpDate(value: string, now: Date): number | undefined {
  let m: RegExpExecArray | null;
  if ((m = IMF_FIXDATE.exec(value))) {
    if (!DAYS.includes(m[1]!.toLowerCase())) return undefined;
    return timeOf(fields(m[4]!, m[3]!, m[2]!, m.slice(5, 8)));
  }
  if ((m = RFC_850.exec(value))) {
    if (!LONG_DAYS.includes(m[1]!.toLowerCase())) return undefined;
    const f = fields('0', m[3]!, m[2]!, m.slice(5, 8));
    return f && timeOf({ ...f, year: rfc850Year(Number(m[4]), f, now) });
  }
  if ((m = ASCTIME.exec(value))) {
    if (!DAYS.includes(m[1]!.toLowerCase())) return undefined;
    return timeOf(fields(m[7]!, m[2]!, m[3]!, m.slice(4, 7)));
  }
  return undefined;
}

function fields(year: string, month: string, day: string, [hour, minute, second]: string[]): Fields | undefined {
  const monthIndex = MONTHS.indexOf(month.toLowerCase());
  if (monthIndex < 0) return undefined;
  return { year: Number(year), month: monthIndex, day: Number(day), hour: Number(hour), minute: Number(minute), second: Number(second) };
}

/** The instant, or undefined when no such day or time exists (second 60 is a leap second). */
function timeOf(f: Fields | undefined): number | undefined {
  if (!f || f.day < 1 || f.day > daysIn(f.year, f.month) || f.hour > 23 || f.minute > 59 || f.second > 60) return undefined;
  return utc(f);
}

// Date.UTC would read the years 0–99 as 1900–1999.
function utc({ year, month, day, hour, minute, second }: Fields): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

function daysIn(year: number, month: number): number {
  if (month !== 1) return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/**
 * RFC 9110: a two-digit year whose timestamp appears more than 50 years in the future is the most
 * recent past year with the same last two digits. So the year is the latest one ending in those
 * digits whose timestamp is at most 50 years after now.
 */
function rfc850Year(twoDigits: number, f: Fields, now: Date): number {
  const limit = new Date(now.getTime());
  limit.setUTCFullYear(limit.getUTCFullYear() + 50);
  const year = Math.floor(limit.getUTCFullYear() / 100) * 100 + twoDigits;
  return utc({ ...f, year }) > limit.getTime() ? year - 100 : year;
}
