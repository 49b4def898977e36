// The action links that were used (README "Action links"): a link acts once, so the first use
// claims it here and every later one finds it taken.
import { createHash } from 'node:crypto';
import type { Db } from './db';

export class ActionLinkUses {
  constructor(private readonly db: Db) {}

  /** Claims the link for this use: `claimed`, or when an earlier use claimed it. */
  async claim(token: string, alertId: string, action: string, now = new Date()): Promise<{ claimed: true } | { claimed: false; used_at: string }> {
    const token_hash = createHash('sha256').update(token).digest('hex');
    const inserted = await this.db.insertInto('action_link_uses').values({ token_hash, alert_id: alertId, action, used_at: now.toISOString() }).onConflict((oc) => oc.column('token_hash').doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return { claimed: true };
    const row = await this.db.selectFrom('action_link_uses').select('used_at').where('token_hash', '=', token_hash).executeTakeFirstOrThrow();
    return { claimed: false, used_at: row.used_at };
  }
}
