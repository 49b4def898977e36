// /v1/inhibit-rules (README "Inhibition"): while an alert matching a rule's source matchers is open,
// alerts matching its target matchers with the same `equal` values are held until it closes.
import { Router, type Response } from 'express';
import { changesBetween } from '../domain/audit';
import { inhibitRuleInputSchema } from '../domain/inhibition';
import type { InhibitionStore } from '../store/inhibitions';
import type { Audit } from './audit';
import { HttpError, parseBody } from './errors';
import { tenantOf } from './request-tenant';

export function inhibitRulesRouter({ inhibitions: all, audit }: { inhibitions: InhibitionStore; audit: Audit }) {
  const router = Router();
  // The request's tenant's rules only (src/api/request-tenant.ts); another tenant's id is a missing one.
  const rulesOf = (res: Response) => all.forTenant(tenantOf(res));
  const notFound = (id: string) => new HttpError(404, 'inhibit_rule_not_found', `no inhibition rule with id ${id}`);

  router.post('/', async (req, res) => {
    const created = await rulesOf(res).create(parseBody(inhibitRuleInputSchema, req.body));
    await audit(res, { action: 'inhibit_rule.created', target: { type: 'inhibit_rule', id: created.id }, changes: changesBetween(undefined, created, ['created_at']) });
    res.status(201).json(created);
  });

  router.get('/', async (_req, res) => {
    res.json({ data: await rulesOf(res).list() });
  });

  router.get('/:id', async (req, res) => {
    const rule = await rulesOf(res).get(req.params.id);
    if (!rule) throw notFound(req.params.id);
    res.json(rule);
  });

  // Alerts it holds now stay held until they look again (at most INHIBITION_RECHECK_MS, src/store/inhibitions.ts).
  router.delete('/:id', async (req, res) => {
    const inhibitions = rulesOf(res);
    const rule = await inhibitions.get(req.params.id);
    if (!rule || !(await inhibitions.delete(rule.id))) throw notFound(req.params.id);
    await audit(res, { action: 'inhibit_rule.deleted', target: { type: 'inhibit_rule', id: rule.id }, changes: changesBetween(rule, undefined, ['created_at']) });
    res.status(204).end();
  });

  return router;
}
