// The destination forms, one list of fields per type, mirroring src/destinations/*/ config schemas
// (test/browser/form-fields.test.ts checks every path and option against them).
import type { FieldSpec } from '../form/spec';
import { FILTER_ACTIONS, SEVERITIES, type DestinationType } from '../types';

const AUTH_TYPES = ['none', 'bearer', 'api_key', 'basic', 'headers', 'oauth2_client_credentials'] as const;
const auth = (...types: (typeof AUTH_TYPES)[number][]) => ({ path: 'config.auth.type', is: types });

const common: FieldSpec[] = [
  { path: 'name', label: 'Name', kind: 'text', group: 'Destination', required: true },
  { path: 'enabled', label: 'Enabled', kind: 'checkbox', group: 'Destination', help: 'A disabled destination receives nothing.' },
];

const webhook: FieldSpec[] = [
  { path: 'config.url', label: 'URL', kind: 'url', group: 'Target', required: true },
  { path: 'config.method', label: 'Method', kind: 'select', group: 'Target', options: ['POST', 'PUT', 'PATCH'], required: true },
  { path: 'config.headers', label: 'Extra headers', kind: 'pairs', group: 'Target', help: 'One "Name: value" per line; not secret.', blank: {} },
  { path: 'config.auth.type', label: 'Authentication', kind: 'select', group: 'Authentication', options: AUTH_TYPES, required: true },
  { path: 'config.auth.token', label: 'Bearer token', kind: 'secret', group: 'Authentication', when: auth('bearer') },
  { path: 'config.auth.header', label: 'Header name', kind: 'text', group: 'Authentication', when: auth('api_key') },
  { path: 'config.auth.value', label: 'Header value', kind: 'secret', group: 'Authentication', when: auth('api_key') },
  { path: 'config.auth.username', label: 'Username', kind: 'text', group: 'Authentication', when: auth('basic') },
  { path: 'config.auth.password', label: 'Password', kind: 'secret', group: 'Authentication', when: auth('basic') },
  { path: 'config.auth.headers', label: 'Secret headers', kind: 'pairs', group: 'Authentication', help: 'One "Name: value" per line; shown masked.', when: auth('headers') },
  { path: 'config.auth.token_url', label: 'Token URL', kind: 'url', group: 'Authentication', when: auth('oauth2_client_credentials') },
  { path: 'config.auth.client_id', label: 'Client ID', kind: 'text', group: 'Authentication', when: auth('oauth2_client_credentials') },
  { path: 'config.auth.client_secret', label: 'Client secret', kind: 'secret', group: 'Authentication', when: auth('oauth2_client_credentials') },
  { path: 'config.auth.scopes', label: 'Scopes', kind: 'list', group: 'Authentication', help: 'Comma-separated.', when: auth('oauth2_client_credentials') },
  { path: 'config.auth.audience', label: 'Audience', kind: 'text', group: 'Authentication', when: auth('oauth2_client_credentials') },
  { path: 'config.signing_secret', label: 'Signing secret', kind: 'secret', group: 'Signing', help: 'Leave blank to have one generated ("whsec_…").' },
  {
    path: 'config.body_template',
    label: 'Body template (JSON)',
    kind: 'json',
    group: 'Payload',
    help: 'Replaces the default payload; strings may hold {{alert.title}}-style placeholders.',
  },
  {
    path: 'config.response_validators',
    label: 'Response validators (JSON)',
    kind: 'json',
    group: 'Payload',
    help: 'e.g. [{"path": "$.ok", "expected": [true]}]: a 2xx whose body fails one is a failed attempt.',
    blank: [],
  },
];

const incidentIo: FieldSpec[] = [
  { path: 'config.api_key', label: 'API key', kind: 'secret', group: 'incident.io', required: true, help: 'Settings → API Keys, with incident.write ("inc_…").' },
  { path: 'config.closed_status_id', label: 'Closed status ID', kind: 'text', group: 'incident.io', help: 'A status of the Closed category; without it incidents stay open.' },
  { path: 'config.acknowledged_status_id', label: 'Acknowledged status ID', kind: 'text', group: 'incident.io', help: 'The status an acknowledged alert moves its incident to; without it the status stays.' },
  { path: 'config.severity_id', label: 'Severity ID (all alerts)', kind: 'text', group: 'incident.io', help: 'Or map each severity below, not both.' },
  ...SEVERITIES.map((s): FieldSpec => ({ path: `config.severity_map.${s}`, label: `Severity ID for ${s}`, kind: 'text', group: 'incident.io' })),
  { path: 'config.mode', label: 'Mode', kind: 'select', group: 'incident.io', options: ['standard', 'test'], required: true },
  { path: 'config.visibility', label: 'Visibility', kind: 'select', group: 'incident.io', options: ['public', 'private'], required: true },
  { path: 'config.base_url', label: 'API base URL', kind: 'url', group: 'incident.io', help: 'Default https://api.incident.io' },
];

const pagerduty: FieldSpec[] = [
  { path: 'config.routing_key', label: 'Integration key', kind: 'secret', group: 'PagerDuty', required: true, help: 'The 32 characters of an Events API v2 integration.' },
  { path: 'config.base_url', label: 'Events API base URL', kind: 'url', group: 'PagerDuty', help: 'Default https://events.pagerduty.com' },
];

const slack: FieldSpec[] = [
  { path: 'config.webhook_url', label: 'Incoming Webhook URL', kind: 'secret', group: 'Slack', required: true, help: 'Its path is a secret and is shown masked.' },
];

