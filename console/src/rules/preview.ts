// Where an example alert would go, computed with Herald's own routing functions (src/domain/routing.ts,
// shared with the routing activity and the workflow) over the rules and destinations the API lists.
// It mirrors resolveRoutes in src/activities/index.ts: enabled rules in order, each destination once,
// missing and disabled ones skipped; then the destination's filters decide whether alert.triggered is sent.
import { filterAllows, ruleMatches, type Subject } from '../../../src/domain/routing';
import type { Destination, Rule } from '../types';

export type Reach = {
  destination_id: string;
  name: string;
  rules: string[];
  /** Whether alert.triggered would be sent there, and if not, why. */
  sent: boolean;
  reason?: string;
};

export function preview(rules: readonly Rule[], destinations: readonly Destination[], alert: Subject): Reach[] {
  const chosenBy = new Map<string, string[]>();
  for (const rule of rules) {
    if (!rule.enabled || !ruleMatches(rule.match, alert)) continue;
    for (const id of rule.destination_ids) chosenBy.set(id, [...(chosenBy.get(id) ?? []), rule.name]);
  }
  const byId = new Map(destinations.map((d) => [d.id, d]));
  return [...chosenBy].map(([id, ruleNames]) => {
    const d = byId.get(id);
    const reach = { destination_id: id, name: d?.name ?? id, rules: ruleNames };
    if (!d) return { ...reach, sent: false, reason: 'destination does not exist' };
    if (!d.enabled) return { ...reach, sent: false, reason: 'destination is disabled' };
    if (!filterAllows(d.filters, alert, 'alert.triggered')) return { ...reach, sent: false, reason: "the destination's filters leave this alert out" };
    if (d.needs_attention) return { ...reach, sent: false, reason: `destination needs attention: ${d.needs_attention}` };
    return { ...reach, sent: true };
  });
}
