// Grouping (README "Grouping"): alerts that share a policy, a destination set and the values of the
// policy's `by` fields make one group, and the group's destinations get one notification for all of
// them, on Alertmanager's timing (group_wait, group_interval, repeat_interval). Pure and free of Node
// imports: routing computes keys with it, the store its notifications; the group workflow its timing
// with group-timing.ts.
import { z } from 'zod';
import type { Alert, Severity } from './alert';
import { SEVERITIES } from './alert';

/** Herald's own fields a policy can group by; any other name is a label (`labels.x` names a label x explicitly). */
export const GROUP_FIELDS = ['severity', 'event.type', 'event.asset.qualified_name', 'rule_name', 'alert_type'] as const;
/** Alertmanager's "group by every label": in effect, no grouping beyond identical label sets. */
export const ALL_LABELS = '...';

const DAY_S = 86_400;

export const groupPolicySchema = z.strictObject({
  by: z
    .array(z.string().min(1).max(200))
    .min(1)
    .max(20)
    .refine((by) => !by.includes(ALL_LABELS) || by.length === 1, { message: `"${ALL_LABELS}" stands alone: it groups by every label` })
    .describe('Label names, Herald fields (severity, event.type, event.asset.qualified_name, rule_name, alert_type) or ["..."] for every label'),
  group_wait_s: z.number().min(0).max(DAY_S).default(30).describe('How long the first notification waits for more alerts to join'),
  group_interval_s: z.number().min(0).max(DAY_S).default(300).describe('The least time between two notifications of a changed group'),
  repeat_interval_s: z.number().min(60).max(30 * DAY_S).default(4 * 3600).describe('After how long an unchanged firing group is notified again'),
  settle_s: z.number().min(0).max(3600).optional().describe('A notification also waits until no alert joined or left for this long (a burst goes out as one)'),
});
export type GroupPolicy = z.infer<typeof groupPolicySchema>;

/** Where a group's policy came from: a routing rule, or the sender's own grouping (an Alertmanager `groupKey`). */
export type GroupOrigin = { kind: 'rule'; rule_id: string; name: string } | { kind: 'sender'; source: string; name: string; group_key: string };

/** One alert's place in one group, as routing decides it; the store turns it into the group's open episode. */
export type GroupMembership = {
  /** Stable over episodes: the policy's origin, the destination set and the key values. */
  key_id: string;
  origin: GroupOrigin;
  key: Record<string, string>;
  policy: GroupPolicy;
  destination_ids: string[];
};

type Groupable = Pick<Alert, 'severity' | 'labels' | 'event' | 'rule_name' | 'alert_type' | 'title'>;

/** The value of one `by` field for an alert; an absent label or field groups as the empty string (as Alertmanager's). */
export function groupFieldValue(alert: Groupable, field: string): string {
  switch (field) {
    case 'severity':
      return alert.severity;
    case 'event.type':
      return alert.event.type;
    case 'event.asset.qualified_name':
      return alert.event.asset?.qualified_name ?? '';
    case 'rule_name':
      return alert.rule_name ?? alert.title;
    case 'alert_type':
      return alert.alert_type ?? alert.event.type;
    default:
      return alert.labels[field.startsWith('labels.') ? field.slice('labels.'.length) : field] ?? '';
  }
}

/** The key values that place an alert in its group, by field name in the policy's order. */
export function groupKeyOf(by: readonly string[], alert: Groupable): Record<string, string> {
  if (by.length === 1 && by[0] === ALL_LABELS) {
    return Object.fromEntries(Object.keys(alert.labels).sort().map((name) => [name, alert.labels[name]!]));
  }
  return Object.fromEntries(by.map((field) => [field, groupFieldValue(alert, field)]));
}

/** What `key_id` is a digest of: the same origin, destinations and values always give the same text. */
export function groupIdentity(origin: GroupOrigin, destinationIds: readonly string[], key: Record<string, string>): string {
  const source = origin.kind === 'rule' ? `rule:${origin.rule_id}` : `sender:${origin.source}:${origin.name}:${origin.group_key}`;
  return JSON.stringify([source, [...destinationIds].sort(), Object.entries(key).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
}

/** The worst severity among alerts, which a group's notification carries. */
export function worstSeverity(severities: readonly string[]): Severity {
  const rank = (s: string) => {
    const i = SEVERITIES.indexOf(s as Severity);
    return i < 0 ? SEVERITIES.length : i;
  };
  return [...severities].sort((a, b) => rank(a) - rank(b))[0] as Severity | undefined ?? 'warning';
}

/** A group's title: what its alerts share and how many there are, e.g. "HighCPU (3 firing)". */
export function groupTitle(titles: readonly string[], key: Record<string, string>, count: string): string {
  const shared = titles.length > 0 && titles.every((t) => t === titles[0]) ? titles[0]! : undefined;
  const described = shared ?? (Object.values(key).filter(Boolean).join(', ') || 'alerts');
  return `${described.slice(0, 450)} (${count})`;
}

/** The workflow that runs a group key's episodes, one after another. */
export function groupWorkflowIdFor(keyId: string): string {
  return `group:${keyId}`;
}

/**
 * What an episode's deliveries are keyed by (delivery ids, PagerDuty's dedup key, incident.io's
 * idempotency key): a group that fires again after its resolve opens a new incident.
 */
export function episodeDeliveryOwner(groupId: string): string {
  return `group:${groupId}`;
}
