// /v1/alerts: the front door of an alert. Validates, checks its destinations, starts its workflow.
import { randomBytes } from 'node:crypto';
import { Router, type RequestHandler, type Response } from 'express';
import type { Audit } from './audit';
import { z } from 'zod';
import { alertIdIn, alertKeyFor, ALERT_STATUSES, alertUpdateSchema, type AckAction, inboundAlertSchema, SEVERITIES, workflowIdFor, type Alert, type InboundAlert } from '../domain/alert';
import { DELIVERY_STATES } from '../domain/alert-state';
import { instantSchema } from '../domain/timestamps';
import type { DestinationStore } from '../store/destinations';
import { alertsTotal } from '../metrics';
import { HttpError, parseBody, parseQuery, queryNumber, validationError } from './errors';
import type { AlertActions } from './alert-actions';
import { AlertNotFoundError } from '../domain/alert-errors';
import { DEFAULT_TENANT } from '../domain/tenants';
import { tenantOf } from './request-tenant';

export const closureSchema = z.strictObject({
  by: z.string().max(200).optional(),
  reason: z.string().max(2000).optional(),
  /** The end of the anomalous period, when the source knows it (Anomify's final post). */
  end_timestamp: instantSchema.optional(),
});

/** POST /v1/alerts/{id}/acknowledge (README "Acknowledge"); `/unacknowledge` takes `by` only. */
export const acknowledgeSchema = z.strictObject({
  by: z.string().max(200).optional(),
  /** The alert returns to triggered at this time if it is still open (PagerDuty's acknowledgement timeout). */
  until: instantSchema.optional(),
});
export const unacknowledgeSchema = acknowledgeSchema.pick({ by: true });

