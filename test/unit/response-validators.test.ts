// Response validators: a JSONPath into the response body and the values that count as success.
import { runValidators } from '../../src/destinations/webhook/validators';

const body = JSON.stringify({
  data: { status: { code: 'ok', detail: { retries: 0, tags: ['a', 'b'] } }, items: [{ id: 1, labels: { env: 'prod', team: 'data' } }] },
});

test('an expected object matches whatever order its keys were written in, nested arrays included', () => {
  const [result] = runValidators([{ path: '$.data.status', expected: [{ detail: { tags: ['a', 'b'], retries: 0 }, code: 'ok' }] }], body);
  expect(result).toMatchObject({ passed: true, actual: [{ code: 'ok', detail: { retries: 0, tags: ['a', 'b'] } }] });
  const [items] = runValidators([{ path: '$.data.items', expected: [[{ labels: { team: 'data', env: 'prod' }, id: 1 }]] }], body);
  expect(items!.passed).toBe(true);
});

test('structure still counts: array order, missing or extra keys, and types fail', () => {
  const check = (expected: unknown) => runValidators([{ path: '$.data.status.detail', expected: [expected] }], body)[0]!.passed;
  expect(check({ tags: ['b', 'a'], retries: 0 })).toBe(false);
  expect(check({ tags: ['a', 'b'] })).toBe(false);
  expect(check({ tags: ['a', 'b'], retries: 0, extra: null })).toBe(false);
  expect(check({ tags: ['a', 'b'], retries: '0' })).toBe(false);
  expect(check({ retries: 0, tags: ['a', 'b'] })).toBe(true);
});

test('scalars, one of several expected values, and a body that is not JSON', () => {
  expect(runValidators([{ path: '$.data.status.code', expected: ['accepted', 'ok'] }], body)[0]!.passed).toBe(true);
  expect(runValidators([{ path: '$.data.status.code', expected: ['OK'] }], body)[0]!.passed).toBe(false);
  expect(runValidators([{ path: '$.data.status.code', expected: ['ok'] }], 'ok')[0]).toMatchObject({ passed: false, error: 'response body is not JSON' });
});
