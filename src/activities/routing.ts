// Where an alert goes: the union of its explicit destinations and those of every enabled rule it
// matches, each once (explicit ones first), leaving out missing and disabled destinations.
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Alert } from '../domain/alert';
import { groupIdentity, groupKeyOf, type GroupMembership, type GroupOrigin, type GroupPolicy } from '../domain/grouping';
import type { SenderGroup } from '../workflows/alert/messages';
import type { Hold, SilenceStore } from '../store/silences';
import type { GroupStore } from '../store/groups';
import type { InhibitionStore } from '../store/inhibitions';
import { joinMemberships, type GroupSignals } from './groups';
import type { DestinationFilters } from '../domain/routing';
import type { AlertStore } from '../store/alerts';
import type { DestinationStore } from '../store/destinations';
import type { RuleStore } from '../store/rules';
import type { EscalationPolicyStore } from '../store/escalation-policies';
import type { EscalationRecord } from '../domain/escalation';
import { DEFAULT_TENANT } from '../domain/tenants';

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

/** `groups`: destinations reached through groups (README "Grouping"); `routes` are the alert's own lanes. */
export type RoutingResult = {
  routes: Route[];
  skipped: { destination_id: string; reason: string }[];
  groups?: GroupMembership[];
  /** A silence (README "Silences") or an inhibiting alert (README "Inhibition") holds the alert: nothing of it goes out until it lets go. */
  held?: Hold;
  /** The groups routing put the alert in (when nothing holds it: a held alert joins `groups` once let go). */
  joined?: string[];
  /** The alert resolves itself after this long without news (README "Auto-resolve"): its own setting, else the shortest of its rules'. */
  auto_resolve_after_s?: number;
  /** The escalation policy of the first matching rule that has one (README "Escalation policies"), its destinations found. */
  escalation?: EscalationPlan;
};

export type EscalationPlan = {
  policy_id: string;
  name: string;
  steps: { after_s: number; routes: Route[] }[];
  repeat: number;
  repeat_after_s?: number;
  ack_timeout_s?: number;
};

/** The routes with the destination's filters, for the first workflow version that filtered itself. */
export type RouteWithFilters = Route & { filters: DestinationFilters };

