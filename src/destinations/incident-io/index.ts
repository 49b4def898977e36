// incident.io destination (API v2), as AnomalyArmor's: a trigger creates an incident with an
// idempotency key derived from the workflow ID (a retried activity replays the first create instead
// of opening a second incident); resolve or dismiss sets the configured closed status, after reading
// the incident and skipping the edit when it is already closed.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { nonBlank } from '../../domain/non-blank';
import { SEVERITIES } from '../../domain/alert';
import { actionLinks, eventKind, type OutboundEvent } from '../../domain/events';
import { urlProblem } from '../../domain/target-policy';
import { exchange, type Exchange } from '../exchange';
import type { HttpClient, HttpResponse } from '../http-client';
import { maskSecret, type DeliveryOutcome, type DestinationProvider, type IncidentRef, type SendContext } from '../types';

export const incidentIoConfigSchema = z
  .strictObject({
    api_key: nonBlank(500, 'No API key configured: paste the key from incident.io Settings → API Keys'),
    closed_status_id: z.string().min(1).max(100).optional(),
    /** The status an acknowledged alert moves its incident to (README "Acknowledge"); unset: the status stays. */
    acknowledged_status_id: z.string().min(1).max(100).optional(),
    severity_id: z.string().min(1).max(100).optional(),
    // Its keys in /openapi.json too, whose converter (src/api/openapi) does not read them off a record.
    severity_map: z.partialRecord(z.enum(SEVERITIES), z.string().min(1).max(100)).meta({ propertyNames: { type: 'string', enum: [...SEVERITIES] } }).optional(),
    mode: z.enum(['standard', 'test']).default('standard'),
    visibility: z.enum(['public', 'private']).default('public'),
    base_url: z.url({ protocol: /^https?$/ }).max(500).default('https://api.incident.io'),
  })
  .refine((c) => !(c.severity_id && c.severity_map), { message: 'set severity_id or severity_map, not both', path: ['severity_map'] })
  // The same rule in /openapi.json, where a refinement does not show.
  .meta({ not: { required: ['severity_id', 'severity_map'] } });
export type IncidentIoConfig = z.infer<typeof incidentIoConfigSchema>;

/** One incident per alert and destination, whatever happens to the activity that creates it. */
export function incidentIdempotencyKey(workflowId: string, destinationId: string): string {
  return `herald-${createHash('sha256').update(`${workflowId}\n${destinationId}`).digest('hex').slice(0, 40)}`;
}

export function incidentSummary(event: OutboundEvent): string {
  return [
    event.alert.description ?? event.alert.title,
    '',
    'Source: Herald',
    `${event.group ? 'Group' : 'Rule'}: ${event.alert.rule_name}`,
    `Event type: ${event.event.type}${event.event.change_type ? ` (${event.event.change_type})` : ''}`,
    ...(event.event.asset ? [`Asset: ${event.event.asset.qualified_name}`] : []),
    ...Object.entries(event.links).map(([name, href]) => `${name}: ${href}`),
    ...(event.alert.acknowledged_by ? [`Acknowledged by ${event.alert.acknowledged_by}`] : []),
    ...(event.actions ? actionLinks(event.actions).map(([label, href]) => `${label} in Herald: ${href}`) : []),
  ].join('\n');
}

const ERROR_HINTS: Record<number, string> = {
  401: 'HTTP 401: Unauthorized: the API key is invalid or expired; create a new key in incident.io Settings → API Keys and update the destination',
  403: 'HTTP 403: Forbidden: the API key lacks the incident.write permission; create a key with it',
};

type Incident = { id: string; reference?: string; permalink?: string; incident_status?: { category?: string } };

