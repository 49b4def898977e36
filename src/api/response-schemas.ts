// The API's answers as zod schemas: /openapi.json describes them (src/api/openapi/), the operator CLI
// (src/operator-cli) reads answers through them, and test/integration/openapi-answers.test.ts checks
// every route's real answers against the description, so all three hold the same shapes. Only
// domain modules are imported here: the CLI loads this file, and not the destinations' senders.
import { z } from 'zod';
import { escalationStepSchema } from '../domain/escalation';
import { groupPolicySchema } from '../domain/grouping';
import { muteWindowsSchema } from '../domain/mute-windows';
import { CIRCUIT_STATES, circuitPolicySchema } from '../domain/circuit';
import { rateLimitSchema } from '../domain/rate-limit';
import { ACTIONS } from '../domain/routing';
import { AUDIT_TARGETS } from '../domain/audit';
import { MATCH_OPERATORS } from '../domain/silences';
import { ALERT_STATUSES, SEVERITIES } from '../domain/alert';
import { DELIVERY_STATES, EVENT_DELIVERY_STATES } from '../domain/alert-state';
import { alertClosureSchema, alertPageSchema, alertStateSchema, attemptSchema, incidentSchema, terminationSchema, validationSchema } from '../domain/alert-state-schema';
import type { LegacyAlertState } from '../workflows/legacy/alert-v1-state';
import { SCOPES } from '../domain/api-scopes';
import { portalThemeSchema } from '../domain/tenants';
import { HEARTBEAT_STATUSES } from '../domain/heartbeats';

/** A destination's circuit breaker as it stands (README "Circuit breaker"). */
const circuitViewSchema = z.object({ state: z.enum(CIRCUIT_STATES), since: z.string(), consecutive_failures: z.number().int(), last_error: z.string().optional(), next_probe_at: z.string().optional() });

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const alertAcceptedSchema = z.object({
  id: z.string(),
  workflow_id: z.string(),
  status: z.enum(ALERT_STATUSES),
  deduplicated: z.boolean(),
  links: z.object({ self: z.string(), temporal_ui: z.string() }),
});

export const signalAcceptedSchema = z.object({
  id: z.string(),
  workflow_id: z.string().optional().describe('Absent from a redelivery\'s answer'),
  destination_id: z.string().optional().describe('Redelivery: the destination that is sent the failed events again'),
  action: z.enum(['update', 'acknowledge', 'unacknowledge', 'resolve', 'dismiss', 'redeliver']),
  accepted: z.literal(true),
  changed: z.boolean().optional().describe('Acknowledgements: false when the alert already stood so (nothing new was sent)'),
});

const alertLinksSchema = z.object({ self: z.string(), temporal_ui: z.string() });

/** GET /v1/alerts/{id}: the alert's state (src/domain/alert-state-schema.ts) and where to look further. */
export const alertStateAnswerSchema = alertStateSchema.extend({ links: alertLinksSchema });

const LEGACY_STATES = ['pending', 'delivering', 'retrying', 'delivered', 'failed', 'skipped'] as const;
/** GET /v1/alerts/{id} of an alert the first workflow version runs (src/workflows/legacy/alert-v1-state.ts). */
export const legacyAlertStateAnswerSchema = z
  .object({
    id: z.string(),
    workflow_id: z.string(),
    status: z.enum(ALERT_STATUSES),
    closure: alertClosureSchema.optional(),
    termination: terminationSchema.optional(),
    alert: z.looseObject({ id: z.string() }).describe('The alert as that workflow keeps it (only its id when the workflow ended without a result)'),
    delivery_state: z.enum(DELIVERY_STATES),
    destinations: z.array(
      z.object({
        destination_id: z.string(),
        name: z.string(),
        type: z.string(),
        rules: z.array(z.object({ id: z.string(), name: z.string() })),
        state: z.enum(LEGACY_STATES),
        incident: incidentSchema.optional(),
        events: z.array(z.object({ event_type: z.string(), delivery_id: z.string().optional(), state: z.enum(LEGACY_STATES), next_attempt_at: z.string().optional(), attempts: z.array(attemptSchema) })),
      }),
    ),
    skipped_destinations: z.array(z.object({ destination_id: z.string(), reason: z.string() })),
    links: alertLinksSchema,
  })
  .describe('An alert started before the read model, on the first workflow version: its state as that workflow keeps it');
/** GET /v1/alerts/{id}: either shape. */
export const alertAnswerSchema = z.union([alertStateAnswerSchema, legacyAlertStateAnswerSchema]);
// That workflow's own type stays with its frozen code (workflow code loads no zod): it must fit the schema.
const legacyFits: LegacyAlertState extends Omit<z.infer<typeof legacyAlertStateAnswerSchema>, 'links'> ? true : false = true;
void legacyFits;

