// Inbound instants: ISO 8601 with an offset, or epoch seconds / milliseconds told apart by magnitude.
import { z } from 'zod';
import { instantSchema, toIsoInstant } from '../../src/domain/timestamps';

const ANOMIFY = '2020-09-08T11:17:40.000Z';

describe('toIsoInstant', () => {
  test("Anomify's epoch seconds and their millisecond twin, as numbers and as numeric strings", () => {
    expect(toIsoInstant(1599563860)).toBe(ANOMIFY);
    expect(toIsoInstant('1599563860')).toBe(ANOMIFY);
    expect(toIsoInstant(1599563860000)).toBe(ANOMIFY);
    expect(toIsoInstant('1599563860000')).toBe(ANOMIFY);
  });

  test('fractions of a second are kept to the millisecond', () => {
    expect(toIsoInstant(1599563860.25)).toBe('2020-09-08T11:17:40.250Z');
    expect(toIsoInstant('1599563860.0004')).toBe(ANOMIFY);
    expect(toIsoInstant(1599563860000.6)).toBe('2020-09-08T11:17:40.001Z');
  });

  test('seconds below 1e11, milliseconds from it', () => {
    expect(toIsoInstant(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(toIsoInstant(99_999_999_999)).toBe('5138-11-16T09:46:39.000Z');
    expect(toIsoInstant(100_000_000_000)).toBe('1973-03-03T09:46:40.000Z');
  });

  test('ISO 8601 with Z or an offset comes out in UTC with milliseconds', () => {
    expect(toIsoInstant('2020-09-08T11:17:40Z')).toBe(ANOMIFY);
    expect(toIsoInstant('2020-09-08T13:17:40+02:00')).toBe(ANOMIFY);
    expect(toIsoInstant('2020-09-08T11:17:40.123456789Z')).toBe('2020-09-08T11:17:40.123Z');
    expect(toIsoInstant('9999-12-31T23:59:59.999Z')).toBe('9999-12-31T23:59:59.999Z');
  });

  test.each([
    ['absent', undefined],
    ['null', null],
    ['a boolean', true],
    ['an object', { seconds: 1599563860 }],
    ['empty', ''],
    ['a word', 'yesterday'],
    ['no offset', '2020-09-08T11:17:40'],
    ['a date only', '2020-09-08'],
    ['no such day', '2020-02-30T00:00:00Z'],
    ['an HTTP date', 'Tue, 08 Sep 2020 11:17:40 GMT'],
    ['negative', -1],
    ['a negative string', '-1599563860'],
    ['NaN', Number.NaN],
    ['infinite', Number.POSITIVE_INFINITY],
    ['digits beyond a double', '9'.repeat(400)],
    ['hex', '0x5f576f54'],
    ['exponent notation', '1.59956386e9'],
    ['padded', ' 1599563860'],
    ['after the year 9999 in milliseconds', 253_402_300_800_000],
    ['before 1970', '1969-12-31T23:59:59Z'],
    ["Go's zero time", '0001-01-01T00:00:00Z'],
  ])('not an instant: %s', (_label, value) => {
    expect(toIsoInstant(value)).toBeUndefined();
  });
});

describe('instantSchema', () => {
  test('outputs the ISO string for every accepted form', () => {
    expect(instantSchema.parse(1599563860)).toBe(ANOMIFY);
    expect(instantSchema.parse('1599563860000')).toBe(ANOMIFY);
    expect(instantSchema.parse('2020-09-08T11:17:40Z')).toBe(ANOMIFY);
  });

  test('the error names what is accepted, and why this value is not', () => {
    const messageFor = (value: unknown) => instantSchema.safeParse(value).error?.issues.map((i) => i.message);
    for (const value of ['soon', true, null, Number.POSITIVE_INFINITY]) {
      expect(messageFor(value)).toEqual([expect.stringMatching(/^must be an ISO 8601 date-time with an offset .* or a non-negative epoch time in seconds or milliseconds/)]);
    }
    expect(messageFor(-5)![0]).toMatch(/epoch time in seconds or milliseconds .*\(got a negative number\)$/);
    expect(messageFor('-5')![0]).toMatch(/\(got a negative number\)$/);
    expect(messageFor(1e16)![0]).toMatch(/\(got a date after the year 9999\)$/);
    expect(messageFor('0001-01-01T00:00:00Z')![0]).toMatch(/\(got a date before 1970\)$/);
  });

  test('inside an object the issue points at its field', () => {
    const parsed = z.object({ end_timestamp: instantSchema.optional() }).safeParse({ end_timestamp: 'later' });
    expect(parsed.error?.issues.map((i) => i.path)).toEqual([['end_timestamp']]);
    expect(z.object({ end_timestamp: instantSchema.optional() }).parse({})).toEqual({});
  });
});
