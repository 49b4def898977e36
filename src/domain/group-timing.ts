// When a group notifies (README "Grouping"), on the group workflow's clock. Kept apart from the
// policy's schema (grouping.ts): workflow code imports this, and every module a workflow imports runs
// again for each workflow it starts (no zod in the sandbox).
import type { GroupPolicy } from './grouping';

/** Why a notification went out: its timer, or the group's end. */
export type NotifyReason = 'group_wait' | 'group_interval' | 'repeat_interval' | 'resolved';

/** What the group's timing depends on, on the workflow's clock (epoch ms). */
export type GroupClock = {
  /** When the episode's workflow took it up: group_wait counts from here. */
  openedAt: number;
  lastNotifiedAt?: number;
  /** Alerts joined or left since the last notification. */
  changed: boolean;
  /** A compose found the group still settling (see `settle_s`): not before this. */
  notBefore?: number;
};

/**
 * When the group notifies next: the first notification group_wait after the episode opened, a change
 * group_interval after the last notification (at once when that has passed), an unchanged firing
 * group repeat_interval after it; never before `notBefore` (a group still settling, judged by the store).
 */
export function nextNotification(policy: GroupPolicy, clock: GroupClock): { at: number; reason: Exclude<NotifyReason, 'resolved'> } {
  const next =
    clock.lastNotifiedAt === undefined
      ? { at: clock.openedAt + policy.group_wait_s * 1000, reason: 'group_wait' as const }
      : clock.changed
        ? { at: clock.lastNotifiedAt + policy.group_interval_s * 1000, reason: 'group_interval' as const }
        : { at: clock.lastNotifiedAt + policy.repeat_interval_s * 1000, reason: 'repeat_interval' as const };
  return clock.notBefore !== undefined ? { ...next, at: Math.max(next.at, clock.notBefore) } : next;
}

/** The policy's own wait behind a reason, for timer summaries ("group_wait 30s"). */
export function reasonSeconds(policy: GroupPolicy, reason: Exclude<NotifyReason, 'resolved'>): number {
  return reason === 'group_wait' ? policy.group_wait_s : reason === 'group_interval' ? policy.group_interval_s : policy.repeat_interval_s;
}
