// A heartbeat's turns that its workflow decides (README "Heartbeats"): a deadline passed, so the
// heartbeat's alert is raised the way the API raises any alert; a ping came back, so it is resolved.
import { AlertClosedError } from '../domain/alert-errors';
import { alertKeyFor } from '../domain/alert';
import { deadlineAfter, missedAlert } from '../domain/heartbeats';
import type { AlertActions } from '../api/alert-actions';
import type { HeartbeatStore } from '../store/heartbeats';
import type { MissVerdict } from '../workflows/heartbeat/messages';

/** Who resolves a heartbeat's alert when its ping comes back. */
export const HEARTBEAT_BY = 'heartbeat';

export type HeartbeatDeps = { heartbeats: HeartbeatStore; alertActions: Pick<AlertActions, 'trigger' | 'close'> };

export function createHeartbeatActivities({ heartbeats, alertActions }: HeartbeatDeps) {
  return {
    /**
     * The deadline passed at `at` (the workflow's clock). A ping the store has that is recent enough
     * (its signal never reached the workflow) sets the next deadline instead; otherwise the miss's
     * alert is raised, under an id fixed by the miss count, so a retry raises the same alert.
     */
    async heartbeatMissed({ name, at }: { name: string; at: string }): Promise<MissVerdict> {
      // `name` is the heartbeat's key; it is shown as its tenant named it.
      const found = await heartbeats.byKey(name);
      if (!found) return { gone: true };
      const { tenant, heartbeat } = found;
      // The workflow closes the miss's alert by its key.
      if (heartbeat.status === 'down' && heartbeat.alert_id) return { alert_id: alertKeyFor(tenant, heartbeat.alert_id) };
      const due = deadlineAfter(heartbeat.last_ping_at ?? heartbeat.created_at, heartbeat);
      if (due > at) return { deadline_at: due };
      const miss = heartbeat.misses + 1;
      const alert = missedAlert(heartbeat, miss, at);
      await alertActions.trigger(alert, heartbeat.destination_ids, undefined, tenant);
      const alertKey = alertKeyFor(tenant, alert.id);
      await heartbeats.markDown(name, alertKey, miss);
      return { alert_id: alertKey };
    },

    /** A ping came back (or the heartbeat was deleted): the miss's alert is resolved, unless somebody closed it already. */
    async heartbeatRecovered({ name, alertId, reason }: { name: string; alertId: string; reason: string }): Promise<void> {
      try {
        await alertActions.close(alertId, 'resolve', { by: HEARTBEAT_BY, reason });
      } catch (err) {
        if (!(err instanceof AlertClosedError)) throw err;
      }
      await heartbeats.markUp(name);
    },
  };
}
