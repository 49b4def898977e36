// The rule form and the example alert of the routing preview, as field lists (checked against
// src/api/rules.ts and src/domain/alert.ts by test/browser/form-fields.test.ts).
import type { FieldSpec } from '../form/spec';
import { MUTE_WINDOWS_HELP } from '../destinations/fields';
import { SEVERITIES, type Destination, type EscalationPolicy } from '../types';

export const ruleFields = (destinations: readonly Destination[], policies: readonly EscalationPolicy[] = []): FieldSpec[] => [
  { path: 'name', label: 'Name', kind: 'text', group: 'Rule', required: true },
  { path: 'enabled', label: 'Enabled', kind: 'checkbox', group: 'Rule' },
  { path: 'match.event_types', label: 'Event types', kind: 'list', group: 'Matches alerts with', help: 'Comma-separated, e.g. schema_change; blank: any.' },
  { path: 'match.severities', label: 'Severities', kind: 'choices', group: 'Matches alerts with', options: SEVERITIES },
  { path: 'match.asset', label: 'Asset', kind: 'text', group: 'Matches alerts with', help: 'Glob over the qualified name: * any run, ? one character.' },
  { path: 'match.labels', label: 'Labels', kind: 'pairs', group: 'Matches alerts with', help: 'One "key: value" per line; all must match.' },
  {
    path: 'destination_ids',
    label: 'Destinations',
    kind: 'choices',
    group: 'Sends them to',
    options: destinations.map((d) => d.id),
    optionLabels: Object.fromEntries(destinations.map((d) => [d.id, d.name])),
  },
  { path: 'group.by', label: 'Group by', kind: 'list', group: 'Grouping', help: 'Comma-separated labels or fields (severity, event.type, event.asset.qualified_name); "..." for every label. Blank: each alert is sent alone.' },
  { path: 'group.group_wait_s', label: 'Group wait (s)', kind: 'number', group: 'Grouping', help: 'The first notification waits this long for more alerts (default 30).' },
  { path: 'group.group_interval_s', label: 'Group interval (s)', kind: 'number', group: 'Grouping', help: 'The least time between two notifications of a changed group (default 300).' },
  { path: 'group.repeat_interval_s', label: 'Repeat interval (s)', kind: 'number', group: 'Grouping', help: 'An unchanged firing group is notified again after this long (default 14400).' },
  { path: 'group.settle_s', label: 'Settle (s)', kind: 'number', group: 'Grouping', help: 'Optional: wait until no alert joined or left for this long.' },
  { path: 'mute_windows', label: 'Mute windows', kind: 'json', group: 'Mute windows', help: `For what this rule routes. ${MUTE_WINDOWS_HELP}`, blank: [] },
  {
    path: 'escalation_policy_id',
    label: 'Escalation policy',
    kind: 'select',
    group: 'Response',
    options: policies.map((p) => p.id),
    optionLabels: Object.fromEntries(policies.map((p) => [p.id, p.name])),
    help: 'Optional: the matching alerts escalate by this policy while nobody acknowledges them; Destinations may then stay empty.',
    blank: null,
  },
  { path: 'auto_resolve_after_s', label: 'Auto-resolve after (s)', kind: 'number', group: 'Response', help: 'Optional: the alerts this rule matches resolve themselves after this long without news (at least 60).' },
];

export const NEW_RULE = { enabled: true, match: {}, destination_ids: [] };

export const EXAMPLE_FIELDS: FieldSpec[] = [
  { path: 'event.type', label: 'Event type', kind: 'text', group: 'Example alert' },
  { path: 'severity', label: 'Severity', kind: 'select', group: 'Example alert', options: SEVERITIES, required: true },
  { path: 'event.asset.qualified_name', label: 'Asset qualified name', kind: 'text', group: 'Example alert' },
  { path: 'labels', label: 'Alert labels', kind: 'pairs', group: 'Example alert', help: 'One "key: value" per line.' },
];

export const EXAMPLE_ALERT = { severity: 'warning', event: { type: 'generic' } };
