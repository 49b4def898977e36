// Every attempt actually sent to a destination (an alert's event or a group's notification, every
// destination type), the log destination health is computed from (README "Destination health"). Kept
// for the longest health window and an hour more; the worker prunes older rows.
import type { AttemptSample } from '../domain/overview';
import type { Db } from './db';

export const HEALTH_WINDOWS = { last_hour: 3600_000, last_day: 86_400_000 } as const;
export type HealthWindowName = keyof typeof HEALTH_WINDOWS;
/** How long attempts are kept: the longest window, and an hour so a prune never cuts into it. */
export const ATTEMPT_LOG_RETENTION_MS = HEALTH_WINDOWS.last_day + 3600_000;
const LAST_ERRORS = 5;

export type LoggedAttempt = { destinationId: string; at: Date; deliveryId: string; ok: boolean; durationMs: number; statusCode?: number; error?: string };

export type WindowHealth = {
  attempts: number;
  succeeded: number;
  failed: number;
  /** Succeeded over attempts; absent when nothing was sent in the window. */
  success_ratio?: number;
  latency_ms?: { p50: number; p99: number };
};

export type DestinationHealth = {
  destination_id: string;
  as_of: string;
  windows: Record<HealthWindowName, WindowHealth>;
  last_errors: { at: string; delivery_id: string; status_code?: number; error: string }[];
};

export class AttemptLog {
  constructor(private readonly db: Db) {}

  async record(a: LoggedAttempt): Promise<void> {
    await this.db
      .insertInto('destination_attempts')
      .values({
        destination_id: a.destinationId,
        at: a.at.toISOString(),
        delivery_id: a.deliveryId,
        ok: a.ok ? 1 : 0,
        duration_ms: a.durationMs,
        status_code: a.statusCode ?? null,
        error: a.ok ? null : (a.error ?? 'failed').slice(0, 500),
      })
      .execute();
  }

  async health(destinationId: string, now = new Date()): Promise<DestinationHealth> {
    const windows = {} as Record<HealthWindowName, WindowHealth>;
    for (const [name, span] of Object.entries(HEALTH_WINDOWS) as [HealthWindowName, number][]) {
      windows[name] = await this.window(destinationId, new Date(now.getTime() - span).toISOString());
    }
    return { destination_id: destinationId, as_of: now.toISOString(), windows, last_errors: await this.lastErrors(destinationId) };
  }

  /** The destination's newest failed attempts, newest first. */
  async lastErrors(destinationId: string, limit = LAST_ERRORS): Promise<DestinationHealth['last_errors']> {
    const errors = await this.db
      .selectFrom('destination_attempts')
      .select(['at', 'delivery_id', 'status_code', 'error'])
      .where('destination_id', '=', destinationId)
      .where('ok', '=', 0)
      .orderBy('at', 'desc')
      .limit(limit)
      .execute();
    return errors.map((e) => ({ at: e.at, delivery_id: e.delivery_id, ...(e.status_code !== null && { status_code: Number(e.status_code) }), error: e.error ?? 'failed' }));
  }

  /** Attempts and successes per destination over the window, for the metrics (one query for all). */
  async countsSince(since: Date): Promise<Map<string, { attempts: number; succeeded: number }>> {
    const rows = await this.db
      .selectFrom('destination_attempts')
      .select('destination_id')
      .select((eb) => [eb.fn.countAll<number>().as('attempts'), eb.fn.sum<number>('ok').as('succeeded')])
      .where('at', '>=', since.toISOString())
      .groupBy('destination_id')
      .execute();
    return new Map(rows.map((r) => [r.destination_id, { attempts: Number(r.attempts), succeeded: Number(r.succeeded) }]));
  }

  /** The event's last attempt failed for good (its schedule ran out, or the receiver refused it for good). */
  async markGaveUp(deliveryId: string): Promise<void> {
    const newest = await this.db.selectFrom('destination_attempts').select((eb) => eb.fn.max('at').as('at')).where('delivery_id', '=', deliveryId).executeTakeFirst();
    if (!newest?.at) return;
    await this.db.updateTable('destination_attempts').set({ gave_up: 1 }).where('delivery_id', '=', deliveryId).where('at', '=', newest.at).execute();
  }

  /** The attempts at these destinations since `since`, oldest first: the overview buckets them. */
  async samplesSince(since: Date, destinationIds: readonly string[]): Promise<AttemptSample[]> {
    if (destinationIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('destination_attempts')
      .select(['at', 'ok', 'gave_up', 'duration_ms'])
      .where('at', '>=', since.toISOString())
      .where('destination_id', 'in', destinationIds)
      .orderBy('at')
      .execute();
    return rows.map((r) => ({ at: Date.parse(r.at), ok: Number(r.ok) === 1, gaveUp: Number(r.gave_up) === 1, durationMs: Number(r.duration_ms) }));
  }

  async prune(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('destination_attempts').where('at', '<', before.toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async forget(destinationId: string): Promise<void> {
    await this.db.deleteFrom('destination_attempts').where('destination_id', '=', destinationId).execute();
  }

  private async window(destinationId: string, since: string): Promise<WindowHealth> {
    const inWindow = () => this.db.selectFrom('destination_attempts').where('destination_id', '=', destinationId).where('at', '>=', since);
    const counts = await inWindow()
      .select((eb) => [eb.fn.countAll<number>().as('attempts'), eb.fn.sum<number>('ok').as('succeeded')])
      .executeTakeFirstOrThrow();
    const attempts = Number(counts.attempts);
    const succeeded = Number(counts.succeeded ?? 0);
    if (attempts === 0) return { attempts: 0, succeeded: 0, failed: 0 };
    // The nearest-rank quantile, read by the database from the (destination, time) index's rows.
    const quantile = async (q: number) => {
      const row = await inWindow().select('duration_ms').orderBy('duration_ms').limit(1).offset(Math.min(attempts - 1, Math.ceil(q * attempts) - 1)).executeTakeFirstOrThrow();
      return Math.round(Number(row.duration_ms));
    };
    return {
      attempts,
      succeeded,
      failed: attempts - succeeded,
      success_ratio: Math.round((succeeded / attempts) * 10_000) / 10_000,
      latency_ms: { p50: await quantile(0.5), p99: await quantile(0.99) },
    };
  }
}
