// Destinations' rate limits (README "Rate limits"): the one shared limiter of every worker and process.
// Each attempt reserves its slot under the destination's row lock (src/domain/rate-limit.ts says which).
import { reserve, type RateLimit } from '../domain/rate-limit';
import type { Db } from './db';

export class RateLimitStore {
  constructor(private readonly db: Db) {}

  /** The attempt's slot: wait `waitMs` then send; or, when it is further off than `maxWaitMs`, ask again at `retryAt`. */
  async reserve(destinationId: string, limit: RateLimit, now: number, maxWaitMs: number): Promise<{ waitMs: number } | { retryAt: number }> {
    return this.db.transaction().execute(async (trx) => {
      // A write first, so SQLite takes its write lock before the read (PostgreSQL: the row's lock).
      await trx
        .insertInto('destination_rates')
        .values({ destination_id: destinationId, tat: 0 })
        .onConflict((oc) => oc.column('destination_id').doUpdateSet((eb) => ({ tat: eb.ref('destination_rates.tat') })))
        .execute();
      const row = await trx.selectFrom('destination_rates').select('tat').where('destination_id', '=', destinationId).executeTakeFirstOrThrow();
      const judged = reserve(Number(row.tat), limit, now, maxWaitMs);
      if ('retryAt' in judged) return judged;
      await trx.updateTable('destination_rates').set({ tat: judged.tat }).where('destination_id', '=', destinationId).execute();
      return { waitMs: judged.waitMs };
    });
  }

  async forget(destinationId: string): Promise<void> {
    await this.db.deleteFrom('destination_rates').where('destination_id', '=', destinationId).execute();
  }
}
