// /v1/silences (README "Silences"): create, list, read, and expire (DELETE) silences. Expiring one
// tells every alert it holds to look again, so each is delivered at once if it still fires.
import { Router, type Response } from 'express';
import { z } from 'zod';
import { silenceInputSchema, silenceState, type Silence } from '../domain/silences';
import type { SilenceStore } from '../store/silences';
import { WorkflowEndedError, type AlertWorkflows } from '../temporal/alert-workflows';
import type { Audit } from './audit';
import { changesBetween } from '../domain/audit';
import { HttpError, parseBody, parseQuery, validationError } from './errors';
import { tenantOf } from './request-tenant';

export const silenceListQuerySchema = z.strictObject({ state: z.enum(['pending', 'active', 'expired']).optional() });

export function silencesRouter({ silences: all, workflows, audit }: { silences: SilenceStore; workflows: AlertWorkflows; audit: Audit }) {
  const router = Router();
  // The request's tenant's silences only (src/api/request-tenant.ts); another tenant's id is a missing one.
  const silencesOf = (res: Response) => all.forTenant(tenantOf(res));
  const view = (s: Silence) => ({ ...s, state: silenceState(s, new Date()) });

  router.post('/', async (req, res) => {
    const input = parseBody(silenceInputSchema, req.body);
    if (input.ends_at <= (input.starts_at ?? new Date().toISOString())) throw validationError([{ path: 'ends_at', message: 'must be after starts_at (and in the future)' }]);
    const created = await silencesOf(res).create(input);
    await audit(res, { action: 'silence.created', target: { type: 'silence', id: created.id }, changes: changesBetween(undefined, created, ['created_at']) });
    res.status(201).json(view(created));
  });

  router.get('/', async (req, res) => {
    const { state } = parseQuery(silenceListQuerySchema, req.query);
    res.json({ data: await silencesOf(res).list(state) });
  });

  router.get('/:id', async (req, res) => {
    const silences = silencesOf(res);
    const silence = await silences.get(req.params.id);
    if (!silence) throw new HttpError(404, 'silence_not_found', `no silence with id ${req.params.id}`);
    res.json({ ...view(silence), holding: await silences.heldBy(silence.id) });
  });

  // Expires now: Alertmanager's DELETE. Safe to repeat: a retry after a 503 tells the held alerts again.
  router.delete('/:id', async (req, res) => {
    const { before, silence, held } = await silencesOf(res).expire(req.params.id);
    if (!silence || !before) throw new HttpError(404, 'silence_not_found', `no silence with id ${req.params.id}`);
    for (const alertId of held) {
      try {
        await workflows.holdChanged(alertId);
      } catch (err) {
        if (!(err instanceof WorkflowEndedError)) throw err; // Temporal unreachable: 503, and the caller retries
      }
    }
    await audit(res, { action: 'silence.expired', target: { type: 'silence', id: silence.id }, changes: changesBetween(before, silence, ['created_at']) });
    res.json({ ...view(silence), released: held });
  });

  return router;
}
