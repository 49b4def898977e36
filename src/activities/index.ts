// The alert workflow's side effects. Built from their dependencies (createActivities) so the worker
// wires real ones and secrets never travel through workflow history: the workflow passes ids, the
// activity loads the destination, with its secrets, when it runs.
import type { Logger } from 'pino';
import type { Alert } from '../domain/alert';
import type { OutboundEvent } from '../domain/events';
import { ruleMatches, type DestinationFilters } from '../domain/routing';
import { deliveryId } from '../domain/signing';
import type { TargetPolicy } from '../domain/target-policy';
import type { Registry } from '../destinations/registry';
import type { DeliveryOutcome, IncidentRef } from '../destinations/types';
import { attemptDuration, deliveryAttempts } from '../metrics';
import type { DestinationStore } from '../store/destinations';
import type { RuleStore } from '../store/rules';

export type Route = {
  destination_id: string;
  name: string;
  type: string;
  retry_schedule: number[];
  /** Seconds one HTTP request may take; bounds the delivery activity so a lost worker is noticed soon. */
  timeout_s: number;
  /** The destination's filters (not secret): the lane applies them to each event. */
  filters: DestinationFilters;
  /** The rules that chose this destination; empty when the alert named it explicitly. */
  rules: { id: string; name: string }[];
};

export type RoutingResult = { routes: Route[]; skipped: { destination_id: string; reason: string }[] };

export type DeliverInput = {
  workflowId: string;
  destinationId: string;
  /** Position of the event in the alert's event list: with the workflow ID it fixes the delivery id. */
  sequence: number;
  attempt: number;
  event: OutboundEvent;
  /** The incident an earlier event opened at this destination (ids only, never secrets). */
  incident?: IncidentRef;
};

export type DeliverResult = DeliveryOutcome & { delivery_id: string };

export type ActivityDeps = {
  logger: Logger;
  destinations: DestinationStore;
  rules: RuleStore;
  registry: Registry;
  policy: TargetPolicy;
};

export function createActivities({ logger, destinations, rules, registry, policy }: ActivityDeps) {
  return {
    /**
     * Where the alert goes: the union of its explicit destinations and those of every enabled rule it
     * matches, each once (explicit ones first), leaving out missing and disabled destinations.
     */
    async resolveRoutes(input: { alert: Alert; destinationIds: string[] }): Promise<RoutingResult> {
      const chosenBy = new Map<string, { id: string; name: string }[]>(input.destinationIds.map((id) => [id, []]));
      for (const rule of await rules.list({ enabledOnly: true })) {
        if (!ruleMatches(rule.match, input.alert)) continue;
        for (const id of rule.destination_ids) chosenBy.set(id, [...(chosenBy.get(id) ?? []), { id: rule.id, name: rule.name }]);
      }
      const found = new Map((await destinations.getMany([...chosenBy.keys()])).map((d) => [d.id, d]));
      const result: RoutingResult = { routes: [], skipped: [] };
      for (const [id, byRules] of chosenBy) {
        const destination = found.get(id);
        if (!destination) result.skipped.push({ destination_id: id, reason: 'destination does not exist' });
        else if (!destination.enabled) result.skipped.push({ destination_id: id, reason: 'destination is disabled' });
        else {
          result.routes.push({
            destination_id: id,
            name: destination.name,
            type: destination.type,
            retry_schedule: destination.retry_schedule,
            timeout_s: destination.timeout_s,
            filters: destination.filters,
            rules: byRules,
          });
        }
      }
      return result;
    },

    /** One attempt to deliver one event to one destination. HTTP failures are returned, not thrown. */
    async deliverEvent(input: DeliverInput): Promise<DeliverResult> {
      const id = deliveryId(input.workflowId, input.destinationId, input.sequence);
      const destination = await destinations.get(input.destinationId);
      if (!destination) {
        return { delivery_id: id, ok: false, permanent: true, duration_ms: 0, error: 'destination was deleted' };
      }
      if (!destination.enabled) {
        return { delivery_id: id, ok: false, permanent: true, duration_ms: 0, error: 'destination is disabled' };
      }
      if (destination.needs_attention) {
        return { delivery_id: id, ok: false, permanent: true, duration_ms: 0, error: `destination needs attention: ${destination.needs_attention}` };
      }
      const provider = registry[destination.type];
      const { invocation: _shownOnlyByTests, ...outcome } = await provider.send(input.event, destination.config, {
        workflowId: input.workflowId,
        destinationId: destination.id,
        ...(input.incident && { incident: input.incident }),
        deliveryId: id,
        attempt: input.attempt,
        timeoutMs: destination.timeout_s * 1000,
        policy,
      });
      // One structured line per attempt, with the ids an operator searches by (never the configuration).
      logger.info(
        {
          alert_id: input.event.alert.id,
          workflow_id: input.workflowId,
          destination_id: destination.id,
          destination_type: destination.type,
          event_type: input.event.event_type,
          attempt: input.attempt,
          delivery_id: id,
          ok: outcome.ok,
          status_code: outcome.status_code,
          duration_ms: outcome.duration_ms,
          ...(outcome.error && { error: outcome.error }),
        },
        'delivery attempt',
      );
      deliveryAttempts.inc({ destination_type: destination.type, outcome: outcome.ok ? 'delivered' : outcome.permanent ? 'permanent_failure' : 'retryable_failure' });
      attemptDuration.observe({ destination_type: destination.type }, outcome.duration_ms / 1000);
      if (outcome.status_code === 410) await destinations.flag(destination.id, `the receiver answered 410 Gone at ${new Date().toISOString()}`);
      // The invocation data (request and response bodies) stays out of history.
      return { ...outcome, delivery_id: id };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
