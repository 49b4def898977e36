// The named schemas of /openapi.json (components/schemas): requests as the API validates them, answers
// as src/api/response-schemas.ts describes them. Routes name the registered copies, so their bodies
// and answers refer to these components.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { alertUpdateSchema, inboundAlertSchema } from '../../domain/alert';
import { destinationCreateSchema, destinationPatchSchema } from '../../destinations/schema';
import { amEntrySchema, amPayloadSchema } from '../../domain/sources/alertmanager';
import { escalationPolicyInputSchema } from '../../domain/escalation';
import { silenceInputSchema } from '../../domain/silences';
import { heartbeatInputSchema } from '../../domain/heartbeats';
import { inhibitRuleInputSchema } from '../../domain/inhibition';
import { incidentIoWebhookSchema, pagerdutyWebhookSchema } from '../../domain/provider-webhooks';
import { acknowledgeSchema, closureSchema, unacknowledgeSchema } from '../alerts';
import { ruleInputSchema, rulePatchSchema } from '../rules';
import { escalationPolicyPatchSchema } from '../escalation-policies';
import { recoverInputSchema } from '../destinations';
import { portalLinkInputSchema, tenantInputSchema, tenantKeyInputSchema, tenantPatchSchema } from '../../domain/tenants';
import * as answers from '../response-schemas';

const named = {
  // Entries are checked one by one (a bad one is listed in `rejected`), but documented as they must be.
  AlertmanagerPayload: amPayloadSchema.extend({ alerts: z.array(amEntrySchema).min(1) }),
  SourceResult: answers.sourceResultSchema,
  PagerDutyWebhook: pagerdutyWebhookSchema,
  IncidentIoWebhook: incidentIoWebhookSchema,
  ProviderWebhookResult: answers.providerWebhookResultSchema,
  Overview: answers.overviewSchema,
  Error: answers.errorSchema,
  InboundAlert: inboundAlertSchema,
  AlertAccepted: answers.alertAcceptedSchema,
  AlertUpdate: alertUpdateSchema,
  Closure: closureSchema,
  Acknowledgement: acknowledgeSchema,
  Unacknowledgement: unacknowledgeSchema,
  SignalAccepted: answers.signalAcceptedSchema,
  AlertState: answers.alertStateAnswerSchema,
  LegacyAlertState: answers.legacyAlertStateAnswerSchema,
  AlertList: answers.alertListSchema,
  DestinationInput: destinationCreateSchema,
  DestinationPatch: destinationPatchSchema,
  Destination: answers.destinationSchema,
  DestinationList: answers.destinationListSchema,
  SigningSecret: answers.signingSecretAnswerSchema,
  SigningSecretRotation: answers.secretRotationSchema,
  DestinationTestResult: answers.testResultSchema,
  DestinationHealth: answers.destinationHealthSchema,
  RecoverInput: recoverInputSchema,
  Recovery: answers.recoverySchema,
  EscalationPolicyInput: escalationPolicyInputSchema,
  EscalationPolicyPatch: escalationPolicyPatchSchema,
  EscalationPolicy: answers.escalationPolicySchema,
  EscalationPolicyList: answers.escalationPolicyListSchema,
  RuleInput: ruleInputSchema,
  RulePatch: rulePatchSchema,
  Rule: answers.ruleSchema,
  RuleList: answers.ruleListSchema,
  GroupList: answers.groupListSchema,
  Group: answers.groupDetailSchema,
  SilenceInput: silenceInputSchema,
  Silence: answers.silenceSchema,
  SilenceList: answers.silenceListSchema,
  InhibitRuleInput: inhibitRuleInputSchema,
  InhibitRule: answers.inhibitRuleSchema,
  InhibitRuleList: answers.inhibitRuleListSchema,
  AuditList: answers.auditListSchema,
  HeartbeatInput: heartbeatInputSchema,
  Heartbeat: answers.heartbeatSchema,
  HeartbeatList: answers.heartbeatListSchema,
  PingAccepted: answers.pingAcceptedSchema,
  TenantInput: tenantInputSchema,
  TenantPatch: tenantPatchSchema,
  Tenant: answers.tenantSchema,
  TenantList: answers.tenantListSchema,
  TenantKeyInput: tenantKeyInputSchema,
  TenantKey: answers.tenantKeySchema,
  TenantKeyCreated: answers.tenantKeyCreatedSchema,
  TenantKeyList: answers.tenantKeyListSchema,
  PortalLinkInput: portalLinkInputSchema,
  PortalLink: answers.portalLinkSchema,
  Health: answers.healthSchema,
  Readiness: answers.readinessSchema,
  OpenApiDocument: answers.openApiDocumentSchema,
} satisfies Record<string, z.ZodType>;

export type Components = typeof named;

/**
 * Registers every schema under its name and answers the registered copies. Copies, because
 * registering calls `.openapi()`, which zod 4 gives only to schemas built after extendZodWithOpenApi
 * (it copies prototype methods onto a schema when the schema is built); a copy keeps the original's
 * descriptions and `.meta()`.
 */
export function registerComponents(registry: OpenAPIRegistry): Components {
  return Object.fromEntries(Object.entries(named).map(([name, schema]) => [name, registry.register(name, schema.clone())])) as Components;
}
