// Temporal runs no code of a workflow that is terminated, fails or times out, so the read model
// would say "triggered" forever. Every so often the API asks visibility for alert workflows that
// ended that way and records it, with Temporal's reason, on the alerts the store still has open.
import type { Logger } from 'pino';
import type { AlertStore } from '../store/alerts';
import type { AlertWorkflows } from '../temporal/alert-workflows';

export const RECONCILE_EVERY_MS = 15_000;
/** Visibility is eventually consistent: each look goes back a little before the previous one. */
const OVERLAP_MS = 60_000;
/** The first look after a start goes back this far. */
const FIRST_LOOK_BACK_MS = 7 * 86_400_000;

export function startAlertReconciler(deps: { alerts: AlertStore; workflows: AlertWorkflows; logger: Logger }, everyMs = RECONCILE_EVERY_MS): { stop(): void; once(): Promise<number> } {
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
    return open.length;
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
  return { stop: () => clearInterval(timer), once };
}
