// What the operations workflow (./workflow.ts) is started with and told, shared with the emitter
// (src/temporal/operations.ts).
import { defineSignal } from '@temporalio/workflow';
import type { IncidentRef } from '../../destinations/types';
import type { OperationalDelivery } from '../../domain/operational-events';

export const operationalEventSignal = defineSignal<[OperationalDelivery]>('operationalEvent');

export type OperationsInput = {
  destinationId: string;
  /** Events not sent yet, oldest first (carried over by continue-as-new). */
  pending: OperationalDelivery[];
  /** The incident each open outage keeps at this destination (incident.io), by subject key; closed ones are dropped. */
  incidents: Record<string, IncidentRef>;
};

export const operationsWorkflowIdFor = (destinationId: string) => `herald-operations:${destinationId}`;