// Filter values are compared with stored values; kept to a plain alphabet all the same.
const filterValue = z.string().min(1).max(500).regex(/^[^'"\\\n\r]+$/, 'must not contain quotes, backslashes or line breaks');

export const listQuerySchema = z.strictObject({
  status: z.enum(ALERT_STATUSES).optional(),
  event_type: filterValue.optional(),
  severity: z.enum(SEVERITIES).optional(),
  destination: filterValue.optional(),
  delivery_state: z.enum(DELIVERY_STATES).optional(),
  asset: filterValue.optional(),
  group: filterValue.optional().describe('Alerts that joined this group'),
  silenced: z.union([z.literal('true'), z.string().regex(/^sil_[0-9a-f]+$/, 'must be true or a silence id')]).optional().describe('true: held by a silence now; a silence id: every alert it held'),
  inhibited: z.literal('true').optional().describe('true: inhibited by an open alert now'),
  page_size: queryNumber(z.number().int().min(1).max(200)).default(50),
  page_token: z.string().max(4096).regex(/^[A-Za-z0-9_-]+$/, 'is not a page token from this API').optional(),
});

/** `key`: the alert's key (src/domain/alert.ts alertKeyFor); `id`: the id its tenant gave it. */
export type AlertLinks = (tenant: string, alert: { id: string; key: string }) => { self: string; temporal_ui: string };

export function alertsRouter(deps: { actions: AlertActions; destinations: DestinationStore; links: AlertLinks; audit: Audit; ingestLimit?: RequestHandler }) {
  // The routes that create an alert's events (trigger, update, resolve, dismiss) count against the tenant's ingest_per_second (src/api/tenant-limits.ts).
  const ingest = (deps.ingestLimit ?? ((_req, _res, next) => next())) as RequestHandler<Record<string, string>>;
  const { actions, destinations, audit } = deps;
  const router = Router();

  /**
   * The key of the request's tenant's alert `id` (src/api/request-tenant.ts): another tenant's alert
   * is never reached, and is not found as a missing one is. An id holding "/" (sent as %2F) is never
   * an alert's, and must not be read as another tenant's key.
   */
  const keyOf = (res: Response, id: string) => {
    if (id.includes('/')) throw new AlertNotFoundError(id);
    return alertKeyFor(tenantOf(res), id);
  };
  const linksOf = (res: Response, id: string) => deps.links(tenantOf(res), { id, key: keyOf(res, id) });
  const workflowIdOf = (res: Response, id: string) => workflowIdFor(keyOf(res, id));

  router.post('/', ingest, async (req, res) => {
    const { destinations: destinationIds, ...fields } = parseBody(inboundAlertSchema, req.body);
    // An alert names only its own tenant's destinations.
    await requireDestinations(destinations.forTenant(tenantOf(res)), destinationIds);
    const alert = toAlert(fields);
    const { deduplicated } = await actions.trigger(alert, destinationIds, undefined, tenantOf(res));
    alertsTotal.inc({ action: deduplicated ? 'deduplicated' : 'triggered' });
    res.status(deduplicated ? 200 : 202).json({
      id: alert.id,
      workflow_id: workflowIdOf(res, alert.id),
      status: 'triggered',
      deduplicated,
      links: linksOf(res, alert.id),
    });
  });

  router.get('/', async (req, res) => {
    const { page_size, page_token, ...filter } = parseQuery(listQuerySchema, req.query);
    const tenant = tenantOf(res);
    const page = await actions.list({ ...filter, tenant }, page_size, page_token);
    res.json({ ...page, data: page.data.map((summary) => ({ ...summary, id: alertIdIn(tenant, summary.id) })) });
  });

  router.get('/:id', async (req, res) => {
    const tenant = tenantOf(res);
    const state = await actions.get(keyOf(res, req.params.id), { legacyToo: tenant === DEFAULT_TENANT });
    res.json({ ...state, id: req.params.id, links: linksOf(res, req.params.id) });
  });

  router.post('/:id/events', ingest, async (req, res) => {
    const update = parseBody(alertUpdateSchema, req.body);
    await actions.update(keyOf(res, req.params.id), update);
    alertsTotal.inc({ action: 'updated' });
    res.status(202).json({ id: req.params.id, workflow_id: workflowIdOf(res, req.params.id), action: 'update', accepted: true });
  });

  router.post('/:id/deliveries/:destination_id/redeliver', async (req, res) => {
    const { by } = parseBody(closureSchema.pick({ by: true }), req.body ?? {});
    await actions.redeliver(keyOf(res, req.params.id), req.params.destination_id, by);
    alertsTotal.inc({ action: 'redelivered' });
    await audit(res, { action: 'alert.redelivered', target: { type: 'alert', id: keyOf(res, req.params.id) }, changes: { destination_id: { to: req.params.destination_id }, ...(by && { by: { to: by } }) }, link: linksOf(res, req.params.id).self });
    res.status(202).json({ id: req.params.id, destination_id: req.params.destination_id, action: 'redeliver', accepted: true });
  });

  router.post('/:id/acknowledge', async (req, res) => {
    const { by, until } = parseBody(acknowledgeSchema, req.body ?? {});
    if (until !== undefined && Date.parse(until) <= Date.now()) {
      throw validationError([{ path: 'until', message: 'must be in the future' }]);
    }
    await acknowledged(req.params.id, 'acknowledge', res, { ...(by !== undefined && { by }), ...(until !== undefined && { until }) });
  });
  router.post('/:id/unacknowledge', async (req, res) => {
    const { by } = parseBody(unacknowledgeSchema, req.body ?? {});
    await acknowledged(req.params.id, 'unacknowledge', res, by !== undefined ? { by } : {});
  });
  async function acknowledged(id: string, action: AckAction, res: Response, fields: { by?: string; until?: string }) {
    const changed = await actions.acknowledge(keyOf(res, id), action, fields);
    if (changed) {
      alertsTotal.inc({ action: action === 'acknowledge' ? 'acknowledged' : 'unacknowledged' });
      await audit(res, { action: action === 'acknowledge' ? 'alert.acknowledged' : 'alert.unacknowledged', target: { type: 'alert', id: keyOf(res, id) }, link: linksOf(res, id).self });
    }
    res.status(202).json({ id, workflow_id: workflowIdOf(res, id), action, accepted: true, changed });
  }

  for (const action of ['resolve', 'dismiss'] as const) {
    router.post(`/:id/${action}`, ingest, async (req, res) => {
      const closure = parseBody(closureSchema, req.body ?? {});
      await actions.close(keyOf(res, req.params.id), action, closure);
      alertsTotal.inc({ action: action === 'resolve' ? 'resolved' : 'dismissed' });
      // The close itself, its `by` and reason, is in the alert (GET and its workflow's history): linked, not copied.
      await audit(res, { action: action === 'resolve' ? 'alert.resolved' : 'alert.dismissed', target: { type: 'alert', id: keyOf(res, req.params.id) }, link: linksOf(res, req.params.id).self });
      res.status(202).json({ id: req.params.id, workflow_id: workflowIdOf(res, req.params.id), action, accepted: true });
    });
  }

  return router;
}

/** The alert as the workflow keeps it: its id fixed (generated when the source sent none) and its arrival time. */
export function toAlert(fields: Omit<InboundAlert, 'destinations'>): Alert {
  const id = typeof fields.id === 'string' ? fields.id : `alr_${randomBytes(12).toString('hex')}`;
  return { ...fields, id, created_at: new Date().toISOString() } as Alert;
}

/** An alert or rule naming a destination that does not exist is refused before anything changes. */
export async function requireDestinations(store: DestinationStore, ids: string[], field = 'destinations'): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set((await store.getMany(ids)).map((d) => d.id));
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length > 0) {
    throw new HttpError(422, 'unknown_destination', `unknown destination ids: ${unknown.join(', ')}`, {
      field,
      unknown,
    });
  }
}
