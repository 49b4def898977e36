// GET /openapi.json: the API described from the same zod schemas that validate requests, so the
// document cannot drift from what the API accepts; answers are described by src/api/response-schemas.ts.
import { z } from 'zod';
import { alertUpdateSchema, inboundAlertSchema } from '../domain/alert';
import { destinationCreateSchema, destinationPatchSchema } from '../destinations/schema';
import { amEntrySchema, amPayloadSchema } from '../domain/sources/alertmanager';
import { VERSION } from '../version';
import { acknowledgeSchema, closureSchema, listQuerySchema, unacknowledgeSchema } from './alerts';
import { auditListQuery } from './audit';
import { instantSchema, MAX_INSTANT_MS } from '../domain/timestamps';
import { ruleInputSchema, rulePatchSchema } from './rules';
import { escalationPolicyPatchSchema } from './escalation-policies';
import { escalationPolicyInputSchema } from '../domain/escalation';
import { recoverInputSchema } from './destinations';
import { groupListQuerySchema } from './groups';
import { sourceQuerySchema } from './sources';
import { silenceListQuerySchema } from './silences';
import { silenceInputSchema } from '../domain/silences';
import { heartbeatInputSchema } from '../domain/heartbeats';
import { inhibitRuleInputSchema } from '../domain/inhibition';
import {
  alertAcceptedSchema,
  alertListSchema,
  alertStateSchema,
  auditListSchema,
  destinationHealthSchema,
  destinationListSchema,
  destinationSchema,
  recoverySchema,
  errorSchema,
  groupDetailSchema,
  groupListSchema,
  silenceListSchema,
  silenceSchema,
  heartbeatListSchema,
  heartbeatSchema,
  pingAcceptedSchema,
  inhibitRuleListSchema,
  inhibitRuleSchema,
  ruleSchema,
  signalAcceptedSchema,
  sourceResultSchema,
  escalationPolicySchema,
  escalationPolicyListSchema,
  testResultSchema,
  providerWebhookResultSchema,
  overviewSchema,
} from './response-schemas';
import { overviewQuerySchema } from './overview';
import { incidentIoWebhookSchema, pagerdutyWebhookSchema } from '../domain/provider-webhooks';

const schemas = {
  // Entries are checked one by one (a bad one is listed in `rejected`), but documented as they must be.
  AlertmanagerPayload: amPayloadSchema.extend({ alerts: z.array(amEntrySchema).min(1) }),
  SourceResult: sourceResultSchema,
  PagerDutyWebhook: pagerdutyWebhookSchema,
  IncidentIoWebhook: incidentIoWebhookSchema,
  ProviderWebhookResult: providerWebhookResultSchema,
  Overview: overviewSchema,
  Error: errorSchema,
  InboundAlert: inboundAlertSchema,
  AlertAccepted: alertAcceptedSchema,
  AlertUpdate: alertUpdateSchema,
  Closure: closureSchema,
  Acknowledgement: acknowledgeSchema,
  Unacknowledgement: unacknowledgeSchema,
  SignalAccepted: signalAcceptedSchema,
  AlertState: alertStateSchema,
  AlertList: alertListSchema,
  DestinationInput: destinationCreateSchema,
  DestinationPatch: destinationPatchSchema,
  Destination: destinationSchema,
  DestinationList: destinationListSchema,
  DestinationTestResult: testResultSchema,
  DestinationHealth: destinationHealthSchema,
  RecoverInput: recoverInputSchema,
  Recovery: recoverySchema,
  EscalationPolicyInput: escalationPolicyInputSchema,
  EscalationPolicyPatch: escalationPolicyPatchSchema,
  EscalationPolicy: escalationPolicySchema,
  EscalationPolicyList: escalationPolicyListSchema,
  RuleInput: ruleInputSchema,
  RulePatch: rulePatchSchema,
  Rule: ruleSchema,
  GroupList: groupListSchema,
  Group: groupDetailSchema,
  SilenceInput: silenceInputSchema,
  Silence: silenceSchema,
  SilenceList: silenceListSchema,
  InhibitRuleInput: inhibitRuleInputSchema,
  InhibitRule: inhibitRuleSchema,
  InhibitRuleList: inhibitRuleListSchema,
  AuditList: auditListSchema,
  HeartbeatInput: heartbeatInputSchema,
  Heartbeat: heartbeatSchema,
  HeartbeatList: heartbeatListSchema,
  PingAccepted: pingAcceptedSchema,
};

