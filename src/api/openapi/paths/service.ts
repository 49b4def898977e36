// Herald's own state: the overview and the audit log under /v1, and the routes outside it (health,
// readiness, metrics, this document), which take no API key except /metrics.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { auditListQuery } from '../../audit';
import { overviewQuerySchema } from '../../overview';
import type { Components } from '../components';
import type { Define } from '../operations';

export function servicePaths(define: Define, registry: OpenAPIRegistry, c: Components): void {
  define('get', '/v1/overview', { summary: 'Is everything all right? Open alerts by severity, destinations to look at, deliveries over the last hour or day (README "Operator console")', ok: [200, c.Overview], errors: [400, 404], meanings: { 404: 'destination_id names no destination of the tenant (destination_not_found)' }, query: overviewQuerySchema, tenantScoped: true });
  define('get', '/v1/audit', { summary: 'The audit log, newest first: changes of configuration and actions on alerts, by key id, secrets masked', ok: [200, c.AuditList], errors: [400], query: auditListQuery, tenantScoped: true });

  const json = (schema: z.ZodType) => ({ 'application/json': { schema } });
  registry.registerPath({ method: 'get', path: '/healthz', summary: 'The process is up', security: [], responses: { 200: { description: 'up', content: json(c.Health) } } });
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    summary: 'Temporal and the store answer',
    security: [],
    responses: { 200: { description: 'ready', content: json(c.Readiness) }, 503: { description: 'not ready', content: json(c.Error) } },
  });
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (the key needs the read scope)',
    responses: {
      200: { description: 'the Prometheus text exposition format', content: { 'text/plain': { schema: z.string() } } },
      401: { description: 'missing or wrong API key', content: json(c.Error) },
      403: { description: 'the API key lacks the read scope (details.required_scope)', content: json(c.Error) },
    },
  });
  // README "A portal for each customer": the page a portal link opens (its secret stays in the fragment, never sent).
  registry.registerPath({
    method: 'get',
    path: '/portal/{link}',
    summary: 'The portal a link from POST /v1/tenants/{tenant}/portal-links opens: the console restricted to the tenant, framed only by its portal_origins (Content-Security-Policy frame-ancestors)',
    security: [],
    request: { params: z.object({ link: z.string() }) },
    responses: {
      200: { description: 'the portal page', content: { 'text/html': { schema: z.string() } } },
      410: { description: 'the link has expired or never was (a plain page no site may frame)', content: { 'text/plain': { schema: z.string() } } },
      503: { description: 'the console is not built', content: { 'text/plain': { schema: z.string() } } },
    },
  });
  registry.registerPath({ method: 'get', path: '/openapi.json', summary: 'This document', security: [], responses: { 200: { description: 'OpenAPI 3.1', content: json(c.OpenApiDocument) } } });
}
