// Which store errors the API answers with 503 (the database is away) rather than 500.
import { isStoreUnavailable } from '../../src/store/db';

test('a refused or dropped connection and a server shutting down or starting are unavailability', () => {
  for (const err of [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    new Error('Connection terminated unexpectedly'),
  ]) {
    expect(isStoreUnavailable(err)).toBe(true);
  }
});

test('a query the database refuses is not', () => {
  expect(isStoreUnavailable(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
  expect(isStoreUnavailable(new Error('syntax error at or near "SELEC"'))).toBe(false);
  expect(isStoreUnavailable(undefined)).toBe(false);
});
