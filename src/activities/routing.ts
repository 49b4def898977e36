// Where an alert goes: the union of its explicit destinations and those of every enabled rule it
// matches, each once (explicit ones first), leaving out missing and disabled destinations.
import { ApplicationFailure } from '@temporalio/common';
import type { Alert } from '../domain/alert';
import { ruleMatches, type DestinationFilters } from '../domain/routing';
import type { AlertStore } from '../store/alerts';
import type { DestinationStore } from '../store/destinations';
import type { RuleStore } from '../store/rules';

export type Route = {
  destination_id: string;
  name: string;
  type: string;
  retry_schedule: number[];
  /** Seconds one HTTP request may take; bounds the delivery activity so a lost worker is noticed soon. */
  timeout_s: number;
  /** The rules that chose this destination; empty when the alert named it explicitly. */
  rules: { id: string; name: string }[];
};

export type RoutingResult = { routes: Route[]; skipped: { destination_id: string; reason: string }[] };

/** The routes with the destination's filters, for the first workflow version that filtered itself. */
export type RouteWithFilters = Route & { filters: DestinationFilters };

export async function chooseRoutes(
  { rules, destinations }: { rules: RuleStore; destinations: DestinationStore },
  alert: Alert,
  destinationIds: string[],
): Promise<{ routes: RouteWithFilters[]; skipped: RoutingResult['skipped'] }> {
  const chosenBy = new Map<string, { id: string; name: string }[]>(destinationIds.map((id) => [id, []]));
  for (const rule of await rules.list({ enabledOnly: true })) {
    if (!ruleMatches(rule.match, alert)) continue;
    for (const id of rule.destination_ids) chosenBy.set(id, [...(chosenBy.get(id) ?? []), { id: rule.id, name: rule.name }]);
  }
  const found = new Map((await destinations.getMany([...chosenBy.keys()])).map((d) => [d.id, d]));
  const result: { routes: RouteWithFilters[]; skipped: RoutingResult['skipped'] } = { routes: [], skipped: [] };
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
}

export function createRoutingActivities(deps: { alerts: AlertStore; rules: RuleStore; destinations: DestinationStore }) {
  return {
    /** Routes the alert kept in the store and records where it goes (the lanes GET shows). */
    async routeAlert({ alertId, destinationIds }: { alertId: string; destinationIds: string[] }): Promise<RoutingResult> {
      const alert = await deps.alerts.document(alertId);
      // The API keeps the alert before it starts the workflow and forgets it when it answered 503:
      // this run belongs to a trigger that was not accepted, so it fails, and a retried trigger starts anew.
      if (!alert) throw ApplicationFailure.nonRetryable(`alert ${alertId} was not accepted (it is not in the store)`, 'AlertNotAccepted');
      const { routes, skipped } = await chooseRoutes(deps, alert, destinationIds);
      await deps.alerts.recordRouting(alertId, routes, skipped);
      // Filters are judged when each event goes out (with the destination as it is then), not here.
      return { routes: routes.map(({ filters: _judgedAtSend, ...route }) => route), skipped };
    },
  };
}
