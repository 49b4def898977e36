// Bodies within the size limit that would hurt further in: refused with a 400 that names the limit,
// and nothing of them kept. Methods a path does not serve: 405 with Allow.
import { startHerald, type TestHerald } from '../support/herald';

let herald: TestHerald;
beforeAll(async () => {
  herald = await startHerald();
});
afterAll(() => herald.stop());

const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

test.each([5_000, 100_000])('event.details nested %i deep answers 400 too_deep, and no alert is kept', async (depth) => {
  const body = `{"id":"deep_${depth}","title":"Deep","event":{"type":"generic","details":{"x":${deep(depth)}}}}`;
  const res = await herald.call('POST', '/v1/alerts', body);
  expect(res.status).toBe(400);
  expect(res.body.error.code).toMatch(/too_deep|invalid_request/);
  expect((await herald.call('GET', `/v1/alerts/deep_${depth}`)).status).toBe(404);
});

test('ten thousand labels are refused, naming the field and the limit', async () => {
  const labels = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`l${i}`, 'v']));
  const res = await herald.call('POST', '/v1/alerts', { id: 'many_labels', title: 'Labels', labels });
  expect(res.status).toBe(400);
  expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'labels', message: 'at most 100 labels' })]);
  expect((await herald.call('GET', '/v1/alerts/many_labels')).status).toBe(404);
});

test('a body nested just within the limit is accepted', async () => {
  let details: unknown = 'leaf';
  for (let i = 0; i < 25; i++) details = { d: details };
  const res = await herald.call('POST', '/v1/alerts', { id: 'nested_ok', title: 'Nested', event: { type: 'generic', details: { x: details } } });
  expect(res.status).toBe(202);
});

test('a method a documented path does not serve answers 405 with Allow', async () => {
  const trace = await fetch(`${herald.url}/healthz`, { method: 'DELETE' });
  expect(trace.status).toBe(405);
  expect(trace.headers.get('allow')).toBe('GET, HEAD');
  const put = await herald.call('PUT', '/v1/rules', {});
  expect(put.status).toBe(405);
  expect(put.headers.get('allow')).toBe('POST, GET, HEAD');
  expect(put.body.error).toMatchObject({ code: 'method_not_allowed', details: { allow: ['POST', 'GET', 'HEAD'] } });
  expect((await herald.call('PUT', '/v1/rules/rul_x', {})).headers.get('allow')).toBe('GET, PATCH, DELETE, HEAD');
  expect((await herald.call('GET', '/v1/nothing-here')).status).toBe(404);
  // OPTIONS says the same, from the description: /v1/destinations/test is not /v1/destinations/{id}.
  const options = await fetch(`${herald.url}/v1/destinations/test`, { method: 'OPTIONS' });
  expect(options.status).toBe(204);
  expect(options.headers.get('allow')).toBe('POST, OPTIONS');
});
