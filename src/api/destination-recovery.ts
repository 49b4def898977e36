// Bulk recovery (README "Bulk recovery"): after an outage, every event that failed at a destination in
// a time window goes again in one call. The read model finds the alerts; each alert's workflow is sent
// the same redeliver signal a manual redelivery sends, so its failed events go in its own order, through
// the destination's circuit like any attempt.
import { runInKeyedChains } from '../concurrency';
import type { AlertStore } from '../store/alerts';
import { WorkflowEndedError, type AlertWorkflows } from '../temporal/alert-workflows';

/** Signals in flight at once: an outage may have failed thousands of alerts. */
const SIGNAL_CONCURRENCY = 16;

export type Recovery = {
  destination_id: string;
  since: string;
  until: string;
  /** Alerts told to redeliver, and the failed events they hold for the destination. */
  alerts_queued: number;
  events_queued: number;
  /** Alerts whose workflow ended before it could be told (nothing of theirs can be sent again). */
  alerts_ended: number;
};

export class DestinationRecovery {
  constructor(
    private readonly alerts: AlertStore,
    private readonly workflows: Pick<AlertWorkflows, 'redeliver' | 'taskQueue'>,
  ) {}

  async recover(destinationId: string, since: string, until: string, by?: string): Promise<Recovery> {
    const failed = await this.alerts.failedAt(this.workflows.taskQueue, destinationId, since, until);
    let queued = 0;
    let events = 0;
    let ended = 0;
    await runInKeyedChains(failed, SIGNAL_CONCURRENCY, (f) => f.alertId, async (f) => {
      try {
        await this.workflows.redeliver(f.alertId, destinationId, by);
        queued += 1;
        events += f.events;
      } catch (err) {
        if (!(err instanceof WorkflowEndedError)) throw err;
        ended += 1;
      }
    });
    return { destination_id: destinationId, since, until, alerts_queued: queued, events_queued: events, alerts_ended: ended };
  }
}
