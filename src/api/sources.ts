// /v1/sources/alertmanager and /v1/sources/grafana: Herald as an Alertmanager webhook receiver or a
// Grafana contact point. Every firing entry triggers (a repeat joins the open alert), every resolved
// entry resolves. A 5xx tells the sender to retry only when Herald could not accept (Temporal down).
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { alertKeyFor, inboundAlertSchema } from '../domain/alert';
import type { SenderGroup } from '../workflows/alert/messages';
import { alertFromEntry, amEntrySchema, amPayloadSchema, endTimestampOf, type SourceOptions } from '../domain/sources/alertmanager';
import { runInKeyedChains } from '../concurrency';
import { alertsTotal } from '../metrics';
import { toAlert } from './alerts';
import { fieldProblems, parseBody, parseQuery, queryNumber, validationError, type FieldProblem } from './errors';
import type { AlertActions } from './alert-actions';
import { tenantOf } from './request-tenant';
import { AlertClosedError, AlertNotFoundError } from '../domain/alert-errors';

/**
 * Entries in flight at once: a large group is answered in a fraction of the time one by one takes,
 * while one batch cannot flood Temporal with starts. Entries for the same alert (a repeat in the same
 * batch) still go one after another, in the order sent.
 */
export const ENTRIES_AT_ONCE = 16;

/**
 * `?group=sender` keeps the sender's grouping (the bounds are those of src/domain/grouping.ts's policy): one Alertmanager notification group (its `groupKey`)
 * becomes one Herald group (README "Grouping"). The sender already waited its own group_wait, so
 * Herald waits only until the notification's entries have all joined (or left).
 */
export const sourceQuerySchema = z.strictObject({
  group: z.enum(['sender']).optional().describe('`sender`: one Herald group per notification group of the sender (its groupKey)'),
  group_wait_s: queryNumber(z.number().min(0).max(86_400)).optional().describe('With group=sender: the first notification waits at least this long (default 0)'),
  group_interval_s: queryNumber(z.number().min(0).max(86_400)).optional().describe('With group=sender: the least time between two notifications (default 0)'),
  settle_s: queryNumber(z.number().min(0).max(3600)).optional().describe('With group=sender: a notification goes out once no entry joined or left for this long (default 2)'),
  repeat_interval_s: queryNumber(z.number().min(60).max(30 * 86_400)).optional().describe('With group=sender: an unchanged firing group is notified again after this long (default 14400)'),
});

function senderGroupOf(query: z.infer<typeof sourceQuerySchema>, source: string, payload: { receiver: string; groupKey?: string; groupLabels?: Record<string, string> }): SenderGroup | undefined {
  if (query.group !== 'sender') return undefined;
  return {
    source,
    receiver: payload.receiver,
    // Alertmanager always sends groupKey; Grafana's older versions may not: its group labels stand in.
    group_key: payload.groupKey ?? JSON.stringify(Object.entries(payload.groupLabels ?? {}).sort()),
    group_labels: payload.groupLabels ?? {},
    // The sender paced its notification already: each goes out once its entries are all in (settled).
    policy: { by: ['event.details.group_key'], group_wait_s: query.group_wait_s ?? 0, group_interval_s: query.group_interval_s ?? 0, repeat_interval_s: query.repeat_interval_s ?? 4 * 3600, settle_s: query.settle_s ?? 2 },
  };
}

type EntryResult = { index: number; id: string; action: 'trigger' | 'resolve'; result: 'accepted' | 'deduplicated' | 'already_closed' | 'unknown_alert' };

export function sourcesRouter(deps: { actions: AlertActions; assetLabel: string; ingestLimit: RequestHandler }) {
  const router = Router();

  for (const source of ['alertmanager', 'grafana'] as const) {
    // Each post counts against the tenant's ingest_per_second (src/api/tenant-limits.ts), as the alert routes do.
    router.post(`/${source}`, deps.ingestLimit, async (req, res) => {
      const query = parseQuery(sourceQuerySchema, req.query);
      const payload = parseBody(amPayloadSchema, req.body);
      const opts: SourceOptions = { source, assetLabel: deps.assetLabel };
      // The key's tenant (or the one its path names): its rules route the entries, its alerts they resolve.
      const tenant = tenantOf(res);
      const senderGroup = senderGroupOf(query, source, payload);
      const accepted: EntryResult[] = [];
      const rejected: { index: number; problems: FieldProblem[] }[] = [];
      const jobs: { index: number; id: string; run: () => Promise<EntryResult> }[] = [];
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
        const end = endTimestampOf(entry.data);
        jobs.push({
          index,
          id: alert.id,
          run: () => (entry.data.status === 'firing' ? trigger(deps.actions, index, alert, destinations, senderGroup, tenant) : resolve(deps.actions, index, alert.id, alertKeyFor(tenant, alert.id), end, source)),
        });
      }
      if (jobs.length === 0) throw validationError(rejected.flatMap((r) => r.problems));
      // Temporal or the store being unreachable propagates: a 503 makes the sender retry the whole batch, which
      // is safe because every entry is deduplicated by its id.
      await runInKeyedChains(jobs, ENTRIES_AT_ONCE, (job) => job.id, async (job) => void accepted.push(await job.run()));
      accepted.sort((a, b) => a.index - b.index);
      res.status(200).json({ accepted, rejected });
    });
  }
  return router;
}

async function trigger(actions: AlertActions, index: number, alert: ReturnType<typeof toAlert>, destinations: string[], senderGroup: SenderGroup | undefined, tenant: string): Promise<EntryResult> {
  try {
    const { deduplicated } = await actions.trigger(alert, destinations, senderGroup, tenant);
    alertsTotal.inc({ action: deduplicated ? 'deduplicated' : 'triggered' });
    return { index, id: alert.id, action: 'trigger', result: deduplicated ? 'deduplicated' : 'accepted' };
  } catch (err) {
    if (err instanceof AlertClosedError) return { index, id: alert.id, action: 'trigger', result: 'already_closed' };
    throw err;
  }
}

/** `key`: the alert's key in the store (src/domain/alert.ts alertKeyFor); `id`, the one its tenant knows. */
async function resolve(actions: AlertActions, index: number, id: string, key: string, endTimestamp: string | undefined, source: string): Promise<EntryResult> {
  try {
    await actions.close(key, 'resolve', { by: source, ...(endTimestamp && { end_timestamp: endTimestamp }) });
    alertsTotal.inc({ action: 'resolved' });
    return { index, id, action: 'resolve', result: 'accepted' };
  } catch (err) {
    if (err instanceof AlertClosedError) return { index, id, action: 'resolve', result: 'already_closed' };
    if (err instanceof AlertNotFoundError) return { index, id, action: 'resolve', result: 'unknown_alert' };
    throw err;
  }
}
