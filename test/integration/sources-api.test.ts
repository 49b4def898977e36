// /v1/sources/{alertmanager,grafana} answered directly: bad input, partial batches, duplicates and a
// Temporal that is down, as Alertmanager would experience them.
import { freeLoopbackPort } from '../../src/free-port';
import { startHerald, type TestHerald } from '../support/herald';

let herald: TestHerald;
beforeAll(async () => {
  herald = await startHerald();
});
afterAll(() => herald.stop());

const entry = (fingerprint: string, status = 'firing') => ({
  status,
  labels: { alertname: `A${fingerprint}`, instance: 'db1' },
  annotations: { summary: `alert ${fingerprint}` },
  startsAt: '2026-11-22T10:00:00Z',
  endsAt: status === 'resolved' ? '2026-11-22T10:05:00Z' : '0001-01-01T00:00:00Z',
  fingerprint,
});
const payload = (alerts: unknown[]) => ({ version: '4', status: 'firing', receiver: 'herald', groupKey: 'g', externalURL: 'http://am.example', alerts });

test('a malformed payload is a 400 naming the field, and triggers nothing', async () => {
  const res = await herald.call('POST', '/v1/sources/alertmanager', { status: 'firing', alerts: 'nope' });
  expect(res.status).toBe(400);
  expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['receiver', 'alerts']));
  const allBad = await herald.call('POST', '/v1/sources/alertmanager', payload([{ status: 'firing', labels: {} }]));
  expect(allBad.status).toBe(400);
  expect(allBad.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['alerts.0.labels', 'alerts.0.fingerprint', 'alerts.0.startsAt']));
});

test('good entries go through, bad ones are reported; a duplicate is a 200, not a retry', async () => {
  const res = await herald.call('POST', '/v1/sources/alertmanager', payload([entry('aa01'), { status: 'firing' }, entry('aa02')]));
  expect(res.status).toBe(200);
  expect(res.body.accepted.map((a: { index: number; result: string }) => [a.index, a.result])).toEqual([[0, 'accepted'], [2, 'accepted']]);
  expect(res.body.rejected[0].index).toBe(1);
  const again = await herald.call('POST', '/v1/sources/alertmanager', payload([entry('aa01')]));
  expect(again.status).toBe(200);
  expect(again.body.accepted[0].result).toBe('deduplicated');

  const resolved = await herald.call('POST', '/v1/sources/grafana', { ...payload([entry('aa01', 'resolved'), entry('ffff', 'resolved')]), status: 'resolved', title: 'resolved', orgId: 1 });
  expect(resolved.status).toBe(200);
  expect(resolved.body.accepted.map((a: { result: string }) => a.result)).toEqual(['accepted', 'unknown_alert']);
  const state = await herald.call('GET', `/v1/alerts/${res.body.accepted[0].id}`);
  expect(state.body.status).toBe('resolved');
  expect(state.body.closure).toMatchObject({ by: 'grafana', end_timestamp: '2026-11-22T10:05:00.000Z' });
  // The same resolve again (Alertmanager retried): nothing to do, still a 200.
  const twice = await herald.call('POST', '/v1/sources/alertmanager', { ...payload([entry('aa01', 'resolved')]), status: 'resolved' });
  expect(twice.status).toBe(200);
  expect(twice.body.accepted[0].result).toBe('already_closed');
});

test('Temporal unreachable is a 503 so Alertmanager retries', async () => {
  const down = await startHerald({ worker: false, temporalAddress: `127.0.0.1:${await freeLoopbackPort()}` });
  try {
    const res = await down.call('POST', '/v1/sources/alertmanager', payload([entry('bb01')]));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
  } finally {
    await down.stop();
  }
});
