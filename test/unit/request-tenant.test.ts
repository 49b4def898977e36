// Which tenant a request acts in, from its path and its key alone (src/domain/request-tenant.ts).
import { decideTenant } from '../../src/domain/request-tenant';
import { tenantInputSchema } from '../../src/domain/tenants';
import { alertIdIn, alertKeyFor, workflowIdFor } from '../../src/domain/alert';

const OPERATOR = undefined; // a key of HERALD_API_KEYS: bound to no tenant

test('an operator key acts in the default tenant on the single-tenant paths, and in the tenant a path names', () => {
  expect(decideTenant('/destinations', OPERATOR)).toEqual({ kind: 'act', tenant: 'default', path: '/destinations', check: false });
  expect(decideTenant('/silences/sil_1', OPERATOR)).toEqual({ kind: 'act', tenant: 'default', path: '/silences/sil_1', check: false });
  // The tenant must exist (the middleware looks), and the route's scope is read off the path within it.
  expect(decideTenant('/tenants/acme/destinations/dst_1/test', OPERATOR)).toEqual({ kind: 'act', tenant: 'acme', path: '/destinations/dst_1/test', check: true });
  expect(decideTenant('/tenants/acme/rules/', OPERATOR)).toEqual({ kind: 'act', tenant: 'acme', path: '/rules/', check: true });
  // As express routes them: case aside.
  expect(decideTenant('/Tenants/acme/Destinations', OPERATOR)).toEqual({ kind: 'act', tenant: 'acme', path: '/Destinations', check: true });
});

test('an operator key manages tenants and their keys', () => {
  for (const path of ['/tenants', '/tenants/', '/tenants/acme', '/tenants/acme/keys', '/tenants/acme/keys/key_0123456789ab']) {
    expect(decideTenant(path, OPERATOR)).toEqual({ kind: 'manage' });
  }
  // A resource that is not tenant-scoped yet is not served under a tenant: the router answers 404.
  expect(decideTenant('/tenants/acme/unknown', OPERATOR)).toEqual({ kind: 'manage' });
  expect(decideTenant('/tenants/acme/silences/sil_1', OPERATOR)).toEqual({ kind: 'act', tenant: 'acme', path: '/silences/sil_1', check: true });
});

test("a tenant's key acts in its tenant only, and learns nothing of the others", () => {
  expect(decideTenant('/destinations/dst_1', 'acme')).toEqual({ kind: 'act', tenant: 'acme', path: '/destinations/dst_1', check: false });
  expect(decideTenant('/tenants/acme/rules', 'acme')).toEqual({ kind: 'act', tenant: 'acme', path: '/rules', check: false });
  // Another tenant's paths: 404 as for a tenant that does not exist, whether it exists or not.
  expect(decideTenant('/tenants/globex/destinations', 'acme')).toEqual({ kind: 'not_found', tenant: 'globex' });
  expect(decideTenant('/tenants/nobody/rules/rul_1', 'acme')).toEqual({ kind: 'not_found', tenant: 'nobody' });
  expect(decideTenant('/TENANTS/globex/ALERTS', 'acme')).toEqual({ kind: 'not_found', tenant: 'globex' });
  expect(decideTenant('/Destinations', 'acme')).toEqual({ kind: 'act', tenant: 'acme', path: '/Destinations', check: false });
  // /v1/tenants, its own record and keys included: 404 as a route that does not exist, never 403.
  for (const path of ['/tenants', '/tenants/acme', '/tenants/acme/keys', '/tenants/globex/keys/key_1', '/tenants/acme/unknown']) {
    expect(decideTenant(path, 'acme')).toEqual({ kind: 'not_found' });
  }
  // Every other resource: in its own tenant.
  expect(decideTenant('/alerts/a1/resolve', 'acme')).toEqual({ kind: 'act', tenant: 'acme', path: '/alerts/a1/resolve', check: false });
  expect(decideTenant('/inhibit-rules', 'acme')).toEqual({ kind: 'act', tenant: 'acme', path: '/inhibit-rules', check: false });
  expect(decideTenant('/groups/grp_1', 'acme')).toEqual({ kind: 'act', tenant: 'acme', path: '/groups/grp_1', check: false });
  expect(decideTenant('/sources/alertmanager', 'acme')).toEqual({ kind: 'act', tenant: 'acme', path: '/sources/alertmanager', check: false });
  expect(decideTenant('/overview', 'acme')).toEqual({ kind: 'act', tenant: 'acme', path: '/overview', check: false });
  expect(decideTenant('/heartbeats/h1', 'acme')).toEqual({ kind: 'act', tenant: 'acme', path: '/heartbeats/h1', check: false });
});

test('tenant ids: lowercase letters, digits, "_" and "-", never a path or workflow id separator', () => {
  for (const id of ['acme', 'cust_42', 'a-b', '0']) expect(tenantInputSchema.safeParse({ id, name: 'n' }).success).toBe(true);
  for (const id of ['', 'Acme', 'a/b', 'a:b', 'a.b', '-a', 'x'.repeat(64)]) expect(tenantInputSchema.safeParse({ id, name: 'n' }).success).toBe(false);
  expect(tenantInputSchema.safeParse({ name: ' ' }).success).toBe(false);
});

test("an alert's key and workflow id: unchanged for the default tenant, behind the tenant id for any other", () => {
  expect(alertKeyFor('default', 'db-lag')).toBe('db-lag');
  expect(workflowIdFor(alertKeyFor('default', 'db-lag'))).toBe('alert:db-lag'); // running alerts keep theirs
  expect(alertKeyFor('acme', 'db-lag')).toBe('acme/db-lag');
  expect(workflowIdFor(alertKeyFor('acme', 'db-lag'))).toBe('alert:acme/db-lag');
  // Alert ids may hold ":" and "."; neither alphabet holds "/", so no two tenants' keys meet.
  expect(alertKeyFor('acme', 'x:y')).not.toBe(alertKeyFor('default', 'acme:x:y'));
  for (const [tenant, id] of [['default', 'a.b:c'], ['acme', 'a.b:c'], ['cust_1', 'alr_0f']]) expect(alertIdIn(tenant!, alertKeyFor(tenant!, id!))).toBe(id);
});
