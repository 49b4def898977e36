// The inbound alert and the states an alert moves through (docs/architecture.md).
import { z } from 'zod';
import { nonBlank } from './non-blank';

export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

// Alert ids become part of the workflow ID and of delivery ids sent in headers, so they are kept to a
// header- and URL-safe alphabet.
export const ALERT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;

/** Labels become filters, routing input and search text: a bounded number of them (README "API"). */
export const MAX_LABELS = 100;
export const MAX_LINKS = 50;
/** A record holds at most `n` keys (a refinement: give it `maxProperties` too for /openapi.json). */
export const atMost = (n: number) => (record: Record<string, unknown>) => Object.keys(record).length <= n;

// The counts are refinements, which /openapi.json would not show: `maxProperties` says them there;
// `propertyNames` says the key rules, which its converter (src/api/openapi) does not read off a record.
const labels = z
  .record(z.string().max(200), z.string().max(1000))
  .refine(atMost(MAX_LABELS), { message: `at most ${MAX_LABELS} labels` })
  .meta({ maxProperties: MAX_LABELS, propertyNames: { type: 'string', maxLength: 200 } });

/** Labels a rule, filter or heartbeat matches or sets: names of 1 to 200 characters. */
export const labelMapSchema = z.record(z.string().min(1).max(200), z.string().max(1000)).meta({ propertyNames: { type: 'string', minLength: 1, maxLength: 200 } });
const links = z.record(z.string(), z.string().max(2000)).refine(atMost(MAX_LINKS), { message: `at most ${MAX_LINKS} links` }).meta({ maxProperties: MAX_LINKS });

/** Seconds without news after which an alert resolves itself (README "Auto-resolve"): a minute to 90 days. */
export const autoResolveAfterS = z.number().int().min(60).max(90 * 86_400).describe('Resolve the alert by itself after this many seconds without news (README "Auto-resolve")');

export const inboundAlertSchema = z.looseObject({
  id: z
    .string()
    .regex(ALERT_ID_PATTERN, 'must be 1-200 characters of letters, digits, "_", ".", ":" or "-", starting with a letter or digit')
    .optional(),
  title: nonBlank(500),
  description: z.string().max(20_000).optional(),
  severity: z.enum(SEVERITIES).default('warning'),
  rule_name: z.string().max(500).optional(),
  alert_type: z.string().max(200).optional(),
  labels: labels.default({}),
  event: z
    .looseObject({
      type: z.string().min(1).max(200),
      change_type: z.string().max(200).optional(),
      asset: z
        .looseObject({ qualified_name: z.string().max(1000), asset_type: z.string().max(200).optional() })
        .optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    })
    .default({ type: 'generic' }),
  links: links.default({}),
  destinations: z.array(z.string().min(1)).max(100).default([]),
  auto_resolve_after_s: autoResolveAfterS.optional(),
});

export type InboundAlert = z.infer<typeof inboundAlertSchema>;

type KnownFields = Omit<z.infer<ReturnType<typeof inboundAlertSchema.strip>>, 'destinations' | 'id'>;

/**
 * The alert as the workflow keeps it: the inbound fields minus routing, with its id and arrival time
 * fixed. Fields beyond the known ones are kept and passed through to destinations.
 */
export type Alert = KnownFields & { id: string; created_at: string } & Record<string, unknown>;

/**
 * `terminated`: the alert's workflow ended without closing it (terminated by an operator, failed or
 * timed out); the read model says why. The others are the alert's own life: `triggered`, then
 * `acknowledged` while somebody said they are on it (README "Acknowledge"), then one closing status.
 */
export const ALERT_STATUSES = ['triggered', 'acknowledged', 'resolved', 'dismissed', 'expired', 'terminated'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** The statuses of an alert that is still open: it takes updates, acknowledgements and a close. */
export const OPEN_STATUSES = ['triggered', 'acknowledged'] as const satisfies readonly AlertStatus[];
export const isOpen = (status: string): boolean => (OPEN_STATUSES as readonly string[]).includes(status);

/** Saying "I'm on it", and taking it back (README "Acknowledge"). */
export const ACK_ACTIONS = ['acknowledge', 'unacknowledge'] as const;
export type AckAction = (typeof ACK_ACTIONS)[number];

/**
 * One acknowledgement or its withdrawal, as the store keeps the alert's newest ones and the
 * workflow hears them: which event of the alert it is, and until when an acknowledgement holds.
 */
export type AckMark = { sequence: number; action: AckAction; by?: string; at: string; until?: string };

export { CLOSE_ACTIONS, type CloseAction } from './close-actions';

/** POST /v1/alerts/{id}/events: new information about an open alert (Anomify's correlation results). */
export const alertUpdateSchema = z.strictObject({
  title: nonBlank(500).optional(),
  description: z.string().max(20_000).optional(),
  severity: z.enum(SEVERITIES).optional(),
  labels: labels.optional(),
  links: links.optional(),
  event: z
    .looseObject({
      change_type: z.string().max(200).optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  /** Anything else the source knows now; kept under `alert.updates` for destinations. */
  data: z.record(z.string(), z.unknown()).optional(),
});

export type AlertUpdate = z.infer<typeof alertUpdateSchema>;

/**
 * An alert's key: its row in the store and its workflow's id (README "Serving your customers"). The
 * default tenant's alert keeps its own id, so alerts from before tenants and their workflows are
 * unchanged; another tenant's goes behind its tenant id: `acme/db-lag`. Neither alphabet has "/"
 * (ALERT_ID_PATTERN, src/domain/tenants.ts), so two tenants' keys never meet.
 */
export function alertKeyFor(tenant: string, alertId: string): string {
  return tenant === 'default' ? alertId : `${tenant}/${alertId}`;
}

/** The id the tenant gave an alert, from its key (the inverse of alertKeyFor for that tenant). */
export function alertIdIn(tenant: string, key: string): string {
  return tenant === 'default' ? key : key.slice(tenant.length + 1);
}

const WORKFLOW_ID_PREFIX = 'alert:';

export function workflowIdFor(alertId: string): string {
  return `${WORKFLOW_ID_PREFIX}${alertId}`;
}

/** The inverse of workflowIdFor; undefined for a workflow that is not an alert's. */
export function alertIdFromWorkflowId(workflowId: string): string | undefined {
  return workflowId.startsWith(WORKFLOW_ID_PREFIX) ? workflowId.slice(WORKFLOW_ID_PREFIX.length) : undefined;
}
