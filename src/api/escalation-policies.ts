// /v1/escalation-policies (README "Escalation policies"): ordered steps that notify more destinations
// while nobody acknowledged an alert. Rules route to a policy; a running alert keeps the policy as it
// was when it was routed, so editing one changes only the alerts routed after.
import { Router, type Response } from 'express';
import { z } from 'zod';
import { changesBetween } from '../domain/audit';
import { escalationPolicyInputSchema, escalationStepSchema, type EscalationPolicy, type EscalationPolicyInput } from '../domain/escalation';
import type { DestinationStore } from '../store/destinations';
import type { EscalationPolicyStore } from '../store/escalation-policies';
import type { Audit } from './audit';
import { requireDestinations } from './alerts';
import { nameConflictsAs409 } from './destinations';
import { HttpError, parseBody } from './errors';
import { tenantOf } from './request-tenant';

/** PATCH body: any field of a policy; the merged policy is checked again. */
export const escalationPolicyPatchSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().max(2000).nullable().optional().describe('Text, or null to remove it'),
  steps: z.array(escalationStepSchema).min(1).max(10).optional().describe('The whole list'),
  repeat: z.number().int().min(0).max(10).optional(),
  repeat_after_s: z.number().int().min(60).max(7 * 86_400).nullable().optional().describe('Seconds, or null to remove it'),
  ack_timeout_s: z.number().int().min(60).max(7 * 86_400).nullable().optional().describe('Seconds, or null to remove it'),
});

const TIMES = ['created_at', 'updated_at'];

export function escalationPoliciesRouter(deps: { policies: EscalationPolicyStore; destinations: DestinationStore; audit: Audit }) {
  const { audit } = deps;
  const router = Router();
  // The request's tenant's policies and destinations only (src/api/request-tenant.ts): a policy's steps
  // name only its own tenant's destinations, and another tenant's ids are not found.
  const policiesOf = (res: Response) => deps.policies.forTenant(tenantOf(res));

  const find = async (res: Response, id: string): Promise<EscalationPolicy> => {
    const policy = await policiesOf(res).get(id);
    if (!policy) throw new HttpError(404, 'escalation_policy_not_found', `no escalation policy with id ${id}`);
    return policy;
  };

  const validated = async (res: Response, body: unknown): Promise<EscalationPolicyInput> => {
    const input = parseBody(escalationPolicyInputSchema, body);
    const destinations = deps.destinations.forTenant(tenantOf(res));
    for (const [i, step] of input.steps.entries()) await requireDestinations(destinations, step.destination_ids, `steps.${i}.destination_ids`);
    return { ...input, steps: input.steps.map((step) => ({ ...step, destination_ids: [...new Set(step.destination_ids)] })) };
  };

  router.post('/', async (req, res) => {
    const created = await nameConflictsAs409(async () => policiesOf(res).create(await validated(res, req.body)));
    await audit(res, { action: 'escalation_policy.created', target: { type: 'escalation_policy', id: created.id }, changes: changesBetween(undefined, created, TIMES) });
    res.status(201).json(created);
  });

  router.get('/', async (_req, res) => {
    res.json({ data: await policiesOf(res).list() });
  });

  router.get('/:id', async (req, res) => {
    res.json(await find(res, req.params.id));
  });

  router.patch('/:id', async (req, res) => {
    const patch = parseBody(escalationPolicyPatchSchema, req.body);
    const existing = await find(res, req.params.id);
    const { id, created_at: _c, updated_at: _u, ...current } = existing;
    const merged: Record<string, unknown> = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined && v !== null)) };
    for (const [field, value] of Object.entries(patch)) if (value === null) delete merged[field];
    const updated = await nameConflictsAs409(async () => policiesOf(res).replace(id, await validated(res, merged)));
    if (!updated) throw new HttpError(404, 'escalation_policy_not_found', `no escalation policy with id ${id}`); // deleted meanwhile
    await audit(res, { action: 'escalation_policy.updated', target: { type: 'escalation_policy', id }, changes: changesBetween(existing, updated, TIMES) });
    res.json(updated);
  });

  router.delete('/:id', async (req, res) => {
    const existing = await find(res, req.params.id);
    const users = await policiesOf(res).rulesUsing(existing.id);
    if (users.length > 0) {
      throw new HttpError(409, 'escalation_policy_in_use', `rules route to this policy: ${users.map((r) => r.name).join(', ')}; change them first`, { rules: users });
    }
    if (!(await policiesOf(res).delete(existing.id))) throw new HttpError(404, 'escalation_policy_not_found', `no escalation policy with id ${req.params.id}`);
    await audit(res, { action: 'escalation_policy.deleted', target: { type: 'escalation_policy', id: existing.id }, changes: changesBetween(existing, undefined, TIMES) });
    res.status(204).end();
  });

  return router;
}