/** GET /v1/alerts. */
export const alertListSchema = alertPageSchema;

const stored = { id: z.string(), created_at: z.string(), updated_at: z.string() };
const windowHealthSchema = z.object({
  attempts: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  success_ratio: z.number().optional().describe('Absent when nothing was sent in the window'),
  latency_ms: z.object({ p50: z.number(), p99: z.number() }).optional(),
});
/** GET /v1/destinations/{id}/health (README "Destination health"). */
export const destinationHealthSchema = z.object({
  destination_id: z.string(),
  as_of: z.string(),
  enabled: z.boolean(),
  needs_attention: z.string().nullable(),
  circuit: circuitViewSchema,
  windows: z.object({ last_hour: windowHealthSchema, last_day: windowHealthSchema }),
  last_errors: z.array(z.object({ at: z.string(), delivery_id: z.string(), status_code: z.number().int().optional(), error: z.string() })),
});
/** POST /v1/destinations/{id}/recover (README "Bulk recovery"). */
export const recoverySchema = z.object({
  destination_id: z.string(),
  since: z.string(),
  until: z.string(),
  alerts_queued: z.number().int(),
  events_queued: z.number().int(),
  alerts_ended: z.number().int(),
});

/** A destination as the API shows it: its secrets masked, except in the 201 of its creation. */
export const destinationSchema = z.object({
  ...stored,
  name: z.string(),
  type: z.string(),
  enabled: z.boolean(),
  retry_schedule: z.array(z.number()),
  timeout_s: z.number(),
  filters: z.object({ event_types: z.array(z.string()).optional(), actions: z.array(z.enum(ACTIONS)).optional(), severities: z.array(z.enum(SEVERITIES)).optional(), labels: z.record(z.string(), z.string()).optional() }),
  mute_windows: muteWindowsSchema,
  circuit_breaker: circuitPolicySchema,
  rate_limit: rateLimitSchema.nullable(),
  config: z.record(z.string(), z.unknown()).describe('The type\'s configuration (README "Destinations"), secrets masked'),
  target: z.string().describe('Where it sends, secrets masked'),
  needs_attention: z.string().nullable(),
  circuit: circuitViewSchema,
});
/** GET /v1/destinations. */
export const destinationListSchema = z.object({ data: z.array(destinationSchema) });
/** GET /v1/destinations/{id}/secret. */
export const signingSecretAnswerSchema = z.object({ signing_secret: z.string() });
/** POST /v1/destinations/{id}/secret/rotate: the new secret; the previous one signs too until then. */
export const secretRotationSchema = z.object({ signing_secret: z.string(), previous_secret_expires_at: z.string() });

export const ruleSchema = z.object({
  ...stored,
  name: z.string(),
  enabled: z.boolean(),
  match: z.object({ event_types: z.array(z.string()).optional(), severities: z.array(z.enum(SEVERITIES)).optional(), asset: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }),
  destination_ids: z.array(z.string()),
  group: groupPolicySchema.optional(),
  mute_windows: muteWindowsSchema,
  auto_resolve_after_s: z.number().int().optional(),
  escalation_policy_id: z.string().optional(),
});
/** GET /v1/rules. */
export const ruleListSchema = z.object({ data: z.array(ruleSchema) });

export const escalationPolicySchema = z.strictObject({
  ...stored,
  name: z.string(),
  description: z.string().optional(),
  steps: z.array(escalationStepSchema),
  repeat: z.number().int(),
  repeat_after_s: z.number().int().optional(),
  ack_timeout_s: z.number().int().optional(),
});
export const escalationPolicyListSchema = z.strictObject({ data: z.array(escalationPolicySchema) });

