// /v1/alerts: trigger, read, update, acknowledge, close and redeliver alerts (README "API").
import { z } from 'zod';
import { listQuerySchema } from '../../alerts';
import type { Components } from '../components';
import { alertLinks } from '../links';
import type { Define } from '../operations';

/** The ingest routes also answer 429 over the tenant's ingest_per_second (src/api/tenant-limits.ts). */
const INGEST_429 = 'this API key is over its rate limit (rate_limited), or the tenant over its ingest_per_second (tenant_rate_limited): retry after Retry-After';

export function alertPaths(define: Define, c: Components): void {
  define('post', '/v1/alerts', { summary: 'Trigger an alert (202; 200 with deduplicated for an open duplicate)', body: c.InboundAlert, ok: [202, c.AlertAccepted], alsoOk: [200, c.AlertAccepted, 'an open alert with this id exists: deduplicated, nothing new started'], errors: [400, 409, 413, 422, 503], meanings: { 429: INGEST_429 }, links: alertLinks, tenantScoped: true });
  define('get', '/v1/alerts', { summary: 'List alerts from Temporal visibility', ok: [200, c.AlertList], errors: [400, 503], query: listQuerySchema, tenantScoped: true });
  define('get', '/v1/alerts/{id}', {
    summary: 'Alert state: every destination, event and attempt (an alert started before the read model answers in the first workflow version\'s shape, LegacyAlertState)',
    ok: [200, z.union([c.AlertState, c.LegacyAlertState])],
    errors: [404, 503],
    tenantScoped: true,
  });
  define('post', '/v1/alerts/{id}/events', { summary: 'Update an open alert', body: c.AlertUpdate, ok: [202, c.SignalAccepted], errors: [400, 404, 409, 503], meanings: { 429: INGEST_429 }, tenantScoped: true });
  define('post', '/v1/alerts/{id}/acknowledge', { summary: 'Acknowledge: somebody is on it. Every destination that heard of the alert hears it, in order; with `until`, the alert returns to triggered then if still open. The same acknowledgement again changes nothing (`changed: false`)', body: c.Acknowledgement, bodyOptional: true, ok: [202, c.SignalAccepted], errors: [400, 404, 409, 503], tenantScoped: true });
  define('post', '/v1/alerts/{id}/unacknowledge', { summary: 'Take the acknowledgement back: the alert is triggered again', body: c.Unacknowledgement, bodyOptional: true, ok: [202, c.SignalAccepted], errors: [400, 404, 409, 503], tenantScoped: true });
  define('post', '/v1/alerts/{id}/resolve', { summary: 'Resolve', body: c.Closure, bodyOptional: true, ok: [202, c.SignalAccepted], errors: [400, 404, 409, 503], meanings: { 429: INGEST_429 }, tenantScoped: true });
  define('post', '/v1/alerts/{id}/dismiss', { summary: 'Dismiss', body: c.Closure, bodyOptional: true, ok: [202, c.SignalAccepted], errors: [400, 404, 409, 503], meanings: { 429: INGEST_429 }, tenantScoped: true });
  define('post', '/v1/alerts/{id}/deliveries/{destination_id}/redeliver', { summary: 'Redeliver the failed events of one destination', ok: [202, c.SignalAccepted], errors: [404, 409, 503], tenantScoped: true });
}
