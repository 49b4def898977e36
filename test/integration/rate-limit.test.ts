// The per-key rate limit through the API: over it a key gets 429 with Retry-After, another key is
// not held back, and the key gets through again once tokens have flowed back.
import { callApi, startHerald, testConfig, type TestHerald } from '../support/herald';

const NOISY = 'rate-noisy-key-0123456789ab';
const QUIET = 'rate-quiet-key-0123456789ab';
let herald: TestHerald;

beforeAll(async () => {
  herald = await startHerald({ config: testConfig({ HERALD_API_KEYS: `${NOISY},${QUIET}`, HERALD_API_RATE_LIMIT: '2', HERALD_API_RATE_BURST: '5' }) });
});
afterAll(() => herald.stop());

test('429 with Retry-After over the limit, per key, then recovery', async () => {
  const statuses = [];
  for (let i = 0; i < 8; i++) statuses.push((await callApi(herald.url, NOISY, 'GET', '/v1/rules')).status);
  expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
  expect(statuses.slice(5)).toContain(429);
  const limited = await callApi(herald.url, NOISY, 'GET', '/v1/rules');
  expect(limited.status).toBe(429);
  expect(limited.body.error).toMatchObject({ code: 'rate_limited', details: { limit_per_s: 2, burst: 5 } });
  const retryAfter = Number(limited.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect((await callApi(herald.url, QUIET, 'GET', '/v1/rules')).status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
  expect((await callApi(herald.url, NOISY, 'GET', '/v1/rules')).status).toBe(200);
});