const groupFields = {
  id: z.string(),
  key_id: z.string(),
  episode: z.number().int(),
  name: z.string(),
  origin: z.union([z.object({ kind: z.literal('rule'), rule_id: z.string(), name: z.string() }), z.object({ kind: z.literal('sender'), source: z.string(), name: z.string(), group_key: z.string() })]),
  key: z.record(z.string(), z.string()),
  policy: groupPolicySchema,
  destination_ids: z.array(z.string()),
  status: z.enum(['firing', 'resolved']),
  firing_count: z.number().int(),
  member_count: z.number().int(),
  notified_at: z.string().optional(),
  created_at: z.string(),
  updated_at: z.string(),
  resolved_at: z.string().optional(),
};
export const groupSchema = z.object({ ...groupFields, notifications: z.number().int().describe('How many notifications the group sent') });
export const groupListSchema = z.object({ data: z.array(groupSchema), next_page_token: z.string().optional() });
export const groupDetailSchema = z.object({
  ...groupFields,
  members: z.array(z.object({ alert_id: z.string(), title: z.string(), severity: z.string(), status: z.enum(['firing', 'resolved']), joined_at: z.string(), resolved_at: z.string().optional() })).describe('The first 200 alerts that joined, in order'),
  notifications: z.array(
    z.object({
      sequence: z.number().int(),
      event_type: z.enum(['group.triggered', 'group.updated', 'group.resolved']),
      reason: z.enum(['group_wait', 'group_interval', 'repeat_interval', 'resolved']),
      firing_count: z.number().int(),
      resolved_count: z.number().int(),
      created_at: z.string(),
      deliveries: z.array(z.object({ destination_id: z.string(), delivery_id: z.string(), state: z.enum(EVENT_DELIVERY_STATES), attempts: z.number().int(), last_attempt: attemptSchema.optional(), next_attempt_at: z.string().optional(), muted_by: z.string().optional() })),
    }),
  ),
  destinations: z.array(z.object({ destination_id: z.string(), name: z.string(), type: z.string(), state: z.string(), incident: z.object({ provider: z.string(), id: z.string(), reference: z.string().optional(), url: z.string().optional(), status: z.string() }).optional() })),
});
export const testResultSchema = z.object({
  success: z.boolean(),
  duration_ms: z.number(),
  status_code: z.number().int().optional(),
  error: z.string().optional(),
  note: z.string().optional(),
  incident: incidentSchema.optional().describe('The incident the test opened (incident.io, PagerDuty)'),
  validators: z.array(validationSchema),
  request: z.object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()), body: z.string() }).optional(),
  response: z.object({ status: z.number().int(), headers: z.record(z.string(), z.string()), body: z.string(), truncated: z.boolean() }).optional(),
});

export const sourceResultSchema = z.object({
  accepted: z.array(z.object({ index: z.number().int(), id: z.string(), action: z.enum(['trigger', 'resolve']), result: z.enum(['accepted', 'deduplicated', 'already_closed', 'unknown_alert']) })),
  rejected: z.array(z.object({ index: z.number().int(), problems: z.array(z.object({ path: z.string(), message: z.string() })) })),
});

export const auditListSchema = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      key_id: z.string(),
      scopes: z.array(z.enum(SCOPES)),
      action: z.string(),
      target: z.object({ type: z.enum(AUDIT_TARGETS), id: z.string() }),
      changes: z.record(z.string(), z.object({ from: z.unknown().optional(), to: z.unknown().optional() })).optional(),
      link: z.string().optional(),
      tenant: z.string().optional().describe('The tenant the change was made in; absent for the operator\'s own (tenants, keys of no tenant) and entries from before tenants'),
    }),
  ),
  next_page_token: z.string().optional(),
});

export const silenceSchema = z.object({
  id: z.string(),
  matchers: z.array(z.object({ name: z.string(), op: z.enum(MATCH_OPERATORS), value: z.string() })),
  asset: z.string().optional(),
  starts_at: z.string(),
  ends_at: z.string(),
  expired_at: z.string().optional(),
  created_by: z.string(),
  comment: z.string(),
  expire_on_resolve: z.boolean(),
  created_at: z.string(),
  state: z.enum(['pending', 'active', 'expired']),
  holding: z.array(z.string()).optional().describe('GET one: the open alerts it holds now'),
  released: z.array(z.string()).optional().describe('DELETE: the alerts it held, told to look again'),
});
export const silenceListSchema = z.object({ data: z.array(silenceSchema) });

export const heartbeatSchema = z.object({
  name: z.string(),
  interval_s: z.number().int(),
  grace_s: z.number().int(),
  alert: z.object({ title: z.string().optional(), description: z.string().optional(), severity: z.enum(SEVERITIES), labels: z.record(z.string(), z.string()) }),
  destination_ids: z.array(z.string()),
  status: z.enum(HEARTBEAT_STATUSES),
  created_at: z.string(),
  last_ping_at: z.string().optional(),
  deadline_at: z.string().describe('The alert is raised if no ping comes by then (while not down)'),
  alert_id: z.string().optional().describe('The open alert of the current miss, while down'),
  misses: z.number().int(),
  ping_url: z.string(),
  token: z.string().optional().describe('Create only: the ping token, shown this once'),
  ping_url_with_token: z.string().optional().describe('Create only: pings without an API key (GET or POST)'),
});
export const heartbeatListSchema = z.object({ data: z.array(heartbeatSchema) });
const bySeverity = z.object(Object.fromEntries(SEVERITIES.map((s) => [s, z.number().int()])) as Record<(typeof SEVERITIES)[number], z.ZodNumber>);

