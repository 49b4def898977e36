// Alerts that other systems send in: Alertmanager and Grafana webhooks, PagerDuty's and incident.io's
// signed webhooks, and heartbeat pings (README "Sources", "Provider webhooks in", "Heartbeats").
import { sourceQuerySchema } from '../../sources';
import type { Components } from '../components';
import { heartbeatLinks } from '../links';
import type { Define } from '../operations';

export function intakePaths(define: Define, c: Components): void {
  define('post', '/v1/sources/alertmanager', { summary: 'Alertmanager webhook receiver (payload version 4): firing entries trigger, resolved entries resolve. Entries are checked one by one: the good ones are accepted even when others are not (those are listed in `rejected`); 400 when none is good', body: c.AlertmanagerPayload, ok: [200, c.SourceResult], errors: [400, 503], query: sourceQuerySchema, tenantScoped: true });
  define('post', '/v1/sources/grafana', { summary: 'Grafana alerting webhook contact point (the same mapping, entries checked one by one)', body: c.AlertmanagerPayload, ok: [200, c.SourceResult], errors: [400, 503], query: sourceQuerySchema, tenantScoped: true });
  define('post', '/v1/sources/pagerduty', {
    summary: 'PagerDuty v3 webhooks (README "Provider webhooks in"): incident.acknowledged, .unacknowledged and .resolved act on the alert behind the incident; signed with X-PagerDuty-Signature instead of an API key',
    body: c.PagerDutyWebhook,
    ok: [200, c.ProviderWebhookResult],
    errors: [400, 413, 503],
    meanings: { 401: 'the signature matches none of HERALD_PAGERDUTY_WEBHOOK_SECRETS', 404: 'off: HERALD_PAGERDUTY_WEBHOOK_SECRETS is not set' },
    open: true,
  });
  define('post', '/v1/sources/incident-io', {
    summary: 'incident.io incident webhooks (README "Provider webhooks in"): closing the incident resolves the alert behind it, its acknowledged status acknowledges; signed as Svix signs (webhook-id, webhook-timestamp, webhook-signature) instead of an API key',
    body: c.IncidentIoWebhook,
    ok: [200, c.ProviderWebhookResult],
    errors: [400, 413, 503],
    meanings: { 401: 'the signature matches none of HERALD_INCIDENT_IO_WEBHOOK_SECRETS, or is older than 5 minutes', 404: 'off: HERALD_INCIDENT_IO_WEBHOOK_SECRETS is not set' },
    open: true,
  });

  define('post', '/v1/heartbeats', { summary: 'Create a heartbeat, a dead man\'s switch (README "Heartbeats"): no ping for interval_s + grace_s raises its alert; the answer shows the ping token once', body: c.HeartbeatInput, ok: [201, c.Heartbeat], errors: [400, 409, 503], links: heartbeatLinks, tenantScoped: true });
  define('get', '/v1/heartbeats', { summary: 'Heartbeats', ok: [200, c.HeartbeatList], errors: [], tenantScoped: true });
  define('get', '/v1/heartbeats/{name}', { summary: 'A heartbeat', ok: [200, c.Heartbeat], errors: [404], tenantScoped: true });
  define('delete', '/v1/heartbeats/{name}', { summary: 'Delete a heartbeat: its open alert is resolved', ok: [204], errors: [404, 503], tenantScoped: true });
  define('post', '/v1/heartbeats/{name}/ping', { summary: 'Ping: the next deadline counts from now; a heartbeat that is down is resolved', ok: [202, c.PingAccepted], errors: [404, 503], tenantScoped: true });
  define('get', '/v1/heartbeats/{name}/ping/{token}', { summary: 'Ping with the heartbeat\'s token instead of an API key (for cron jobs and Alertmanager\'s Watchdog)', ok: [202, c.PingAccepted], errors: [404, 503], open: true, tenantScoped: true });
  define('post', '/v1/heartbeats/{name}/ping/{token}', { summary: 'Ping with the heartbeat\'s token instead of an API key', ok: [202, c.PingAccepted], errors: [404, 503], open: true, tenantScoped: true });
}
