// Which scope each route needs, and how HERALD_API_KEYS gives keys their scopes.
import { loadConfig } from '../../src/config';
import { allows, scopeFor } from '../../src/domain/api-scopes';

test.each([
  ['POST', '/alerts', 'ingest'],
  ['POST', '/alerts/a1/events', 'ingest'],
  ['POST', '/alerts/a1/resolve', 'ingest'],
  ['POST', '/alerts/a1/dismiss', 'ingest'],
  ['POST', '/sources/alertmanager', 'ingest'],
  ['POST', '/sources/grafana', 'ingest'],
  ['GET', '/alerts', 'read'],
  ['GET', '/alerts/a1', 'read'],
  ['HEAD', '/alerts/a1', 'read'],
  ['GET', '/destinations', 'read'],
  ['GET', '/destinations/dst_1', 'read'],
  ['GET', '/rules', 'read'],
  ['GET', '/rules/rul_1', 'read'],
  ['GET', '/destinations/dst_1/secret', 'admin'],
  ['POST', '/destinations', 'admin'],
  ['PATCH', '/destinations/dst_1', 'admin'],
  ['DELETE', '/destinations/dst_1', 'admin'],
  ['POST', '/destinations/dst_1/secret/rotate', 'admin'],
  ['POST', '/destinations/test', 'admin'],
  ['POST', '/destinations/dst_1/test', 'admin'],
  ['POST', '/rules', 'admin'],
  ['PATCH', '/rules/rul_1', 'admin'],
  ['DELETE', '/rules/rul_1', 'admin'],
  ['POST', '/alerts/a1/deliveries/dst_1/redeliver', 'admin'],
  ['GET', '/audit', 'admin'],
  ['GET', '/alerts/a1/something-new', 'admin'], // not in the table: admin
])('%s %s needs %s', (method, path, scope) => {
  expect(scopeFor(method, path)).toBe(scope);
});

test('admin may do everything; the others only their own', () => {
  expect(allows(['admin'], 'ingest')).toBe(true);
  expect(allows(['ingest', 'read'], 'read')).toBe(true);
  expect(allows(['ingest'], 'read')).toBe(false);
  expect(allows(['read'], 'admin')).toBe(false);
});

test('HERALD_API_KEYS gives scopes after a colon, joined by +; a key without is admin', () => {
  const config = loadConfig({ HERALD_API_KEYS: 'alertmanager-key-0123456789:ingest, dashboard-key-0123456789:read+ingest,console-key-0123456789abc' });
  expect(config.apiKeys).toEqual(['alertmanager-key-0123456789', 'dashboard-key-0123456789', 'console-key-0123456789abc']);
  expect(Object.fromEntries(config.apiKeyScopes)).toEqual({
    'alertmanager-key-0123456789': ['ingest'],
    'dashboard-key-0123456789': ['read', 'ingest'],
    'console-key-0123456789abc': ['admin'],
  });
  expect(() => loadConfig({ HERALD_API_KEYS: 'alertmanager-key-0123456789:write' })).toThrow(/ingest, read, admin/);
  expect(() => loadConfig({ HERALD_API_KEYS: 'alertmanager-key-0123456789:' })).toThrow(/scopes/);
});