type SchemaName = keyof typeof schemas;
const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: SchemaName) => ({ 'application/json': { schema: ref(name) } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), { description: ERROR_MEANING[s] ?? 'error', content: json('Error') }]));
const ERROR_MEANING: Record<number, string> = {
  400: 'invalid request: the fields are named in details',
  401: 'missing or wrong API key',
  403: 'the API key lacks the scope this route needs (details.required_scope)',
  429: 'this API key is over its rate limit: retry after Retry-After',
  404: 'no such resource',
  409: 'conflict (closed alert, taken name, nothing to redeliver)',
  413: 'body over 1 MiB',
  422: 'unknown destination ids',
  503: 'Temporal (or a worker) unreachable: nothing was changed; retry after Retry-After',
};

type Operation = {
  summary: string;
  body?: SchemaName;
  /** The body may be left out (a closure's fields are all optional). */
  bodyOptional?: boolean;
  ok: [number, SchemaName | null];
  /** Another success answer, e.g. 200 for a deduplicated trigger. */
  alsoOk?: [number, SchemaName | null, string];
  errors: number[];
  /** Meanings of this operation's own error answers, where the shared one says too little. */
  meanings?: Record<number, string>;
  query?: { shape: Record<string, z.ZodType> };
  /** OpenAPI links from the success answer to the operations it gives the ids for. */
  links?: Record<string, Link>;
};

type Link = { operationRef: string; parameters: Record<string, string> };
/** A link to `method path`, its path parameters taken from runtime expressions such as `$response.body#/id`. */
const linkTo = (method: string, path: string, parameters: Record<string, string>): Link => ({
  // A JSON pointer into this document, as a URI reference (so the braces are percent-encoded).
  operationRef: `#/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1').replaceAll('{', '%7B').replaceAll('}', '%7D')}/${method}`,
  parameters,
});
const byId = { id: '$response.body#/id' };
const destinationLinks = {
  GetDestination: linkTo('get', '/v1/destinations/{id}', byId),
  PatchDestination: linkTo('patch', '/v1/destinations/{id}', byId),
  DeleteDestination: linkTo('delete', '/v1/destinations/{id}', byId),
  GetSigningSecret: linkTo('get', '/v1/destinations/{id}/secret', byId),
  RotateSigningSecret: linkTo('post', '/v1/destinations/{id}/secret/rotate', byId),
  TestDestination: linkTo('post', '/v1/destinations/{id}/test', byId),
  DestinationHealth: linkTo('get', '/v1/destinations/{id}/health', byId),
  RecoverDestination: linkTo('post', '/v1/destinations/{id}/recover', byId),
};
// No link to DELETE: it expires the silence, which stays readable (README "Silences"), and a client
// following links would take a DELETE then GET answered 200 for a removal that did not happen.
const byName = { name: '$response.body#/name' };
const heartbeatLinks = {
  GetHeartbeat: linkTo('get', '/v1/heartbeats/{name}', byName),
  PingHeartbeat: linkTo('post', '/v1/heartbeats/{name}/ping', byName),
  DeleteHeartbeat: linkTo('delete', '/v1/heartbeats/{name}', byName),
};
const silenceLinks = {
  GetSilence: linkTo('get', '/v1/silences/{id}', byId),
};
const inhibitRuleLinks = {
  GetInhibitRule: linkTo('get', '/v1/inhibit-rules/{id}', byId),
  DeleteInhibitRule: linkTo('delete', '/v1/inhibit-rules/{id}', byId),
};
const ruleLinks = {
  GetRule: linkTo('get', '/v1/rules/{id}', byId),
  PatchRule: linkTo('patch', '/v1/rules/{id}', byId),
  DeleteRule: linkTo('delete', '/v1/rules/{id}', byId),
};
const policyLinks = {
  GetEscalationPolicy: linkTo('get', '/v1/escalation-policies/{id}', byId),
  PatchEscalationPolicy: linkTo('patch', '/v1/escalation-policies/{id}', byId),
  DeleteEscalationPolicy: linkTo('delete', '/v1/escalation-policies/{id}', byId),
};
const alertLinks = {
  GetAlert: linkTo('get', '/v1/alerts/{id}', byId),
  UpdateAlert: linkTo('post', '/v1/alerts/{id}/events', byId),
  AcknowledgeAlert: linkTo('post', '/v1/alerts/{id}/acknowledge', byId),
  UnacknowledgeAlert: linkTo('post', '/v1/alerts/{id}/unacknowledge', byId),
  ResolveAlert: linkTo('post', '/v1/alerts/{id}/resolve', byId),
  DismissAlert: linkTo('post', '/v1/alerts/{id}/dismiss', byId),
  RedeliverAlert: linkTo('post', '/v1/alerts/{id}/deliveries/{destination_id}/redeliver', { ...byId, destination_id: '$request.body#/destinations/0' }),
};

