// /v1/rules: routing rules. An alert goes to the union of the destinations of every enabled rule
// it matches and its explicit destinations.
import { Router, type Response } from 'express';
import { changesBetween } from '../domain/audit';
import type { Audit } from './audit';
import { z } from 'zod';
import { nonBlank } from '../domain/non-blank';
import { autoResolveAfterS, labelMapSchema, SEVERITIES } from '../domain/alert';
import { groupPolicySchema } from '../domain/grouping';
import { muteWindowsSchema } from '../domain/mute-windows';
import type { DestinationStore } from '../store/destinations';
import type { Rule, RuleStore } from '../store/rules';
import type { EscalationPolicyStore } from '../store/escalation-policies';
import { HttpError, parseBody } from './errors';

import { requireDestinations } from './alerts';
import { nameConflictsAs409 } from './destinations';
import { tenantOf } from './request-tenant';

export const ruleInputSchema = z.strictObject({
  name: nonBlank(200),
  enabled: z.boolean().default(true),
  match: z
    .strictObject({
      event_types: z.array(z.string().min(1).max(200)).max(100).optional(),
      severities: z.array(z.enum(SEVERITIES)).optional(),
      asset: z.string().min(1).max(1000).optional(),
      labels: labelMapSchema.optional(),
    })
    .default({}),
  destination_ids: z.array(z.string().min(1)).max(100).default([]).describe('At least one, unless the rule routes to an escalation policy'),
  group: groupPolicySchema.optional().describe('Group the alerts this rule routes (README "Grouping"); absent: each alert is sent on its own'),
  mute_windows: muteWindowsSchema.default([]).describe('Recurring times when the destinations this rule chose are sent nothing of what it routes (README "Mute windows")'),
  auto_resolve_after_s: autoResolveAfterS.optional().describe('The alerts this rule matches resolve themselves after this many seconds without news (README "Auto-resolve"); an alert\'s own setting comes first, else the shortest of its rules\''),
  escalation_policy_id: z
    .string()
    .min(1)
    .nullable()
    .optional()
    .describe('The alerts this rule matches escalate by this policy (README "Escalation policies"); the first matching rule with a policy decides; null: none'),
}).refine((rule) => rule.destination_ids.length > 0 || typeof rule.escalation_policy_id === 'string', {
  path: ['destination_ids'],
  message: 'name at least one destination, or an escalation_policy_id',
  // Checked even when other fields failed, so one answer names every field to fix.
  when: (payload) => Array.isArray((payload.value as { destination_ids?: unknown } | null)?.destination_ids),
});

/** PATCH body: any field of a rule, each as a rule has it; the merged rule is checked again. */
export const rulePatchSchema = z.strictObject({
  name: ruleInputSchema.shape.name.optional(),
  enabled: z.boolean().optional(),
  match: ruleInputSchema.shape.match.unwrap().optional(),
  destination_ids: ruleInputSchema.shape.destination_ids.unwrap().optional(),
  group: groupPolicySchema.nullable().optional().describe('A policy, or null to stop grouping'),
  mute_windows: muteWindowsSchema.optional().describe('The whole list; [] removes every window'),
  auto_resolve_after_s: autoResolveAfterS.nullable().optional().describe('Seconds, or null to stop'),
  escalation_policy_id: z.string().min(1).nullable().optional().describe('A policy id, or null to stop escalating'),
});

export function rulesRouter(deps: { rules: RuleStore; destinations: DestinationStore; policies: EscalationPolicyStore; audit: Audit; muteWindowsChanged: () => Promise<void> }) {
  const { audit, muteWindowsChanged } = deps;
  // The request's tenant's rules, destinations and policies only (src/api/request-tenant.ts): a rule
  // names only its own tenant's destinations, and another tenant's ids are not found.
  const rulesOf = (res: Response) => deps.rules.forTenant(tenantOf(res));
  const TIMES = ['created_at', 'updated_at'];
  const router = Router();

  const find = async (res: Response, id: string): Promise<Rule> => {
    const rule = await rulesOf(res).get(id);
    if (!rule) throw new HttpError(404, 'rule_not_found', `no rule with id ${id}`);
    return rule;
  };

  const validated = async (res: Response, body: unknown) => {
    const { escalation_policy_id: policyId, ...input } = parseBody(ruleInputSchema, body);
    await requireDestinations(deps.destinations.forTenant(tenantOf(res)), input.destination_ids, 'destination_ids');
    if (typeof policyId === 'string' && !(await deps.policies.forTenant(tenantOf(res)).get(policyId))) {
      throw new HttpError(422, 'unknown_escalation_policy', `unknown escalation policy id: ${policyId}`, { field: 'escalation_policy_id' });
    }
    return { ...input, destination_ids: [...new Set(input.destination_ids)], ...(typeof policyId === 'string' && { escalation_policy_id: policyId }) };
  };

  router.post('/', async (req, res) => {
    const created = await nameConflictsAs409(async () => rulesOf(res).create(await validated(res, req.body)));
    await audit(res, { action: 'rule.created', target: { type: 'rule', id: created.id }, changes: changesBetween(undefined, created, TIMES) });
    res.status(201).json(created);
  });

  router.get('/', async (_req, res) => {
    res.json({ data: await rulesOf(res).list() });
  });

  router.get('/:id', async (req, res) => {
    res.json(await find(res, req.params.id));
  });

  router.patch('/:id', async (req, res) => {
    const patch = parseBody(rulePatchSchema, req.body);
    const existing = await find(res, req.params.id);
    const { id, created_at: _c, updated_at: _u, ...current } = existing;
    const merged = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined && v !== null)) };
    if (patch.group === null) delete merged.group;
    if (patch.auto_resolve_after_s === null) delete merged.auto_resolve_after_s;
    if (patch.escalation_policy_id === null) delete merged.escalation_policy_id;
    const updated = await nameConflictsAs409(async () => rulesOf(res).replace(id, await validated(res, merged)));
    if (!updated) throw new HttpError(404, 'rule_not_found', `no rule with id ${id}`); // deleted meanwhile
    await audit(res, { action: 'rule.updated', target: { type: 'rule', id }, changes: changesBetween(existing, updated, TIMES) });
    if (patch.mute_windows !== undefined) await muteWindowsChanged();
    res.json(updated);
  });

  router.delete('/:id', async (req, res) => {
    const existing = await find(res, req.params.id);
    if (!(await rulesOf(res).delete(existing.id))) throw new HttpError(404, 'rule_not_found', `no rule with id ${req.params.id}`);
    await audit(res, { action: 'rule.deleted', target: { type: 'rule', id: existing.id }, changes: changesBetween(existing, undefined, TIMES) });
    if (existing.mute_windows.length > 0) await muteWindowsChanged();
    res.status(204).end();
  });

  return router;
}