const discord: FieldSpec[] = [
  { path: 'config.webhook_url', label: 'Webhook URL', kind: 'secret', group: 'Discord', required: true, help: 'Channel settings → Integrations → Webhooks → Copy Webhook URL; its token is shown masked.' },
  { path: 'config.username', label: 'Author name', kind: 'text', group: 'Discord', help: "Shown instead of the webhook's own name." },
];

const email: FieldSpec[] = [
  { path: 'config.host', label: 'SMTP host', kind: 'text', group: 'Email', required: true, help: 'e.g. smtp.example.com' },
  { path: 'config.port', label: 'Port', kind: 'number', group: 'Email', help: '587 for STARTTLS (default), 465 for TLS, 25 for a relay.' },
  { path: 'config.security', label: 'Security', kind: 'select', group: 'Email', options: ['starttls', 'tls', 'none'], required: true },
  { path: 'config.username', label: 'Username', kind: 'text', group: 'Email' },
  { path: 'config.password', label: 'Password', kind: 'secret', group: 'Email', help: 'Shown masked.' },
  { path: 'config.from', label: 'From address', kind: 'text', group: 'Email', required: true },
  { path: 'config.from_name', label: 'From name', kind: 'text', group: 'Email', help: 'e.g. Herald alerts' },
  { path: 'config.to', label: 'To', kind: 'list', group: 'Email', required: true, help: 'Comma-separated addresses.' },
  { path: 'config.cc', label: 'Cc', kind: 'list', group: 'Email', help: 'Comma-separated addresses.' },
  { path: 'config.subject_prefix', label: 'Subject prefix', kind: 'text', group: 'Email', help: 'Default [Herald].' },
  { path: 'config.ca_certificate', label: 'CA certificate (PEM)', kind: 'multiline', group: 'Email', help: 'Only for a server whose certificate a private CA signed.' },
];

const teams: FieldSpec[] = [
  { path: 'config.webhook_url', label: 'Workflow webhook URL', kind: 'secret', group: 'Microsoft Teams', required: true, help: 'Channel → Workflows → "Send webhook alerts to a channel" → copy its URL; the sig parameter is shown masked.' },
];

/** Shared with the rule form: what a mute window looks like (README "Mute windows"). */
export const MUTE_WINDOWS_HELP =
  'JSON list, Alertmanager time_intervals: [{"name": "nights", "action": "hold" or "drop", "time_intervals": [{"weekdays": ["monday:friday"], "times": [{"start_time": "22:00", "end_time": "24:00"}], "location": "Europe/Berlin"}]}]. Blank: none.';

const delivery: FieldSpec[] = [
  { path: 'retry_schedule', label: 'Retry schedule (seconds)', kind: 'numbers', group: 'Delivery', help: 'Wait before each attempt; default 0, 60, 300, 900, 3600.' },
  { path: 'timeout_s', label: 'Timeout (seconds)', kind: 'number', group: 'Delivery', help: 'Per attempt, at most 30; default 10.' },
  { path: 'filters.event_types', label: 'Only event types', kind: 'list', group: 'Filters', help: 'Comma-separated; blank: all.' },
  { path: 'filters.actions', label: 'Only actions', kind: 'choices', group: 'Filters', options: FILTER_ACTIONS },
  { path: 'filters.severities', label: 'Only severities', kind: 'choices', group: 'Filters', options: SEVERITIES },
  { path: 'filters.labels', label: 'Only labels', kind: 'pairs', group: 'Filters', help: 'One "key: value" per line; all must match.' },
  { path: 'mute_windows', label: 'Mute windows', kind: 'json', group: 'Mute windows', help: MUTE_WINDOWS_HELP, blank: [] },
  { path: 'circuit_breaker.failure_threshold', label: 'Failures to open the circuit', kind: 'number', group: 'Circuit breaker', help: 'Failed attempts in a row, across alerts (default 20; 0 never opens).' },
  { path: 'circuit_breaker.cooldown_s', label: 'Cooldown (s)', kind: 'number', group: 'Circuit breaker', help: 'Open this long before a probe (default 30).' },
  { path: 'circuit_breaker.max_cooldown_s', label: 'Longest cooldown (s)', kind: 'number', group: 'Circuit breaker', help: 'Failed probes double the cooldown up to this (default 120).' },
  { path: 'circuit_breaker.disable_after_s', label: 'Disable after an outage of (s)', kind: 'number', group: 'Circuit breaker', help: 'The circuit open this long, every probe failed: the destination is disabled until changed (default 432000, 5 days; 0 never).' },
  {
    path: 'rate_limit',
    label: 'Rate limit (JSON)',
    kind: 'json',
    group: 'Rate limit',
    help: 'Across every worker: {"events": 1, "per": "second" or "minute", "burst": 3}; null: none. Blank: unchanged (new Slack and PagerDuty destinations get their documented limits).',
  },
];

const CONFIG_FIELDS: Record<DestinationType, FieldSpec[]> = { webhook, incident_io: incidentIo, pagerduty, slack, discord, email, teams };

export const destinationFields = (type: DestinationType): FieldSpec[] => [...common, ...CONFIG_FIELDS[type], ...delivery];

/** A new destination's starting values: the API's defaults, shown. */
export const NEW_DESTINATION = {
  enabled: true,
  config: { method: 'POST', auth: { type: 'none' }, mode: 'standard', visibility: 'public', security: 'starttls' },
  retry_schedule: [0, 60, 300, 900, 3600],
  timeout_s: 10,
};