/** An instant is checked by code, not by its union of string and number: say what it accepts. */
function documentInstant(ctx: { zodSchema: unknown; jsonSchema: Record<string, unknown> }): void {
  if (ctx.zodSchema !== instantSchema) return;
  for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
  Object.assign(ctx.jsonSchema, {
    description: 'an ISO 8601 date-time with an offset from 1970 on, or epoch seconds or milliseconds (a number, or a string of digits)',
    anyOf: [
      { type: 'string', format: 'date-time', pattern: '^(19[7-9][0-9]|[2-9][0-9]{3})-' },
      { type: 'string', pattern: '^[0-9]{1,14}(\\.[0-9]+)?$' },
      { type: 'number', minimum: 0, maximum: MAX_INSTANT_MS },
    ],
  });
}

/** A query parameter's schema as the validation has it (a coerced number documented as an integer). */
function querySchema(field: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...schema } = z.toJSONSchema(field, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return schema;
}

function operation(op: Operation) {
  return {
    summary: op.summary,
    ...(op.query && {
      parameters: Object.entries(op.query.shape).map(([name, field]) => ({ name, in: 'query', required: false, schema: querySchema(field) })),
    }),
    ...(op.body && { requestBody: { required: !op.bodyOptional, content: json(op.body) } }),
    responses: {
      [String(op.ok[0])]: { description: 'success', ...(op.ok[1] && { content: json(op.ok[1]) }), ...(op.links && { links: op.links }) },
      ...(op.alsoOk && { [String(op.alsoOk[0])]: { description: op.alsoOk[2], ...(op.alsoOk[1] && { content: json(op.alsoOk[1]) }), ...(op.links && { links: op.links }) } }),
      ...errors(401, 403, 429, ...op.errors),
      ...Object.fromEntries(Object.entries(op.meanings ?? {}).map(([status, description]) => [status, { description, content: json('Error') }])),
    },
  };
}

const idParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

