// Provider webhooks in (README "Provider webhooks in"): what PagerDuty's v3 webhooks and incident.io's
// incident webhooks say happened to an incident Herald opened, as a Herald action on its alert. Pure:
// the signature checks take the raw body and the secrets, the mapping takes the parsed payload.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export type Provider = 'pagerduty' | 'incident_io';

/** How people call each provider. */
export const PROVIDER_NAMES: Record<Provider, string> = { pagerduty: 'PagerDuty', incident_io: 'incident.io' };

/** How a lane's incident is found again: `provider:id` (PagerDuty's id is the dedup key Herald sent). */
export const incidentRef = (incident: { provider: string; id: string }): string => `${incident.provider}:${incident.id}`;

/** What a provider's event asks of the alert behind its incident. */
export type ProviderAction = { action: 'acknowledge' | 'unacknowledge' | 'resolve'; incidentId: string; by: string };

/**
 * PagerDuty signs the raw body with each of the subscription's secrets: `X-PagerDuty-Signature:
 * v1=<hex HMAC-SHA256>[,v1=…]` (more than one while a secret is being rotated). Valid when any
 * signature matches any secret.
 */
export function pagerdutySignatureValid(rawBody: Buffer, header: string | undefined, secrets: readonly string[]): boolean {
  if (!header) return false;
  const given = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => Buffer.from(part.slice(3), 'hex'));
  return secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    return given.some((signature) => signature.length === expected.length && timingSafeEqual(signature, expected));
  });
}

// The parts of PagerDuty's v3 webhook envelope Herald reads (developer.pagerduty.com, "Webhooks v3
// overview"); everything else it carries is allowed and ignored.
export const pagerdutyWebhookSchema = z.object({
  event: z.object({
    id: z.string().min(1),
    event_type: z.string().min(1),
    resource_type: z.string().min(1),
    occurred_at: z.string().min(1),
    agent: z.object({ summary: z.string().optional() }).passthrough().nullable().optional(),
    data: z.object({ id: z.string().min(1), type: z.string(), incident_key: z.string().nullable().optional() }).passthrough(),
  }),
});

const PAGERDUTY_ACTIONS: Record<string, ProviderAction['action']> = {
  'incident.acknowledged': 'acknowledge',
  'incident.unacknowledged': 'unacknowledge',
  'incident.resolved': 'resolve',
};

/** The action a PagerDuty event asks for, keyed by the incident's dedup key; undefined for any other event. */
export function pagerdutyAction(payload: z.infer<typeof pagerdutyWebhookSchema>): ProviderAction | undefined {
  const { event } = payload;
  const action = PAGERDUTY_ACTIONS[event.event_type];
  const key = event.data.incident_key;
  if (!action || event.resource_type !== 'incident' || !key) return undefined;
  const who = event.agent?.summary;
  return { action, incidentId: key, by: who ? `${who} (PagerDuty)` : 'PagerDuty' };
}

// incident.io's incident webhooks (docs.incident.io, "Webhooks"): `public_incident.incident_updated_v2`
// carries the incident, `public_incident.incident_status_updated_v2` the incident and its new status.
// Private incidents' webhooks carry only an id, so they cannot say what changed.
const incidentIoStatus = z.object({ id: z.string().min(1), category: z.string().min(1), name: z.string().optional() }).passthrough();
const incidentIoIncident = z.object({ id: z.string().min(1), incident_status: incidentIoStatus.optional() }).passthrough();

export const incidentIoWebhookSchema = z
  .object({ event_type: z.string().min(1) })
  .passthrough()
  .superRefine((payload, ctx) => {
    if (!(payload.event_type in payload)) ctx.addIssue({ code: 'custom', path: [payload.event_type], message: 'the event names a section the payload does not carry' });
  });

export const INCIDENT_IO_UPDATED = 'public_incident.incident_updated_v2';
export const INCIDENT_IO_STATUS_UPDATED = 'public_incident.incident_status_updated_v2';

/** Status categories that mean the incident is over (incident.io: closed, post-incident, declined, canceled, merged). */
const CLOSED_CATEGORIES = new Set(['closed', 'learning', 'declined', 'canceled', 'merged']);

/** The incident and its status, when the event says them; undefined for any other event. */
export function incidentIoStatusOf(payload: Record<string, unknown> & { event_type: string }): { incidentId: string; status: { id: string; category: string } } | undefined {
  const section = payload[payload.event_type];
  if (payload.event_type === INCIDENT_IO_UPDATED) {
    const incident = incidentIoIncident.safeParse(section);
    return incident.success && incident.data.incident_status ? { incidentId: incident.data.id, status: incident.data.incident_status } : undefined;
  }
  if (payload.event_type === INCIDENT_IO_STATUS_UPDATED) {
    const change = z.object({ incident: incidentIoIncident, new_status: incidentIoStatus }).passthrough().safeParse(section);
    return change.success ? { incidentId: change.data.incident.id, status: change.data.new_status } : undefined;
  }
  return undefined;
}

/**
 * What an incident.io status asks of the alert: resolve once the incident is over; acknowledge when
 * it reached the status the destination acknowledges with (its `acknowledged_status_id`).
 */
export function incidentIoAction(incidentId: string, status: { id: string; category: string }, acknowledgedStatusId: string | undefined): ProviderAction | undefined {
  if (CLOSED_CATEGORIES.has(status.category)) return { action: 'resolve', incidentId, by: 'incident.io' };
  if (acknowledgedStatusId !== undefined && status.id === acknowledgedStatusId) return { action: 'acknowledge', incidentId, by: 'incident.io' };
  return undefined;
}
