// The activities of the first alert workflow version (workflows/legacy/alert-v1.ts), kept with the
// same names, inputs and results so alerts started before the read model finish. That version
// carries whole events in its inputs and keeps its state in the workflow, not in the store.
// Delete with it once no `alertWorkflow` runs (docs/architecture.md, "Versions").
import type { Alert } from '../domain/alert';
import type { OutboundEvent } from '../domain/events';
import { deliveryId } from '../domain/signing';
import type { DeliveryOutcome, IncidentRef } from '../destinations/types';
import type { DestinationStore } from '../store/destinations';
import type { RuleStore } from '../store/rules';
import { chooseRoutes, type RouteWithFilters } from './routing';
import { sendEvent, type SendDeps } from './send';

export type LegacyRoute = RouteWithFilters;
export type LegacyDeliverInput = { workflowId: string; destinationId: string; sequence: number; attempt: number; event: OutboundEvent; incident?: IncidentRef };
export type LegacyDeliverResult = DeliveryOutcome & { delivery_id: string };

export function createLegacyActivities(deps: SendDeps & { rules: RuleStore; destinations: DestinationStore }) {
  return {
    async resolveRoutes(input: { alert: Alert; destinationIds: string[] }): Promise<{ routes: LegacyRoute[]; skipped: { destination_id: string; reason: string }[] }> {
      // That version's alerts are all the default tenant's: they ran before tenants existed.
      return chooseRoutes(deps, input.alert, input.destinationIds);
    },

    async deliverEvent(input: LegacyDeliverInput): Promise<LegacyDeliverResult> {
      const id = deliveryId(input.workflowId, input.destinationId, input.sequence);
      // That version judged filters itself, before asking for an attempt.
      const sent = await sendEvent(deps, { ...input, deliveryId: id, applyFilters: false });
      if (sent.filtered || sent.muted || sent.waiting) throw new Error('unreachable: neither filters, mute windows, circuits nor rate limits are judged for the first workflow version');
      return { ...sent.outcome, delivery_id: id };
    },
  };
}

export type LegacyActivities = ReturnType<typeof createLegacyActivities>;
