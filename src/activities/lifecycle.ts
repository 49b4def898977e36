// The alert's own turns that the workflow decides: expiry, and letting go of what it no longer needs.
import type { CloseAction } from '../domain/alert';
import { AlertClosedError } from '../domain/alert-errors';
import type { AlertStore } from '../store/alerts';

export function createLifecycleActivities({ alerts }: { alerts: AlertStore }) {
  return {
    /**
     * Closes the alert as expired, through the same store path as a resolve: when a close from the API
     * won the race (accepted, its signal not yet handled), that close is the alert's and is returned.
     */
    async expireAlert({ alertId, reason, at }: { alertId: string; reason: string; at: string }): Promise<{ sequence: number; action: CloseAction }> {
      try {
        const { sequence } = await alerts.appendClose(alertId, 'expire', { reason }, new Date(at));
        await alerts.markAnnounced(alertId, sequence);
        return { sequence, action: 'expire' };
      } catch (err) {
        if (!(err instanceof AlertClosedError)) throw err;
        const closing = await alerts.closingEvent(alertId);
        if (!closing) throw err;
        await alerts.markAnnounced(alertId, closing.sequence);
        return { sequence: closing.sequence, action: closing.action };
      }
    },

    /** The workflow is done: no event of the alert can be sent again, so their bodies go. */
    async finishAlert({ alertId }: { alertId: string }): Promise<void> {
      await alerts.dropEventBodies(alertId);
    },
  };
}
