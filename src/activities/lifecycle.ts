// The alert's own turns that the workflow decides: expiry, auto-resolve, an acknowledgement that ran
// out, and letting go of what it no longer needs.
import type { CloseAction } from '../domain/alert';
import { AlertClosedError } from '../domain/alert-errors';
import type { Closure } from '../domain/events';
import type { AlertStore } from '../store/alerts';
import { ackEventsOf, type AckTimeoutResult } from '../workflows/alert/messages';

/** Who takes back an acknowledgement whose `until` passed (README "Acknowledge"). */
export const ACK_TIMEOUT_BY = 'ack-timeout';

/** Who resolves an alert that had no news for its `auto_resolve_after_s`. */
export const AUTO_RESOLVE_BY = 'auto-resolve';

/** A close the workflow decided, through the same store path as the API's: a close that won the race is returned instead. */
async function closeByWorkflow(alerts: AlertStore, alertId: string, action: CloseAction, closure: Closure, at: string): Promise<{ sequence: number; action: CloseAction }> {
  try {
    const { sequence } = await alerts.appendClose(alertId, action, closure, new Date(at));
    await alerts.markAnnounced(alertId, sequence);
    return { sequence, action };
  } catch (err) {
    if (!(err instanceof AlertClosedError)) throw err;
    const closing = await alerts.closingEvent(alertId);
    if (!closing) throw err;
    await alerts.markAnnounced(alertId, closing.sequence);
    return { sequence: closing.sequence, action: closing.action };
  }
}

export function createLifecycleActivities({ alerts }: { alerts: AlertStore }) {
  return {
    /**
     * Closes the alert as expired, through the same store path as a resolve: when a close from the API
     * won the race (accepted, its signal not yet handled), that close is the alert's and is returned.
     */
    async expireAlert({ alertId, reason, at }: { alertId: string; reason: string; at: string }): Promise<{ sequence: number; action: CloseAction }> {
      return closeByWorkflow(alerts, alertId, 'expire', { reason }, at);
    },

    /** No news for the alert's `auto_resolve_after_s`: it resolves itself (README "Auto-resolve"), as expireAlert closes. */
    async autoResolveAlert({ alertId, reason, at }: { alertId: string; reason: string; at: string }): Promise<{ sequence: number; action: CloseAction }> {
      return closeByWorkflow(alerts, alertId, 'resolve', { by: AUTO_RESOLVE_BY, reason }, at);
    },

    /**
     * The acknowledgement at `sequence` reached its `until`: the alert returns to triggered, unless it
     * was acknowledged again, taken back or closed meanwhile (then the newest news is returned).
     */
    async acknowledgementTimedOut({ alertId, sequence, at }: { alertId: string; sequence: number; at: string }): Promise<AckTimeoutResult> {
      try {
        const result = await alerts.appendAck(alertId, 'unacknowledge', { by: ACK_TIMEOUT_BY, ifAcknowledgedAt: sequence }, new Date(at));
        if (result.appended) {
          await alerts.markAnnounced(alertId, result.event.sequence);
          return { sequence: result.event.sequence, acks: ackEventsOf(result.event.acks) };
        }
        return { sequence: result.newest?.sequence ?? 0, acks: ackEventsOf(result.acks) };
      } catch (err) {
        if (!(err instanceof AlertClosedError)) throw err;
        const closing = await alerts.closingEvent(alertId);
        if (!closing) throw err;
        return { sequence: closing.sequence, acks: ackEventsOf(closing.acks), closing: closing.action };
      }
    },

    /** The workflow is done: no event of the alert can be sent again, so their bodies go. */
    async finishAlert({ alertId }: { alertId: string }): Promise<void> {
      await alerts.dropEventBodies(alertId);
    },
  };
}
