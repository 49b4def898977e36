// /v1/sources/pagerduty and /v1/sources/incident-io (README "Provider webhooks in"): what on-call
// engineers do in PagerDuty or incident.io reaches the Herald alert behind the incident. The
// provider's signature stands in for an API key; the incident Herald opened names the alert. What
// came from a provider is not sent back to the destinations whose incident it is.
import express, { Router, type Request } from 'express';
import { Webhook } from 'standardwebhooks';
import { isOpen } from '../domain/alert';
import { AlertClosedError } from '../domain/alert-errors';
import type { EventOrigin } from '../domain/events';
import {
  incidentIoAction,
  incidentIoStatusOf,
  incidentIoWebhookSchema,
  incidentRef,
  pagerdutyAction,
  pagerdutySignatureValid,
  PROVIDER_NAMES,
  pagerdutyWebhookSchema,
  type Provider,
  type ProviderAction,
} from '../domain/provider-webhooks';
import type { AlertStore } from '../store/alerts';
import type { DestinationStore } from '../store/destinations';
import type { AlertActions } from './alert-actions';
import { HttpError, parseBody } from './errors';

export type ProviderWebhookSecrets = { pagerduty: string[]; incidentIo: string[] };

type Outcome = { alert_id: string; action: ProviderAction['action']; result: 'accepted' | 'unchanged' | 'already_closed' };


export function providerWebhooksRouter(deps: { actions: AlertActions; alerts: AlertStore; destinations: DestinationStore; taskQueue: string; secrets: ProviderWebhookSecrets; maxBodyBytes: number }) {
  const { actions, alerts, destinations, taskQueue, secrets } = deps;
  const router = Router();
  // The signature covers the bytes as sent: keep them, parse after checking.
  const raw = express.raw({ type: () => true, limit: deps.maxBodyBytes });

  const jsonOf = (req: Request): unknown => {
    try {
      return JSON.parse((req.body as Buffer).toString('utf8'));
    } catch {
      throw new HttpError(400, 'invalid_json', 'the body is not JSON');
    }
  };
  const refuse = () => new HttpError(401, 'invalid_signature', 'the signature does not match any configured webhook secret');

  /** Acts on every alert behind the incident; a provider event about an incident Herald did not open changes nothing. */
  async function apply(provider: Provider, wanted: (destinationId: string) => Promise<ProviderAction | undefined>, incidentId: string): Promise<{ incident: string; results: Outcome[] }> {
    const lanes = await alerts.lanesByIncident(taskQueue, incidentRef({ provider, id: incidentId }));
    const byAlert = new Map<string, { status: (typeof lanes)[number]['status']; destinationIds: string[] }>();
    for (const lane of lanes) {
      const entry = byAlert.get(lane.alert_id) ?? { status: lane.status, destinationIds: [] };
      entry.destinationIds.push(lane.destination_id);
      byAlert.set(lane.alert_id, entry);
    }
    const results: Outcome[] = [];
    for (const [alertId, { status, destinationIds }] of byAlert) {
      const action = await wanted(destinationIds[0]!);
      if (!action) continue;
      const origin: EventOrigin = { provider, destination_ids: destinationIds };
      results.push({ alert_id: alertId, action: action.action, result: await act(alertId, status, action, origin) });
    }
    return { incident: incidentId, results };
  }

  async function act(alertId: string, status: string, action: ProviderAction, origin: EventOrigin): Promise<Outcome['result']> {
    if (!isOpen(status)) return 'already_closed';
    try {
      if (action.action === 'resolve') {
        await actions.close(alertId, 'resolve', { by: action.by, reason: `resolved in ${PROVIDER_NAMES[origin.provider]}` }, origin);
        return 'accepted';
      }
      // Only a change: the provider also tells of acknowledgements Herald itself sent there.
      if (action.action === 'acknowledge' ? status !== 'triggered' : status !== 'acknowledged') return 'unchanged';
      return (await actions.acknowledge(alertId, action.action, { by: action.by, origin })) ? 'accepted' : 'unchanged';
    } catch (err) {
      if (err instanceof AlertClosedError) return 'already_closed';
      throw err;
    }
  }

  if (secrets.pagerduty.length > 0) {
    router.post('/pagerduty', raw, async (req, res) => {
      if (!Buffer.isBuffer(req.body) || !pagerdutySignatureValid(req.body, req.header('x-pagerduty-signature'), secrets.pagerduty)) throw refuse();
      const payload = parseBody(pagerdutyWebhookSchema, jsonOf(req));
      const action = pagerdutyAction(payload);
      if (!action) {
        res.json({ event_type: payload.event.event_type, ignored: 'Herald acts on incident.acknowledged, incident.unacknowledged and incident.resolved', results: [] });
        return;
      }
      res.json({ event_type: payload.event.event_type, ...(await apply('pagerduty', async () => action, action.incidentId)) });
    });
  }

  if (secrets.incidentIo.length > 0) {
    const verifiers = secrets.incidentIo.map((secret) => new Webhook(secret));
    router.post('/incident-io', raw, async (req, res) => {
      const headers = { 'webhook-id': req.header('webhook-id') ?? '', 'webhook-timestamp': req.header('webhook-timestamp') ?? '', 'webhook-signature': req.header('webhook-signature') ?? '' };
      const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      const verified = verifiers.some((verifier) => {
        try {
          verifier.verify(body, headers);
          return true;
        } catch {
          return false;
        }
      });
      if (!verified) throw refuse();
      const payload = parseBody(incidentIoWebhookSchema, jsonOf(req)) as Record<string, unknown> & { event_type: string };
      const change = incidentIoStatusOf(payload);
      if (!change) {
        res.json({ event_type: payload.event_type, ignored: 'Herald acts on public incidents\' status changes', results: [] });
        return;
      }
      const wanted = async (destinationId: string) => {
        const destination = await destinations.get(destinationId);
        const acknowledgedStatusId = destination?.type === 'incident_io' ? destination.config.acknowledged_status_id : undefined;
        return incidentIoAction(change.incidentId, change.status, acknowledgedStatusId);
      };
      res.json({ event_type: payload.event_type, ...(await apply('incident_io', wanted, change.incidentId)) });
    });
  }

  return router;
}
