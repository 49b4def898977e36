// What the /v1 API answers, as the console reads it. Alert state types are Herald's own (pure modules).
import type { z } from 'zod';
import type { overviewSchema } from '../../src/api/response-schemas';
import { ALERT_STATUSES, SEVERITIES } from '../../src/domain/alert';
import { DELIVERY_STATES } from '../../src/domain/alert-state';
import type { DestinationFilters, RuleMatch } from '../../src/domain/routing';

export type { AlertState, Attempt, EventDelivery, LaneView } from '../../src/domain/alert-state';

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

export type Destination = {
  id: string;
  name: string;
  type: DestinationType;
  enabled: boolean;
  /** The target in words, secrets masked (e.g. "POST https://hooks.example.com/alerts"). */
  target: string;
  config: Record<string, unknown>;
  retry_schedule: number[];
  timeout_s: number;
  filters: DestinationFilters;
  needs_attention: string | null;
  /** The circuit breaker as it stands (README "Circuit breaker"). */
  circuit?: { state: 'closed' | 'open' | 'half_open'; since: string; consecutive_failures: number; last_error?: string; next_probe_at?: string };
};

/** GET /v1/destinations/{id}/health (README "Destination health"). */
export type WindowHealth = { attempts: number; succeeded: number; failed: number; success_ratio?: number; latency_ms?: { p50: number; p99: number } };
export type DestinationHealth = {
  windows: { last_hour: WindowHealth; last_day: WindowHealth };
  last_errors: { at: string; delivery_id: string; status_code?: number; error: string }[];
};

export type Rule = { id: string; name: string; enabled: boolean; match: RuleMatch; destination_ids: string[]; escalation_policy_id?: string };

/** GET /v1/overview. */
export type Overview = z.infer<typeof overviewSchema>;

export type EscalationPolicy = { id: string; name: string; steps: { after_s: number; destination_ids: string[] }[]; repeat: number };

export type AlertSummary = {
  id: string;
  title?: string;
  status?: string;
  delivery_state?: string;
  severity?: string;
  event_type?: string;
  asset?: string;
  destinations: string[];
  started_at?: string;
  closed_at?: string;
};

export type AlertPage = { data: AlertSummary[]; next_page_token?: string };

export type Validator = { path: string; expected: unknown[]; actual: unknown[]; passed: boolean; error?: string };

/** The answer of "Send test": the invocation data. */
export type TestResult = {
  success: boolean;
  duration_ms: number;
  status_code?: number;
  error?: string;
  note?: string;
  incident?: { provider: string; id: string; reference?: string; url?: string; status: string };
  validators: Validator[];
  request?: { method: string; url: string; headers: Record<string, string>; body: string };
  response?: { status: number; headers: Record<string, string>; body: string; truncated: boolean };
};
