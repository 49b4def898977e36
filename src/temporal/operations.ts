// Emitting Herald's own events (README "Operational events"): each goes to every destination
// HERALD_OPERATIONS_DESTINATIONS names (by name or id, looked up when an event is emitted, so the
// setting can name a destination before it exists) except the one it is about, by signal-with-start to
// that destination's operations workflow, which sends them in order. Best effort: an emission that cannot
// reach Temporal is logged and dropped, and the delivery that caused it goes on as it would.
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { DestinationStore } from '../store/destinations';
import { operationalDelivery, type OperationalFacts, type OperationalSubject } from '../domain/operational-events';
import { operationalEventSignal, operationsWorkflowIdFor, type OperationsInput } from '../workflows/operations/messages';

export interface OperationalEvents {
  emit(subject: OperationalSubject, facts: OperationalFacts, at: Date): Promise<void>;
}

/** How long the names are taken as resolved: emissions come in bursts (an outage exhausts many events). */
const RESOLVED_FOR_MS = 10_000;

export class OperationsEmitter implements OperationalEvents {
  private resolved: { at: number; ids: Promise<string[]> } | undefined;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly names: readonly string[],
    private readonly destinations: Pick<DestinationStore, 'list'>,
    private readonly logger: Logger,
    private readonly publicUrl: string,
  ) {}

  async emit(subject: OperationalSubject, facts: OperationalFacts, at: Date): Promise<void> {
    if (this.names.length === 0) return;
    let targets: string[];
    try {
      targets = (await this.operationsDestinations()).filter((id) => id !== subject.id); // never about itself
    } catch (err) {
      this.logger.warn({ err, event_type: facts.type, about: subject.id }, 'operational event not emitted: the operations destinations could not be read');
      return;
    }
    if (targets.length === 0) return;
    const delivery = operationalDelivery(subject, facts, at, {
      destination: `${this.publicUrl}/console/#/destinations/${encodeURIComponent(subject.id)}`,
      health: `${this.publicUrl}/v1/destinations/${encodeURIComponent(subject.id)}/health`,
    });
    await Promise.all(
      targets.map(async (destinationId) => {
        try {
          await this.client.workflow.signalWithStart('operationsWorkflow', {
            workflowId: operationsWorkflowIdFor(destinationId),
            taskQueue: this.taskQueue,
            args: [{ destinationId, pending: [], incidents: {} } satisfies OperationsInput],
            signal: operationalEventSignal,
            signalArgs: [delivery],
          });
        } catch (err) {
          this.logger.warn({ err, destination_id: destinationId, event_type: facts.type, about: subject.id }, 'operational event not emitted');
        }
      }),
    );
  }

  private operationsDestinations(): Promise<string[]> {
    if (!this.resolved || Date.now() - this.resolved.at > RESOLVED_FOR_MS) {
      const ids = this.destinations.list().then((all) => all.filter((d) => d.enabled && (this.names.includes(d.id) || this.names.includes(d.name))).map((d) => d.id));
      this.resolved = { at: Date.now(), ids };
      ids.catch(() => (this.resolved = undefined)); // the store unreachable: look again next time
    }
    return this.resolved.ids;
  }
}

/** No operations destinations configured (and in tests that do not look at them). */
export const NO_OPERATIONAL_EVENTS: OperationalEvents = { emit: async () => undefined };