export function incidentIoProvider(http: HttpClient): DestinationProvider<IncidentIoConfig> {
  async function call(ex: Exchange, config: IncidentIoConfig, method: 'GET' | 'POST', path: string, body?: unknown): Promise<HttpResponse> {
    const headers = { accept: 'application/json', ...(body !== undefined && { 'content-type': 'application/json' }) };
    return ex.send(
      { url: `${config.base_url.replace(/\/$/, '')}${path}`, method, headers: { authorization: `Bearer ${config.api_key}`, ...headers }, ...(body !== undefined && { body: JSON.stringify(body) }) },
      { headers: { authorization: `Bearer ${maskSecret(config.api_key)}`, ...headers } },
    );
  }

  /** incident.io's failures as outcomes: 401/403/422 cannot succeed on retry, the rest can. */
  function failure(ex: Exchange, response: HttpResponse): DeliveryOutcome {
    const base = ex.classify(response);
    if (ERROR_HINTS[response.status]) return { ...base, permanent: true, error: ERROR_HINTS[response.status] };
    if (response.status === 422) {
      let detail = response.body.slice(0, 500);
      try {
        const parsed = JSON.parse(response.body) as { errors?: { message?: string; source?: { field?: string } }[] };
        detail = (parsed.errors ?? []).map((e) => `${e.source?.field ? `${e.source.field}: ` : ''}${e.message ?? ''}`).join('; ') || detail;
      } catch {
        // keep the raw excerpt
      }
      return { ...base, permanent: true, error: `HTTP 422: incident.io refused the incident: ${detail}` };
    }
    return base;
  }

  const refOf = (incident: Incident): IncidentRef => ({
    provider: 'incident_io',
    id: incident.id,
    ...(incident.reference && { reference: incident.reference }),
    ...(incident.permalink && { url: incident.permalink }),
    status: incident.incident_status?.category ?? 'unknown',
  });

  async function create(ex: Exchange, event: OutboundEvent, config: IncidentIoConfig, ctx: SendContext): Promise<DeliveryOutcome> {
    const severity = config.severity_id ?? config.severity_map?.[event.alert.severity as (typeof SEVERITIES)[number]];
    const response = await call(ex, config, 'POST', '/v2/incidents', {
      idempotency_key: incidentIdempotencyKey(ctx.workflowId, ctx.destinationId),
      name: `[Herald] ${event.alert.title}`.slice(0, 250),
      summary: incidentSummary(event),
      mode: config.mode,
      visibility: config.visibility,
      ...(severity && { severity_id: severity }),
    });
    if (response.status !== 200) return failure(ex, response);
    const { incident } = JSON.parse(response.body) as { incident: Incident };
    return { ...ex.classify(response), incident: refOf(incident) };
  }

  /** An update rewrites the incident's summary with everything known so far. */
  async function update(ex: Exchange, event: OutboundEvent, config: IncidentIoConfig, ctx: SendContext): Promise<DeliveryOutcome> {
    if (!ctx.incident) return { ok: true, duration_ms: ex.elapsed(), note: 'no incident to update' };
    const edited = await call(ex, config, 'POST', `/v2/incidents/${encodeURIComponent(ctx.incident.id)}/actions/edit`, {
      incident: { summary: incidentSummary(event) },
      notify_incident_channel: false,
    });
    if (edited.status !== 200) return failure(ex, edited);
    return { ...ex.classify(edited), incident: refOf((JSON.parse(edited.body) as { incident: Incident }).incident) };
  }

  async function close(ex: Exchange, config: IncidentIoConfig, ctx: SendContext): Promise<DeliveryOutcome> {
    const elapsed = () => ex.elapsed();
    if (!ctx.incident) return { ok: true, duration_ms: elapsed(), note: 'nothing to close: no incident was created for this alert' };
    if (!config.closed_status_id) {
      return { ok: true, duration_ms: elapsed(), incident: ctx.incident, note: 'the incident stays open for manual closing (no closed_status_id configured)' };
    }
    const path = `/v2/incidents/${encodeURIComponent(ctx.incident.id)}`;
    const current = await call(ex, config, 'GET', path);
    if (current.status !== 200) return failure(ex, current);
    const { incident } = JSON.parse(current.body) as { incident: Incident };
    if (incident.incident_status?.category === 'closed') {
      return { ...ex.classify(current), incident: refOf(incident), note: 'already closed in incident.io' };
    }
    const edited = await call(ex, config, 'POST', `${path}/actions/edit`, {
      incident: { incident_status_id: config.closed_status_id },
      notify_incident_channel: true,
    });
    if (edited.status !== 200) return failure(ex, edited);
    return { ...ex.classify(edited), incident: refOf((JSON.parse(edited.body) as { incident: Incident }).incident) };
  }

  /** An acknowledgement moves the incident to the destination's acknowledged status, if it names one. */
  async function acknowledge(ex: Exchange, config: IncidentIoConfig, ctx: SendContext): Promise<DeliveryOutcome> {
    if (!ctx.incident) return { ok: true, duration_ms: ex.elapsed(), note: 'no incident to acknowledge' };
    if (!config.acknowledged_status_id) return { ok: true, duration_ms: ex.elapsed(), incident: ctx.incident, note: 'the incident keeps its status (no acknowledged_status_id configured)' };
    const edited = await call(ex, config, 'POST', `/v2/incidents/${encodeURIComponent(ctx.incident.id)}/actions/edit`, {
      incident: { incident_status_id: config.acknowledged_status_id },
      notify_incident_channel: true,
    });
    if (edited.status !== 200) return failure(ex, edited);
    return { ...ex.classify(edited), incident: refOf((JSON.parse(edited.body) as { incident: Incident }).incident) };
  }

  return {
    type: 'incident_io',
    configSchema: incidentIoConfigSchema,
    check(config, policy) {
      const problem = urlProblem(config.base_url, policy);
      return problem ? [{ path: ['base_url'], message: `URL ${problem}` }] : [];
    },
    complete: (config) => config,
    mask: (config) => ({ ...config, api_key: maskSecret(config.api_key) }),
    describe: (config) => `incident.io at ${config.base_url}${config.closed_status_id ? '' : ' (closes manually)'}`,

    async send(event, config, ctx) {
      return exchange(http, ctx, async (ex) => {
        switch (eventKind(event.event_type)) {
          case 'open':
            return create(ex, event, config, ctx);
          case 'update':
            return update(ex, event, config, ctx);
          case 'acknowledge':
            return acknowledge(ex, config, ctx);
          case 'unacknowledge':
            // incident.io has no way back to "not yet acknowledged" that Herald could name; the summary says it.
            return update(ex, event, config, ctx);
          case 'close':
            return close(ex, config, ctx);
        }
      });
    },
  };
}
