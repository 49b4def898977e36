// /v1/sources/alertmanager and /v1/sources/grafana: Herald as an Alertmanager webhook receiver or a
// Grafana contact point. Every firing entry triggers (a repeat joins the open alert), every resolved
// entry resolves. A 5xx tells the sender to retry only when Herald could not accept (Temporal down).
import { Router } from 'express';
import { inboundAlertSchema } from '../domain/alert';
import { alertFromEntry, amEntrySchema, amPayloadSchema, endTimestampOf, type SourceOptions } from '../domain/sources/alertmanager';
import { alertsTotal } from '../metrics';
import { toAlert } from './alerts';
import { fieldProblems, parseBody, validationError, type FieldProblem } from './errors';
import type { AlertActions } from './alert-actions';
import { AlertClosedError, AlertNotFoundError } from '../domain/alert-errors';

type EntryResult = { index: number; id: string; action: 'trigger' | 'resolve'; result: 'accepted' | 'deduplicated' | 'already_closed' | 'unknown_alert' };

export function sourcesRouter(deps: { actions: AlertActions; assetLabel: string }) {
  const router = Router();

  for (const source of ['alertmanager', 'grafana'] as const) {
    router.post(`/${source}`, async (req, res) => {
      const payload = parseBody(amPayloadSchema, req.body);
      const opts: SourceOptions = { source, assetLabel: deps.assetLabel };
      const accepted: EntryResult[] = [];
      const rejected: { index: number; problems: FieldProblem[] }[] = [];
      for (const [index, raw] of payload.alerts.entries()) {
        const entry = amEntrySchema.safeParse(raw);
        if (!entry.success) {
          rejected.push({ index, problems: fieldProblems(entry.error, ['alerts', index]) });
          continue;
        }
        const mapped = inboundAlertSchema.safeParse(alertFromEntry(entry.data, payload, opts));
        if (!mapped.success) {
          rejected.push({ index, problems: fieldProblems(mapped.error, ['alerts', index]) });
          continue;
        }
        const { destinations, ...fields } = mapped.data;
        const alert = toAlert(fields);
        // Temporal or the store being unreachable propagates: a 503 makes the sender retry the whole batch, which
        // is safe because every entry is deduplicated by its id.
        accepted.push(
          entry.data.status === 'firing'
            ? await trigger(deps.actions, index, alert, destinations)
            : await resolve(deps.actions, index, alert.id, endTimestampOf(entry.data), source),
        );
      }
      if (accepted.length === 0) throw validationError(rejected.flatMap((r) => r.problems));
      res.status(200).json({ accepted, rejected });
    });
  }
  return router;
}

async function trigger(actions: AlertActions, index: number, alert: ReturnType<typeof toAlert>, destinations: string[]): Promise<EntryResult> {
  try {
    const { deduplicated } = await actions.trigger(alert, destinations);
    alertsTotal.inc({ action: deduplicated ? 'deduplicated' : 'triggered' });
    return { index, id: alert.id, action: 'trigger', result: deduplicated ? 'deduplicated' : 'accepted' };
  } catch (err) {
    if (err instanceof AlertClosedError) return { index, id: alert.id, action: 'trigger', result: 'already_closed' };
    throw err;
  }
}

async function resolve(actions: AlertActions, index: number, id: string, endTimestamp: string | undefined, source: string): Promise<EntryResult> {
  try {
    await actions.close(id, 'resolve', { by: source, ...(endTimestamp && { end_timestamp: endTimestamp }) });
    alertsTotal.inc({ action: 'resolved' });
    return { index, id, action: 'resolve', result: 'accepted' };
  } catch (err) {
    if (err instanceof AlertClosedError) return { index, id, action: 'resolve', result: 'already_closed' };
    if (err instanceof AlertNotFoundError) return { index, id, action: 'resolve', result: 'unknown_alert' };
    throw err;
  }
}
