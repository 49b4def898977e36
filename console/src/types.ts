// What the /v1 API answers, as the console reads it. Alert state types are Herald's own (pure modules).
import type { z } from 'zod';
import type * as answers from '../../src/api/response-schemas';
import { ALERT_STATUSES, SEVERITIES } from '../../src/domain/alert';
import { DELIVERY_STATES } from '../../src/domain/alert-state';

export type { AlertPage, AlertState, AlertSummary, Attempt, EventDelivery, LaneView, Validation as Validator } from '../../src/domain/alert-state';

export const DESTINATION_TYPES = ['webhook', 'incident_io', 'pagerduty', 'slack', 'discord', 'email', 'teams'] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];
export const TYPE_NAMES: Record<DestinationType, string> = {
  webhook: 'Webhook',
  incident_io: 'incident.io',
  pagerduty: 'PagerDuty',
  slack: 'Slack',
  discord: 'Discord',
  email: 'Email',
  teams: 'Microsoft Teams',
};

export { ACTIONS as FILTER_ACTIONS } from '../../src/domain/routing';
// One source for every word list: Herald's own pure modules.
export { ALERT_STATUSES, DELIVERY_STATES, SEVERITIES };

// The answers' types, inferred from the schemas /openapi.json describes them with (type-only: the
// console bundles no zod for them). A destination's type is narrowed to the types the console knows.
export type Destination = Omit<z.infer<typeof answers.destinationSchema>, 'type'> & { type: DestinationType };
export type DestinationHealth = z.infer<typeof answers.destinationHealthSchema>;
export type WindowHealth = DestinationHealth['windows']['last_hour'];
/** The fields of a rule the console reads (it also builds one from a draft, to preview the order). */
export type Rule = Pick<z.infer<typeof answers.ruleSchema>, 'id' | 'name' | 'enabled' | 'match' | 'destination_ids' | 'escalation_policy_id'>;
export type Overview = z.infer<typeof answers.overviewSchema>;
export type EscalationPolicy = z.infer<typeof answers.escalationPolicySchema>;
/** The answer of "Send test": the invocation data. */
export type TestResult = z.infer<typeof answers.testResultSchema>;
