// /v1/alerts: the front door of an alert. Validates, checks its destinations, starts its workflow.
import { randomBytes } from 'node:crypto';
import { Router, type Response } from 'express';
import type { Audit } from './audit';
import { z } from 'zod';
import { ALERT_STATUSES, alertUpdateSchema, type AckAction, inboundAlertSchema, SEVERITIES, workflowIdFor, type Alert, type InboundAlert } from '../domain/alert';
import { DELIVERY_STATES } from '../domain/alert-state';
import { instantSchema } from '../domain/timestamps';
import type { DestinationStore } from '../store/destinations';
import { alertsTotal } from '../metrics';
import { HttpError, parseBody, parseQuery, queryNumber, validationError } from './errors';
import type { AlertActions } from './alert-actions';

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

export type AlertLinks = (alertId: string) => { self: string; temporal_ui: string };

export function alertsRouter(deps: { actions: AlertActions; destinations: DestinationStore; links: AlertLinks; audit: Audit }) {
  const { actions, destinations, links, audit } = deps;
  const router = Router();

  router.post('/', async (req, res) => {
    const { destinations: destinationIds, ...fields } = parseBody(inboundAlertSchema, req.body);
    await requireDestinations(destinations, destinationIds);
    const alert = toAlert(fields);
    const { deduplicated } = await actions.trigger(alert, destinationIds);
    alertsTotal.inc({ action: deduplicated ? 'deduplicated' : 'triggered' });
    res.status(deduplicated ? 200 : 202).json({
      id: alert.id,
      workflow_id: workflowIdFor(alert.id),
      status: 'triggered',
      deduplicated,
      links: links(alert.id),
    });
  });

  router.get('/', async (req, res) => {
    const { page_size, page_token, ...filter } = parseQuery(listQuerySchema, req.query);
    res.json(await actions.list(filter, page_size, page_token));
  });

  router.get('/:id', async (req, res) => {
    const state = await actions.get(req.params.id);
    res.json({ ...state, links: links(state.id) });
  });

  router.post('/:id/events', async (req, res) => {
    const update = parseBody(alertUpdateSchema, req.body);
    await actions.update(req.params.id, update);
    alertsTotal.inc({ action: 'updated' });
    res.status(202).json({ id: req.params.id, workflow_id: workflowIdFor(req.params.id), action: 'update', accepted: true });
  });

  router.post('/:id/deliveries/:destination_id/redeliver', async (req, res) => {
    const { by } = parseBody(closureSchema.pick({ by: true }), req.body ?? {});
    await actions.redeliver(req.params.id, req.params.destination_id, by);
    alertsTotal.inc({ action: 'redelivered' });
    await audit(res, { action: 'alert.redelivered', target: { type: 'alert', id: req.params.id }, changes: { destination_id: { to: req.params.destination_id }, ...(by && { by: { to: by } }) }, link: links(req.params.id).self });
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
    const changed = await actions.acknowledge(id, action, fields);
    if (changed) {
      alertsTotal.inc({ action: action === 'acknowledge' ? 'acknowledged' : 'unacknowledged' });
      await audit(res, { action: action === 'acknowledge' ? 'alert.acknowledged' : 'alert.unacknowledged', target: { type: 'alert', id }, link: links(id).self });
    }
    res.status(202).json({ id, workflow_id: workflowIdFor(id), action, accepted: true, changed });
  }

  for (const action of ['resolve', 'dismiss'] as const) {
    router.post(`/:id/${action}`, async (req, res) => {
      const closure = parseBody(closureSchema, req.body ?? {});
      await actions.close(req.params.id, action, closure);
      alertsTotal.inc({ action: action === 'resolve' ? 'resolved' : 'dismissed' });
      // The close itself, its `by` and reason, is in the alert (GET and its workflow's history): linked, not copied.
      await audit(res, { action: action === 'resolve' ? 'alert.resolved' : 'alert.dismissed', target: { type: 'alert', id: req.params.id }, link: links(req.params.id).self });
      res.status(202).json({ id: req.params.id, workflow_id: workflowIdFor(req.params.id), action, accepted: true });
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