/** GET /v1/overview (README "Operator console"). */
export const overviewSchema = z.object({
  as_of: z.string(),
  window: z.enum(['hour', 'day']),
  bucket_s: z.number().int(),
  destination_id: z.string().optional(),
  alerts: z.object({ triggered: bySeverity, acknowledged: bySeverity, failed_delivery: bySeverity.describe('Alerts (open or closed) with an event that failed for good somewhere') }),
  destinations: z.object({
    attention: z.array(z.object({ id: z.string(), name: z.string(), type: z.string(), reason: z.enum(['needs_attention', 'circuit_open', 'failing']), detail: z.string() })),
  }),
  deliveries: z
    .array(z.object({ t: z.string().describe('The bucket\'s start'), delivered: z.number().int(), retried: z.number().int(), failed: z.number().int(), p50_ms: z.number().optional(), p99_ms: z.number().optional() }))
    .describe('Attempts per bucket, oldest first: delivered, failed and retried later, failed for good; latency over all of them'),
});

/** What a provider's webhook did to the alerts behind its incident (README "Provider webhooks in"). */
export const providerWebhookResultSchema = z.object({
  event_type: z.string(),
  incident: z.string().optional().describe('The incident id (PagerDuty: the dedup key Herald sent); absent when the event was ignored'),
  ignored: z.string().optional().describe('Why nothing was done: an event Herald does not act on'),
  results: z.array(
    z.object({
      alert_id: z.string(),
      action: z.enum(['acknowledge', 'unacknowledge', 'resolve']),
      result: z.enum(['accepted', 'unchanged', 'already_closed']).describe('`unchanged`: the alert already was so (an echo of what Herald sent there)'),
    }),
  ),
});

export const pingAcceptedSchema = z.object({ name: z.string(), status: z.enum(HEARTBEAT_STATUSES), deadline_at: z.string(), accepted: z.literal(true) });

export const inhibitRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  source_matchers: silenceSchema.shape.matchers,
  target_matchers: silenceSchema.shape.matchers,
  equal: z.array(z.string()),
  created_at: z.string(),
});
export const inhibitRuleListSchema = z.object({ data: z.array(inhibitRuleSchema) });

/** GET /healthz. */
export const healthSchema = z.object({ status: z.literal('ok') });
/** GET /readyz: Temporal and the store answered. */
export const readinessSchema = z.object({ status: z.literal('ready') });
/** GET /openapi.json: an OpenAPI 3.1 document. */
export const openApiDocumentSchema = z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) });

/** A tenant (README "Serving your customers"). */
export const tenantSchema = z.strictObject({
  ...stored,
  name: z.string(),
  ingest_per_second: z.number().nullable(),
  max_destinations: z.number().int().nullable(),
  retention_days: z.number().int().nullable(),
  deleting_since: z.string().nullable().describe('When DELETE asked for the tenant\'s purge; null while it is in use. Once the purge is done the tenant answers 404'),
  portal_origins: z.array(z.string()).describe('The origins whose pages may embed the tenant\'s portal'),
  portal_theme: portalThemeSchema.nullable(),
});
export const tenantListSchema = z.object({ data: z.array(tenantSchema) });

/** A tenant's key as lists show it: its id (as the audit log names it), scopes and first characters, never the key. */
export const tenantKeySchema = z.strictObject({
  id: z.string(),
  tenant_id: z.string(),
  scopes: z.array(z.enum(SCOPES)),
  prefix: z.string().describe('The key\'s first characters, to tell it from the tenant\'s others'),
  created_at: z.string(),
});
export const tenantKeyCreatedSchema = tenantKeySchema.extend({ key: z.string().describe('The key itself: shown in this answer only') });
export const tenantKeyListSchema = z.object({ data: z.array(tenantKeySchema) });

/** POST /v1/tenants/{tenant}/portal-links: the link to hand to the customer's browser, shown once. */
export const portalLinkSchema = z.strictObject({
  id: z.string().describe('The link\'s id, as the audit log and the portal page\'s path name it'),
  url: z.string().describe('<public url>/portal/<id>#<secret>: the secret is in the fragment, which browsers never send to a server; shown in this answer only'),
  expires_at: z.string().describe('When the link, and the portal page opened with it, stop working'),
  read_only: z.boolean(),
});
