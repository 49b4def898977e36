// Every route with a key of each scope: allowed (whatever else it answers) or 403 naming the scope.
import { startHerald, testConfig, type TestHerald } from '../support/herald';

const KEYS = { ingest: 'scoped-ingest-key-0123456789', read: 'scoped-read-key-0123456789ab', admin: 'scoped-admin-key-0123456789' } as const;
let herald: TestHerald;

beforeAll(async () => {
  const config = testConfig({ HERALD_API_KEYS: `${KEYS.ingest}:ingest,${KEYS.read}:read,${KEYS.admin}:admin` });
  herald = await startHerald({ config });
});
afterAll(() => herald.stop());

const ROUTES: Array<[string, string, 'ingest' | 'read' | 'admin', unknown?]> = [
  ['POST', '/v1/alerts', 'ingest', { title: 'scoped' }],
  ['POST', '/v1/alerts/nope/events', 'ingest', {}],
  ['POST', '/v1/alerts/nope/resolve', 'ingest', {}],
  ['POST', '/v1/alerts/nope/dismiss', 'ingest', {}],
  ['POST', '/v1/alerts/nope/acknowledge', 'ingest', {}],
  ['POST', '/v1/alerts/nope/unacknowledge', 'ingest', {}],
  ['POST', '/v1/sources/alertmanager', 'ingest', { alerts: [] }],
  ['POST', '/v1/sources/grafana', 'ingest', { alerts: [] }],
  ['GET', '/v1/alerts', 'read'],
  ['GET', '/v1/alerts/nope', 'read'],
  ['GET', '/v1/destinations', 'read'],
  ['GET', '/v1/destinations/dst_nope', 'read'],
  ['GET', '/v1/rules', 'read'],
  ['GET', '/v1/rules/rul_nope', 'read'],
  ['GET', '/v1/heartbeats', 'read'],
  ['GET', '/v1/heartbeats/nope', 'read'],
  ['POST', '/v1/heartbeats/nope/ping', 'ingest'],
  ['POST', '/v1/heartbeats', 'admin', {}],
  ['DELETE', '/v1/heartbeats/nope', 'admin'],
  ['GET', '/metrics', 'read'],
  ['POST', '/v1/destinations', 'admin', {}],
  ['PATCH', '/v1/destinations/dst_nope', 'admin', {}],
  ['DELETE', '/v1/destinations/dst_nope', 'admin'],
  ['GET', '/v1/destinations/dst_nope/secret', 'admin'],
  ['POST', '/v1/destinations/dst_nope/secret/rotate', 'admin', {}],
  ['POST', '/v1/destinations/test', 'admin', {}],
  ['POST', '/v1/destinations/dst_nope/test', 'admin', {}],
  ['POST', '/v1/rules', 'admin', {}],
  ['PATCH', '/v1/rules/rul_nope', 'admin', {}],
  ['DELETE', '/v1/rules/rul_nope', 'admin'],
  ['POST', '/v1/alerts/nope/deliveries/dst_nope/redeliver', 'admin', {}],
  ['GET', '/v1/audit', 'admin'],
];

// Every row gets all four values: jest takes a parameter past a row's length for a `done` callback.
test.each(ROUTES.map(([method, path, needed, body]) => [method, path, needed, body ?? null] as const))('%s %s needs %s', async (method, path, needed, given) => {
  const body = given ?? undefined;
  for (const [scope, key] of Object.entries(KEYS)) {
    const res = await fetch(`${herald.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text(); // read every answer, so no connection stays held
    const allowed = scope === 'admin' || scope === needed;
    if (allowed) {
      expect([scope, res.status]).not.toEqual([scope, 403]);
    } else {
      expect([scope, res.status]).toEqual([scope, 403]);
      expect((JSON.parse(text) as { error: { code: string; details: unknown } }).error).toMatchObject({ code: 'forbidden', details: { required_scope: needed } });
    }
  }
});