export function openApiDocument(): Record<string, unknown> {
  const components: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const { $schema: _drop, $defs, ...converted } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any', override: documentInstant }) as Record<string, unknown>;
    // Recursive parts (a body template is any JSON) come as local definitions: lift them into components.
    const lifted = (text: string) => text.replace(/#\/\$defs\/([\w-]+)/g, `#/components/schemas/${name}_$1`);
    for (const [defName, def] of Object.entries(($defs as Record<string, unknown>) ?? {})) components[`${name}_${defName}`] = JSON.parse(lifted(JSON.stringify(def)));
    components[name] = JSON.parse(lifted(JSON.stringify(converted)));
  }
  const alertId = [idParam('id')];
  return {
    openapi: '3.1.0',
    info: { title: 'Herald', version: VERSION, description: 'Durable alert dispatcher on Temporal. Every /v1 route needs `Authorization: Bearer <key>`.' },
    components: { schemas: components, securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
    security: [{ apiKey: [] }],
    paths: {
      '/v1/alerts': {
        post: operation({ summary: 'Trigger an alert (202; 200 with deduplicated for an open duplicate)', body: 'InboundAlert', ok: [202, 'AlertAccepted'], alsoOk: [200, 'AlertAccepted', 'an open alert with this id exists: deduplicated, nothing new started'], errors: [400, 409, 413, 422, 503], links: alertLinks }),
        get: operation({ summary: 'List alerts from Temporal visibility', ok: [200, 'AlertList'], errors: [400, 503], query: listQuerySchema }),
      },
      '/v1/alerts/{id}': { parameters: alertId, get: operation({ summary: 'Alert state: every destination, event and attempt', ok: [200, 'AlertState'], errors: [404, 503] }) },
      '/v1/alerts/{id}/events': { parameters: alertId, post: operation({ summary: 'Update an open alert', body: 'AlertUpdate', ok: [202, 'SignalAccepted'], errors: [400, 404, 409, 503] }) },
      '/v1/alerts/{id}/acknowledge': { parameters: alertId, post: operation({ summary: 'Acknowledge: somebody is on it. Every destination that heard of the alert hears it, in order; with `until`, the alert returns to triggered then if still open. The same acknowledgement again changes nothing (`changed: false`)', body: 'Acknowledgement', bodyOptional: true, ok: [202, 'SignalAccepted'], errors: [400, 404, 409, 503] }) },
      '/v1/alerts/{id}/unacknowledge': { parameters: alertId, post: operation({ summary: 'Take the acknowledgement back: the alert is triggered again', body: 'Unacknowledgement', bodyOptional: true, ok: [202, 'SignalAccepted'], errors: [400, 404, 409, 503] }) },
      '/v1/alerts/{id}/resolve': { parameters: alertId, post: operation({ summary: 'Resolve', body: 'Closure', bodyOptional: true, ok: [202, 'SignalAccepted'], errors: [400, 404, 409, 503] }) },
      '/v1/alerts/{id}/dismiss': { parameters: alertId, post: operation({ summary: 'Dismiss', body: 'Closure', bodyOptional: true, ok: [202, 'SignalAccepted'], errors: [400, 404, 409, 503] }) },
      '/v1/alerts/{id}/deliveries/{destination_id}/redeliver': {
        parameters: [idParam('id'), idParam('destination_id')],
        post: operation({ summary: 'Redeliver the failed events of one destination', ok: [202, 'SignalAccepted'], errors: [404, 409, 503] }),
      },
      '/v1/sources/alertmanager': {
        post: operation({ summary: 'Alertmanager webhook receiver (payload version 4): firing entries trigger, resolved entries resolve. Entries are checked one by one: the good ones are accepted even when others are not (those are listed in `rejected`); 400 when none is good', body: 'AlertmanagerPayload', ok: [200, 'SourceResult'], errors: [400, 503], query: sourceQuerySchema }),
      },
      '/v1/sources/grafana': {
        post: operation({ summary: 'Grafana alerting webhook contact point (the same mapping, entries checked one by one)', body: 'AlertmanagerPayload', ok: [200, 'SourceResult'], errors: [400, 503], query: sourceQuerySchema }),
      },
      '/v1/sources/pagerduty': {
        post: {
          ...operation({
            summary: 'PagerDuty v3 webhooks (README "Provider webhooks in"): incident.acknowledged, .unacknowledged and .resolved act on the alert behind the incident; signed with X-PagerDuty-Signature instead of an API key',
            body: 'PagerDutyWebhook',
            ok: [200, 'ProviderWebhookResult'],
            errors: [400, 503],
            meanings: { 401: 'the signature matches none of HERALD_PAGERDUTY_WEBHOOK_SECRETS', 404: 'off: HERALD_PAGERDUTY_WEBHOOK_SECRETS is not set' },
          }),
          security: [],
        },
      },
      '/v1/sources/incident-io': {
        post: {
          ...operation({
            summary: 'incident.io incident webhooks (README "Provider webhooks in"): closing the incident resolves the alert behind it, its acknowledged status acknowledges; signed as Svix signs (webhook-id, webhook-timestamp, webhook-signature) instead of an API key',
            body: 'IncidentIoWebhook',
            ok: [200, 'ProviderWebhookResult'],
            errors: [400, 503],
            meanings: { 401: 'the signature matches none of HERALD_INCIDENT_IO_WEBHOOK_SECRETS, or is older than 5 minutes', 404: 'off: HERALD_INCIDENT_IO_WEBHOOK_SECRETS is not set' },
          }),
          security: [],
        },
      },
      '/v1/overview': {
        get: operation({ summary: 'Is everything all right? Open alerts by severity, destinations to look at, deliveries over the last hour or day (README "Operator console")', ok: [200, 'Overview'], errors: [400], query: overviewQuerySchema }),
      },
      '/v1/groups': {
        get: operation({ summary: 'Alert groups, newest first (README "Grouping")', ok: [200, 'GroupList'], errors: [400], query: groupListQuerySchema }),
      },
      '/v1/silences': {
        post: operation({ summary: 'Create a silence: alerts it matches when they trigger are held until it ends (README "Silences")', body: 'SilenceInput', ok: [201, 'Silence'], errors: [400], links: silenceLinks }),
        get: operation({ summary: 'Silences, newest first', ok: [200, 'SilenceList'], errors: [400], query: silenceListQuerySchema }),
      },
      '/v1/silences/{id}': {
        parameters: [idParam('id')],
        get: operation({ summary: 'A silence and the alerts it holds now', ok: [200, 'Silence'], errors: [404] }),
        delete: operation({ summary: 'Expire the silence now: the alerts it held are delivered if they still fire', ok: [200, 'Silence'], errors: [404, 503] }),
      },
      '/v1/heartbeats': {
        post: operation({ summary: 'Create a heartbeat, a dead man\'s switch (README "Heartbeats"): no ping for interval_s + grace_s raises its alert; the answer shows the ping token once', body: 'HeartbeatInput', ok: [201, 'Heartbeat'], errors: [400, 409, 503], links: heartbeatLinks }),
        get: operation({ summary: 'Heartbeats', ok: [200, 'HeartbeatList'], errors: [] }),
      },
      '/v1/heartbeats/{name}': {
        parameters: [idParam('name')],
        get: operation({ summary: 'A heartbeat', ok: [200, 'Heartbeat'], errors: [404] }),
        delete: operation({ summary: 'Delete a heartbeat: its open alert is resolved', ok: [204, null], errors: [404, 503] }),
      },
      '/v1/heartbeats/{name}/ping': {
        parameters: [idParam('name')],
        post: operation({ summary: 'Ping: the next deadline counts from now; a heartbeat that is down is resolved', ok: [202, 'PingAccepted'], errors: [404, 503] }),
      },
      '/v1/heartbeats/{name}/ping/{token}': {
        parameters: [idParam('name'), idParam('token')],
        get: { ...operation({ summary: 'Ping with the heartbeat\'s token instead of an API key (for cron jobs and Alertmanager\'s Watchdog)', ok: [202, 'PingAccepted'], errors: [404, 503] }), security: [] },
        post: { ...operation({ summary: 'Ping with the heartbeat\'s token instead of an API key', ok: [202, 'PingAccepted'], errors: [404, 503] }), security: [] },
      },
      '/v1/inhibit-rules': {
        post: operation({ summary: 'Create an inhibition rule (README "Inhibition")', body: 'InhibitRuleInput', ok: [201, 'InhibitRule'], errors: [400], links: inhibitRuleLinks }),
        get: operation({ summary: 'Inhibition rules', ok: [200, 'InhibitRuleList'], errors: [] }),
      },
      '/v1/inhibit-rules/{id}': {
        parameters: [idParam('id')],
        get: operation({ summary: 'An inhibition rule', ok: [200, 'InhibitRule'], errors: [404] }),
        delete: operation({ summary: 'Delete an inhibition rule', ok: [204, null], errors: [404] }),
      },
      '/v1/groups/{id}': {
        parameters: [idParam('id')],
        get: operation({ summary: 'A group: its alerts, notifications and their deliveries, its destinations and incidents', ok: [200, 'Group'], errors: [404] }),
      },
      '/v1/destinations': {
        post: operation({ summary: 'Create a destination (the 201 shows its secrets once)', body: 'DestinationInput', ok: [201, 'Destination'], errors: [400, 409], links: destinationLinks }),
        get: operation({ summary: 'List destinations (secrets masked)', ok: [200, 'DestinationList'], errors: [] }),
      },
      '/v1/destinations/test': { post: operation({ summary: 'Send a test event to an unsaved destination', body: 'DestinationInput', ok: [200, 'DestinationTestResult'], errors: [400] }) },
      '/v1/destinations/{id}': {
        parameters: [idParam('id')],
        get: operation({ summary: 'A destination (secrets masked)', ok: [200, 'Destination'], errors: [404] }),
        patch: operation({ summary: 'Change a destination (masked secrets sent back are kept)', body: 'DestinationPatch', ok: [200, 'Destination'], errors: [400, 404, 409] }),
        delete: operation({ summary: 'Delete a destination', ok: [204, null], errors: [404] }),
      },
      '/v1/destinations/{id}/secret': { parameters: [idParam('id')], get: operation({ summary: 'The signing secret in full', ok: [200, null], errors: [404], meanings: { 409: 'the destination is of a type without a signing secret, e.g. incident.io, PagerDuty or Slack (no_signing_secret)' } }) },
      '/v1/destinations/{id}/secret/rotate': { parameters: [idParam('id')], post: operation({ summary: 'Rotate the signing secret (both sign for 24 h)', ok: [200, null], errors: [404, 409] }) },
      '/v1/destinations/{id}/test': { parameters: [idParam('id')], post: operation({ summary: 'Send a test event now; answers the invocation data', ok: [200, 'DestinationTestResult'], errors: [404] }) },
      '/v1/destinations/{id}/health': { parameters: [idParam('id')], get: operation({ summary: 'Attempts, success ratio, p50/p99 latency and the last errors over the last hour and day', ok: [200, 'DestinationHealth'], errors: [404] }) },
      '/v1/destinations/{id}/recover': { parameters: [idParam('id')], post: operation({ summary: 'Redeliver every event that failed at this destination and was created in [since, until), each in its alert\'s order (202: queued)', body: 'RecoverInput', ok: [202, 'Recovery'], errors: [400, 404, 503] }) },
      '/v1/rules': {
        post: operation({ summary: 'Create a routing rule', body: 'RuleInput', ok: [201, 'Rule'], errors: [400, 409, 422], links: ruleLinks }),
        get: operation({ summary: 'List routing rules', ok: [200, null], errors: [] }),
      },
      '/v1/rules/{id}': {
        parameters: [idParam('id')],
        get: operation({ summary: 'A routing rule', ok: [200, 'Rule'], errors: [404] }),
        patch: operation({ summary: 'Change a routing rule', body: 'RulePatch', ok: [200, 'Rule'], errors: [400, 404, 409, 422] }),
        delete: operation({ summary: 'Delete a routing rule', ok: [204, null], errors: [404] }),
      },
      '/v1/escalation-policies': {
        post: operation({ summary: 'Create an escalation policy (README "Escalation policies")', body: 'EscalationPolicyInput', ok: [201, 'EscalationPolicy'], errors: [400, 409, 422], links: policyLinks }),
        get: operation({ summary: 'Escalation policies', ok: [200, 'EscalationPolicyList'], errors: [] }),
      },
      '/v1/escalation-policies/{id}': {
        parameters: [idParam('id')],
        get: operation({ summary: 'An escalation policy', ok: [200, 'EscalationPolicy'], errors: [404] }),
        patch: operation({ summary: 'Change an escalation policy (alerts already routed keep the policy as it was)', body: 'EscalationPolicyPatch', ok: [200, 'EscalationPolicy'], errors: [400, 404, 409, 422] }),
        delete: operation({ summary: 'Delete an escalation policy', ok: [204, null], errors: [404, 409], meanings: { 409: 'rules still route to the policy (escalation_policy_in_use), or the name is taken' } }),
      },
      '/v1/audit': {
        get: operation({ summary: 'The audit log, newest first: changes of configuration and actions on alerts, by key id, secrets masked', ok: [200, 'AuditList'], errors: [400], query: auditListQuery }),
      },
      '/healthz': { get: { summary: 'The process is up', security: [], responses: { '200': { description: 'up' } } } },
      '/readyz': { get: { summary: 'Temporal and the store answer', security: [], responses: { '200': { description: 'ready' }, '503': { description: 'not ready', content: json('Error') } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'text exposition format' }, ...errors(401) } } },
      '/openapi.json': { get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } } },
    },
  };
}
