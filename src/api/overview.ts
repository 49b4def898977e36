// GET /v1/overview (README "Operator console"): is everything all right? Open alerts by severity,
// destinations that fail or need attention, and deliveries over the last hour or day, aggregated
// here from the read model so the console never loads attempts one by one. The request's tenant's only.
import { Router } from 'express';
import { z } from 'zod';
import { bucketAttempts, OVERVIEW_WINDOWS, windowStart } from '../domain/overview';
import type { AlertViews } from '../store/alert-views';
import type { AttemptLog } from '../store/attempt-log';
import type { CircuitStore } from '../store/circuits';
import type { DestinationStore } from '../store/destinations';
import type { Destination } from '../destinations/schema';
import { HttpError, parseQuery } from './errors';
import { tenantOf } from './request-tenant';

export const overviewQuerySchema = z.strictObject({
  window: z.enum(['hour', 'day']).default('hour').describe('The charts\' span: the last hour in 1-minute buckets, or the last day in 15-minute buckets'),
  destination_id: z.string().min(1).optional().describe('Chart one destination\'s deliveries only'),
});

export type Attention = { id: string; name: string; type: string; reason: 'needs_attention' | 'circuit_open' | 'failing'; detail: string };

export function overviewRouter(deps: { views: AlertViews; attempts: AttemptLog; circuits: CircuitStore; destinations: DestinationStore }) {
  const { views, attempts, circuits, destinations } = deps;
  const router = Router();

  /** Destinations to look at, worst first: flagged, then circuit not closed, then failing attempts in the last hour. */
  async function attention(all: Destination[], now: Date): Promise<Attention[]> {
    const [states, lastHour] = await Promise.all([circuits.getMany(all.map((d) => d.id)), attempts.countsSince(new Date(now.getTime() - OVERVIEW_WINDOWS.hour.spanMs))]);
    const found: Attention[] = [];
    for (const d of all) {
      const base = { id: d.id, name: d.name, type: d.type };
      const circuit = states.get(d.id);
      const counts = lastHour.get(d.id);
      if (d.needs_attention) found.push({ ...base, reason: 'needs_attention', detail: d.needs_attention });
      else if (circuit && circuit.state !== 'closed') found.push({ ...base, reason: 'circuit_open', detail: `circuit ${circuit.state}${circuit.last_error ? `: ${circuit.last_error}` : ''}` });
      else if (counts && counts.succeeded < counts.attempts) {
        const [lastError] = await attempts.lastErrors(d.id, 1);
        found.push({ ...base, reason: 'failing', detail: `${counts.attempts - counts.succeeded} of ${counts.attempts} attempts failed in the last hour${lastError ? `; last: ${lastError.error}` : ''}` });
      }
    }
    const order = { needs_attention: 0, circuit_open: 1, failing: 2 };
    return found.sort((a, b) => order[a.reason] - order[b.reason] || a.name.localeCompare(b.name));
  }

  router.get('/', async (req, res) => {
    const query = parseQuery(overviewQuerySchema, req.query);
    const now = new Date();
    // The request's tenant's alerts and destinations only (README "Serving your customers").
    const tenant = tenantOf(res);
    const own = await destinations.forTenant(tenant).list();
    if (query.destination_id && !own.some((d) => d.id === query.destination_id)) {
      throw new HttpError(404, 'destination_not_found', `no destination with id ${query.destination_id}`);
    }
    const charted = query.destination_id ? [query.destination_id] : own.map((d) => d.id);
    const [alerts, needy, samples] = await Promise.all([
      views.countsBySeverity(tenant),
      attention(own, now),
      attempts.samplesSince(new Date(windowStart(now.getTime(), query.window)), charted),
    ]);
    res.json({
      as_of: now.toISOString(),
      window: query.window,
      bucket_s: OVERVIEW_WINDOWS[query.window].bucketMs / 1000,
      ...(query.destination_id && { destination_id: query.destination_id }),
      alerts,
      destinations: { attention: needy },
      deliveries: bucketAttempts(samples, now.getTime(), query.window),
    });
  });

  return router;
}
