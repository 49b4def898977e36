// The group side of alerts (README "Grouping"): an alert joins and leaves its groups from its own
// workflow; a group's workflow composes its notifications in the store and delivers them through
// lanes, as an alert delivers its events. Every write is idempotent, so a retried activity is safe.
import type { GroupMembership } from '../domain/grouping';
import { episodeDeliveryOwner } from '../domain/grouping';
import type { NotifyReason } from '../domain/group-timing';
import { deliveryId } from '../domain/signing';
import type { GroupEventType } from '../domain/events';
import type { DestinationStore } from '../store/destinations';
import type { Composed, Episode, GroupOutcomeRecord, GroupStore } from '../store/groups';
import type { DeliverInput, DeliverResult } from './delivery';
import { holdsRequest, judgeAttempt, judgeWaiting, judgeMute, later } from './delivery';
import type { Route } from './routing';
import { reportExhausted, sendEvent, type SendDeps } from './send';

/** Starts a group key's workflow if it is not running, and tells it its members changed. */
export type GroupSignals = { membersChanged(keyId: string): Promise<void> };

export type GroupDeliverInput = Omit<DeliverInput, 'alertId'> & { groupId: string };
export type RecordGroupFailureInput = GroupDeliverInput & { eventType: GroupEventType; error: string; nextWaitMs?: number };

/** The alert joins each of its groups: the store first, then the group's workflow hears of it (when it must). */
/** `at`: the alert workflow's clock, which a new episode's group_wait counts from. */
export async function joinMemberships({ groups, groupSignals }: { groups: GroupStore; groupSignals: GroupSignals }, alertId: string, memberships: GroupMembership[], at: Date): Promise<string[]> {
  const ids: string[] = [];
  for (const membership of memberships) {
    const { groupId, tell } = await groups.join(alertId, membership, at);
    ids.push(groupId);
    if (tell) await groupSignals.membersChanged(membership.key_id);
  }
  return ids;
}

export function createGroupActivities(deps: SendDeps & { groups: GroupStore; destinations: DestinationStore; groupSignals: GroupSignals }) {
  const { groups, groupSignals } = deps;
  const record = (input: GroupDeliverInput, eventType: GroupEventType, rest: Pick<GroupOutcomeRecord, 'state' | 'attempt' | 'nextAttemptAt' | 'incident' | 'mutedBy'>) =>
    groups.recordOutcome({
      groupId: input.groupId,
      destinationId: input.destinationId,
      sequence: input.sequence,
      eventType,
      deliveryId: deliveryId(episodeDeliveryOwner(input.groupId), input.destinationId, input.sequence),
      coalesced: input.coalesced,
      ...rest,
    });

  return {
    /** A held alert joins its groups once its silence let it go (routing joins the others itself). */
    async joinGroups({ alertId, memberships, at }: { alertId: string; memberships: GroupMembership[]; at?: string }): Promise<string[]> {
      return joinMemberships(deps, alertId, memberships, at ? new Date(at) : new Date());
    },

    async leaveGroups({ alertId, groupIds }: { alertId: string; groupIds: string[] }): Promise<void> {
      for (const keyId of await groups.leave(alertId, groupIds)) await groupSignals.membersChanged(keyId);
    },

    /** The key's firing episode and the routes its lanes take; none when every member already left. */
    async openGroupEpisode({ keyId }: { keyId: string }): Promise<{ episode: Episode; routes: Route[] } | undefined> {
      const episode = await groups.openEpisode(keyId);
      if (!episode) return undefined;
      const found = new Map((await deps.destinations.getMany(episode.destination_ids)).map((d) => [d.id, d]));
      const routes: Route[] = episode.destination_ids.flatMap((id) => {
        const d = found.get(id);
        if (!d || !d.enabled) return [];
        // The grouping rule chose these routes: its mute windows apply to the group's notifications.
        const rules = episode.origin.kind === 'rule' ? [{ id: episode.origin.rule_id, name: episode.origin.name }] : [];
        return [{ destination_id: id, name: d.name, type: d.type, retry_schedule: d.retry_schedule, timeout_s: d.timeout_s, rules }];
      });
      await groups.recordLanes(episode.id, routes);
      return { episode, routes };
    },

    async composeGroupNotification({ groupId, reason, at }: { groupId: string; reason: Exclude<NotifyReason, 'resolved'>; at: string }): Promise<Composed> {
      return groups.compose(groupId, reason, new Date(at));
    },

    async deliverGroupNotification(input: GroupDeliverInput): Promise<DeliverResult> {
      const started = performance.now();
      const event = await groups.notificationBody(input.groupId, input.sequence);
      if (!event) throw new Error(`notification ${input.sequence} of group ${input.groupId} is not in the store`);
      if (input.droppedBy) {
        const dropped = judgeMute({ send: false, hold: false, window: input.droppedBy });
        await record(input, event.event_type as GroupEventType, dropped.record);
        return dropped.result;
      }
      const owner = episodeDeliveryOwner(input.groupId);
      const sent = await sendEvent(deps, {
        workflowId: owner,
        destinationId: input.destinationId,
        deliveryId: deliveryId(owner, input.destinationId, input.sequence),
        attempt: input.attempt,
        event,
        applyFilters: true,
        ...(input.incident && { incident: input.incident }),
        ...holdsRequest(input),
      });
      const eventType = event.event_type as GroupEventType;
      if (sent.filtered) {
        await record(input, eventType, { state: 'filtered' });
        return { outcome: 'filtered' };
      }
      if (sent.muted || sent.waiting) {
        const held = sent.muted ? judgeMute(sent.muted) : judgeWaiting(sent.waiting);
        await record(input, eventType, held.record);
        return held.result;
      }
      const judged = judgeAttempt(input, sent.outcome, started);
      await record(input, eventType, judged.record);
      if (judged.result.outcome === 'failed') {
        await reportExhausted(deps, { destinationId: input.destinationId, alertId: input.groupId, eventType, deliveryId: deliveryId(owner, input.destinationId, input.sequence), attempts: input.attempt, outcome: sent.outcome });
      }
      return judged.result;
    },

    async recordGroupFailedAttempt(input: RecordGroupFailureInput): Promise<void> {
      await record(input, input.eventType, {
        state: input.nextWaitMs === undefined ? 'failed' : 'retrying',
        attempt: { attempt: input.attempt, started_at: input.scheduledAt, duration_ms: 0, error: input.error },
        ...(input.nextWaitMs !== undefined && { nextAttemptAt: later(input.scheduledAt, input.nextWaitMs) }),
      });
    },

    async finishGroupEpisode({ groupId }: { groupId: string }): Promise<void> {
      await groups.dropNotificationBodies(groupId);
    },
  };
}