/** `tenant`: the alert's (README "Serving your customers"): only its rules and destinations route it. */
export async function chooseRoutes(
  { rules, destinations }: { rules: RuleStore; destinations: DestinationStore },
  alert: Alert,
  destinationIds: string[],
  tenant: string = DEFAULT_TENANT,
): Promise<{
  routes: RouteWithFilters[];
  skipped: RoutingResult['skipped'];
  groupedBy: Map<string, { id: string; name: string; group: GroupPolicy }>;
  autoResolveAfterS?: number;
  escalatedBy?: { policyId: string; rule: { id: string; name: string } };
}> {
  const chosenBy = new Map<string, { id: string; name: string }[]>(destinationIds.map((id) => [id, []]));
  // A destination the alert did not name goes through the group of the first grouping rule that chose it.
  const groupedBy = new Map<string, { id: string; name: string; group: GroupPolicy }>();
  let rulesAutoResolve: number | undefined;
  let escalatedBy: { policyId: string; rule: { id: string; name: string } } | undefined;
  for (const rule of (await rules.enabledIndex(tenant)).matching(alert)) {
    if (rule.auto_resolve_after_s !== undefined) rulesAutoResolve = Math.min(rulesAutoResolve ?? Infinity, rule.auto_resolve_after_s);
    if (rule.escalation_policy_id !== undefined) escalatedBy ??= { policyId: rule.escalation_policy_id, rule: { id: rule.id, name: rule.name } };
    for (const id of rule.destination_ids) {
      chosenBy.set(id, [...(chosenBy.get(id) ?? []), { id: rule.id, name: rule.name }]);
      if (rule.group && !destinationIds.includes(id) && !groupedBy.has(id)) groupedBy.set(id, { id: rule.id, name: rule.name, group: rule.group });
    }
  }
  // Another tenant's destination, named by the alert, is skipped as one that does not exist.
  const found = new Map((await destinations.forTenant(tenant).getMany([...chosenBy.keys()])).map((d) => [d.id, d]));
  const autoResolveAfterS = alert.auto_resolve_after_s ?? rulesAutoResolve;
  const result = { routes: [] as RouteWithFilters[], skipped: [] as RoutingResult['skipped'], groupedBy, ...(autoResolveAfterS !== undefined && { autoResolveAfterS }), ...(escalatedBy && { escalatedBy }) };
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

/** The policy's steps with their destinations found, and the record the read model keeps of them; undefined if the policy is gone. */
async function planEscalation(
  deps: { policies: EscalationPolicyStore; destinations: DestinationStore },
  by: { policyId: string; rule: { id: string; name: string } },
  tenant: string,
): Promise<{ plan: EscalationPlan; record: EscalationRecord } | undefined> {
  const policy = await deps.policies.forTenant(tenant).get(by.policyId);
  if (!policy) return undefined;
  const found = new Map((await deps.destinations.forTenant(tenant).getMany([...new Set(policy.steps.flatMap((s) => s.destination_ids))])).map((d) => [d.id, d]));
  const steps = policy.steps.map((step) => {
    const routes: Route[] = [];
    const skipped: { destination_id: string; reason: string }[] = [];
    for (const id of step.destination_ids) {
      const d = found.get(id);
      if (!d) skipped.push({ destination_id: id, reason: 'destination does not exist' });
      else if (!d.enabled) skipped.push({ destination_id: id, reason: 'destination is disabled' });
      else routes.push({ destination_id: id, name: d.name, type: d.type, retry_schedule: d.retry_schedule, timeout_s: d.timeout_s, rules: [by.rule] });
    }
    return { after_s: step.after_s, routes, skipped };
  });
  const timing = {
    repeat: policy.repeat,
    ...(policy.repeat_after_s !== undefined && { repeat_after_s: policy.repeat_after_s }),
    ...(policy.ack_timeout_s !== undefined && { ack_timeout_s: policy.ack_timeout_s }),
  };
  return {
    plan: { policy_id: policy.id, name: policy.name, steps: steps.map(({ after_s, routes }) => ({ after_s, routes })), ...timing },
    record: {
      policy: { id: policy.id, name: policy.name, ...timing },
      steps: steps.map(({ after_s, routes, skipped }) => ({ after_s, destinations: routes.map((r) => ({ id: r.destination_id, name: r.name })), skipped })),
      fired: [],
    },
  };
}

export function createRoutingActivities(deps: {
  alerts: AlertStore;
  rules: RuleStore;
  policies: EscalationPolicyStore;
  destinations: DestinationStore;
  silences: SilenceStore;
  inhibitions: InhibitionStore;
  groups: GroupStore;
  groupSignals: GroupSignals;
}) {
  /** A silence first (it says until when), else an open alert that inhibits this one. */
  /** Only the alert's tenant's silences and inhibition rules hold it. */
  const holdOf = async (alertId: string, alert: Alert, at: Date, wasHeld: boolean, tenant: string): Promise<Hold | undefined> =>
    (await deps.silences.hold(alertId, alert, at, { wasHeld, tenant })) ?? (await deps.inhibitions.hold(alertId, alert, at, { wasHeld, tenant }));
  return {
    /** Routes the alert kept in the store and records where it goes (the lanes GET shows). */
    /** `at`: the workflow's clock, which silences are judged by (their ends are the workflow's timers). */
    async routeAlert({ alertId, destinationIds, senderGroup, at }: { alertId: string; destinationIds: string[]; senderGroup?: SenderGroup; at?: string }): Promise<RoutingResult> {
      const kept = await deps.alerts.documentAndTenant(alertId);
      // The API keeps the alert before it starts the workflow, and keeps it after a 503 too: a run
      // without it is one whose rows were removed (an alert of the first workflow version): it fails.
      if (!kept) throw ApplicationFailure.nonRetryable(`alert ${alertId} was not accepted (it is not in the store)`, 'AlertNotAccepted');
      const { alert, tenant } = kept;
      const chosen = await chooseRoutes(deps, alert, destinationIds, tenant);
      const { own, groups } = splitByGroup(alert, chosen.routes, chosen.groupedBy, senderGroup);
      await deps.alerts.recordRouting(alertId, own, chosen.skipped);
      const escalation = chosen.escalatedBy && (await planEscalation(deps, chosen.escalatedBy, tenant));
      if (escalation) await deps.alerts.recordEscalation(alertId, escalation.record);
      const now = at ? new Date(at) : new Date();
      const held = await holdOf(alertId, alert, now, false, tenant);
      // Joined here, in the alert's first workflow task, so group_wait starts as soon as the alert is routed.
      const joined = groups.length > 0 && !held ? await joinMemberships(deps, alertId, groups, now) : undefined;
      // Filters are judged when each event goes out (with the destination as it is then), not here.
      return {
        routes: own.map(({ filters: _judgedAtSend, ...route }) => route),
        skipped: chosen.skipped,
        ...(groups.length > 0 && { groups }),
        ...(held && { held }),
        ...(joined && { joined }),
        ...(chosen.autoResolveAfterS !== undefined && { auto_resolve_after_s: chosen.autoResolveAfterS }),
        ...(escalation && { escalation: escalation.plan }),
      };
    },

    /** What held the alert ended, changed, or is due to be looked at again: what holds it now, if anything. */
    async recheckHold({ alertId, at }: { alertId: string; at: string }): Promise<Hold | undefined> {
      const kept = await deps.alerts.documentAndTenant(alertId);
      if (!kept) return undefined;
      return holdOf(alertId, kept.alert, new Date(at), true, kept.tenant);
    },

    /** The alert closed while held: nothing of it went out, so nothing is owed. */
    async closedWhileHeld({ alertId }: { alertId: string }): Promise<void> {
      await deps.silences.closedWhileHeld(alertId);
    },
  };
}

/**
 * Which routes the alert's own lanes take and which go through groups: with the sender's grouping
 * every route is the sender group's; otherwise each grouping rule makes one group of the routes it chose.
 */
export function splitByGroup(
  alert: Alert,
  routes: RouteWithFilters[],
  groupedBy: Map<string, { id: string; name: string; group: GroupPolicy }>,
  senderGroup: SenderGroup | undefined,
): { own: RouteWithFilters[]; groups: GroupMembership[] } {
  if (senderGroup && routes.length > 0) {
    const origin: GroupOrigin = { kind: 'sender', source: senderGroup.source, name: senderGroup.receiver, group_key: senderGroup.group_key };
    // The sender's group labels say what the group is about; its groupKey (in the origin) is what identifies it.
    const key = Object.keys(senderGroup.group_labels).length > 0 ? senderGroup.group_labels : { group_key: senderGroup.group_key };
    return { own: [], groups: [membership(origin, key, senderGroup.policy, routes.map((r) => r.destination_id))] };
  }
  const own: RouteWithFilters[] = [];
  const byRule = new Map<string, { rule: { id: string; name: string; group: GroupPolicy }; destinationIds: string[] }>();
  for (const route of routes) {
    const rule = groupedBy.get(route.destination_id);
    if (!rule) own.push(route);
    else byRule.set(rule.id, { rule, destinationIds: [...(byRule.get(rule.id)?.destinationIds ?? []), route.destination_id] });
  }
  const groups = [...byRule.values()].map(({ rule, destinationIds }) =>
    membership({ kind: 'rule', rule_id: rule.id, name: rule.name }, groupKeyOf(rule.group.by, alert), rule.group, destinationIds),
  );
  return { own, groups };
}

function membership(origin: GroupOrigin, key: Record<string, string>, policy: GroupPolicy, destinationIds: string[]): GroupMembership {
  const digest = createHash('sha256').update(groupIdentity(origin, destinationIds, key)).digest('hex').slice(0, 24);
  return { key_id: `grp_${digest}`, origin, key, policy, destination_ids: destinationIds };
}
