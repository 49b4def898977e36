// /v1/tenants: the customers one Herald serves and their keys (README "Serving your customers").
// Operator keys only; a tenant's key is answered 404 here, as if the routes did not exist.
import type { Components } from '../components';
import type { Define } from '../operations';

const NOT_FOUND = 'no such tenant (tenant_not_found); a tenant\'s own key is always answered 404 here';
const DELETING = 'the tenant is being deleted (tenant_deleting): it takes no more changes';

export function tenantPaths(define: Define, c: Components): void {
  define('post', '/v1/tenants', { summary: 'Create a tenant: a customer whose destinations, rules and alerts are kept apart from every other\'s', body: c.TenantInput, ok: [201, c.Tenant], errors: [400, 404], meanings: { 404: NOT_FOUND, 409: 'a tenant with this id exists (tenant_id_taken)' } });
  define('get', '/v1/tenants', { summary: 'Tenants, the default one first', ok: [200, c.TenantList], errors: [404], meanings: { 404: NOT_FOUND } });
  define('get', '/v1/tenants/{tenant}', { summary: 'A tenant', ok: [200, c.Tenant], errors: [404], meanings: { 404: NOT_FOUND } });
  define('patch', '/v1/tenants/{tenant}', { summary: 'Change a tenant\'s name or limits', body: c.TenantPatch, ok: [200, c.Tenant], errors: [400, 404], meanings: { 404: NOT_FOUND, 409: DELETING } });
  define('delete', '/v1/tenants/{tenant}', {
    summary: 'Delete a tenant and everything it owns: its keys stop at once, its open alerts are dismissed (their destinations hear it), and once their workflows are done its rows are purged; GET shows deleting_since until then, 404 after. DELETE again is safe',
    ok: [202, c.Tenant],
    alsoOk: [204, null, 'the tenant owned nothing: deleted at once'],
    errors: [404, 503],
    meanings: { 404: NOT_FOUND, 409: 'the default tenant (default_tenant)', 503: 'Temporal is unreachable: the tenant is marked and its keys are gone, but its purge has not started; DELETE again' },
  });
  define('post', '/v1/tenants/{tenant}/keys', { summary: 'Create an API key bound to the tenant (the 201 shows the key once)', body: c.TenantKeyInput, ok: [201, c.TenantKeyCreated], errors: [400, 404], meanings: { 404: NOT_FOUND, 409: DELETING } });
  define('get', '/v1/tenants/{tenant}/keys', { summary: 'The tenant\'s keys, masked: id, scopes, first characters', ok: [200, c.TenantKeyList], errors: [404], meanings: { 404: NOT_FOUND } });
  define('post', '/v1/tenants/{tenant}/portal-links', { summary: 'A short-lived link that opens the portal (the console restricted to the tenant\'s destinations, rules and alerts) for the tenant\'s customer; README "A portal for each customer"', body: c.PortalLinkInput, bodyOptional: true, ok: [201, c.PortalLink], errors: [400, 404], meanings: { 404: NOT_FOUND, 409: DELETING } });
  define('delete', '/v1/tenants/{tenant}/keys/{key_id}', { summary: 'Revoke one of the tenant\'s keys', ok: [204], errors: [404], meanings: { 404: 'no such tenant, or no such key of it (key_not_found)' } });
}
