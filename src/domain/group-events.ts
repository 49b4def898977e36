// A group's notification as destinations receive it (README "Grouping"): an outbound event whose
// `alert` describes the group (so every destination type renders it as it renders an alert) and
// whose `group` lists the alerts in it. Pure and free of Node imports.
import type { GroupEventType, GroupedAlert, GroupSection, OutboundEvent } from './events';
import { GROUP_LIST_LIMIT } from './events';
import { groupTitle } from './grouping';

export type GroupNotificationInput = {
  groupId: string;
  /** The rule's name, or the sender's receiver: what the group is about. */
  name: string;
  key: Record<string, string>;
  createdAt: string;
  eventType: GroupEventType;
  reason: GroupSection['reason'];
  /** Oldest first; at most GROUP_LIST_LIMIT are listed. */
  firing: GroupedAlert[];
  resolved: GroupedAlert[];
  firingCount: number;
  resolvedCount: number;
  /** The worst severity over every firing alert (over the resolved ones once none fires). */
  severity: string;
  at: Date;
};

export function buildGroupEvent(input: GroupNotificationInput): OutboundEvent {
  const { firing, resolved } = input;
  const listed = firing.length > 0 ? firing : resolved;
  const resolvedGroup = input.eventType === 'group.resolved';
  const title = groupTitle(listed.map((a) => a.title), input.key, resolvedGroup ? `${input.resolvedCount} resolved` : `${input.firingCount} firing`);
  const assets = new Set(listed.map((a) => a.asset));
  const asset = assets.size === 1 ? [...assets][0] : undefined;
  const lines = [
    ...(input.firingCount > 0 ? [`${input.firingCount} firing:`, ...firing.slice(0, 20).map(line)] : []),
    ...(input.resolvedCount > 0 ? [`${input.resolvedCount} resolved:`, ...resolved.slice(0, 20).map(line)] : []),
  ];
  return {
    event_type: input.eventType,
    occurred_at: input.at.toISOString(),
    alert: {
      id: input.groupId,
      rule_name: input.name,
      alert_type: 'group',
      status: resolvedGroup ? 'resolved' : 'triggered',
      title,
      ...(lines.length > 0 && { description: lines.join('\n') }),
      severity: input.severity,
      labels: input.key,
      created_at: input.createdAt,
    },
    event: { type: 'group', ...(asset && { asset: { qualified_name: asset } }) },
    links: {},
    group: {
      id: input.groupId,
      key: input.key,
      reason: input.reason,
      firing_count: input.firingCount,
      resolved_count: input.resolvedCount,
      alerts: firing.slice(0, GROUP_LIST_LIMIT),
      resolved_alerts: resolved.slice(0, GROUP_LIST_LIMIT),
      truncated: input.firingCount > Math.min(firing.length, GROUP_LIST_LIMIT) || input.resolvedCount > Math.min(resolved.length, GROUP_LIST_LIMIT),
    },
  };
}

function line(alert: GroupedAlert): string {
  return `- ${alert.title}${alert.asset ? ` (${alert.asset})` : ''} [${alert.severity}]`;
}
