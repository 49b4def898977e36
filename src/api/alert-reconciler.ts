// Keeps the read model and the workflows in step where a request could not:
// - Temporal runs no code of a workflow that is terminated, fails or times out, so the read model
//   would say "triggered" forever: visibility is asked for alert workflows that ended that way, and
//   the alerts the store still has open record it, with Temporal's reason.
// - A trigger kept while Temporal was unreachable (the API answered 503) has its workflow started.
// - An event kept while Temporal was unreachable (the API answered 503) is told to its workflow.
import type { Logger } from 'pino';
import type { AlertStore } from '../store/alerts';
import { startOwed } from './alert-actions';
import { TemporalUnavailableError, WorkflowEndedError, type AlertWorkflows } from '../temporal/alert-workflows';

export const RECONCILE_EVERY_MS = 15_000;
/** Visibility is eventually consistent: each look goes back a little before the previous one. */
const OVERLAP_MS = 60_000;
/** An event kept this long ago without its signal (or its workflow's start) is told again (requests in flight finish first). */
const ANNOUNCE_AFTER_MS = 10_000;
/** The first look after a start goes back this far. */
const FIRST_LOOK_BACK_MS = 7 * 86_400_000;

export function startAlertReconciler(
  deps: { alerts: AlertStore; workflows: AlertWorkflows; logger: Logger },
  { everyMs = RECONCILE_EVERY_MS, announceAfterMs = ANNOUNCE_AFTER_MS } = {},
): { stop(): Promise<void>; once(): Promise<number> } {
  let since = new Date(Date.now() - FIRST_LOOK_BACK_MS);
  let running: Promise<number> | undefined;
  const once = async (): Promise<number> => {
    const lookFrom = since;
    const now = Date.now();
    const ended = await deps.workflows.endedAbnormallySince(lookFrom);
    const open = await deps.alerts.openAlertIds(deps.workflows.taskQueue, ended);
    for (const alertId of open) {
      const termination = await deps.workflows.termination(alertId);
      if (termination) await deps.alerts.recordTermination(alertId, termination);
    }
    since = new Date(now - OVERLAP_MS);
    let told = 0;
    // Starts first: an alert's owed events are told to its workflow once it runs.
    for (const owed of await deps.alerts.owedStarts(deps.workflows.taskQueue, new Date(now - announceAfterMs))) {
      try {
        await startOwed(deps.alerts, deps.workflows, owed);
        told++;
      } catch (err) {
        if (err instanceof TemporalUnavailableError) return open.length + told;
        throw err;
      }
    }
    for (const owed of await deps.alerts.unannounced(deps.workflows.taskQueue, new Date(now - announceAfterMs))) {
      try {
        // An expiry is the workflow's own event: it knows it already. The marks say which owed events are acknowledgements.
        if (owed.action !== 'expire') await deps.workflows.signalEvent(owed.id, owed.action ?? 'update', owed.last_sequence, owed.acks);
        await deps.alerts.markAnnounced(owed.id, owed.last_sequence);
        told++;
      } catch (err) {
        if (err instanceof TemporalUnavailableError) break;
        if (!(err instanceof WorkflowEndedError)) throw err;
        const termination = await deps.workflows.termination(owed.id);
        if (termination) await deps.alerts.recordTermination(owed.id, termination, { evenIfClosed: true });
        await deps.alerts.markAnnounced(owed.id, owed.last_sequence);
      }
    }
    return open.length + told;
  };
  const tick = () => {
    running ??= once()
      .catch((err) => {
        deps.logger.warn({ err: (err as Error).message }, 'could not check Temporal for ended alert workflows; will try again');
        return 0;
      })
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    /** Stops the timer and waits for a check under way: its Temporal calls must end before the connection does. */
    async stop() {
      clearInterval(timer);
      await running;
    },
    once,
  };
}
