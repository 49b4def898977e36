// Deliveries to destinations without idempotency (Slack): recorded right after they succeed, so a
// retried activity finds the record and does not post the same message twice.
import type { Db } from './db';

export class SentMessageStore {
  constructor(private readonly db: Db) {}

  async wasSent(deliveryId: string): Promise<boolean> {
    return (await this.db.selectFrom('sent_messages').select('delivery_id').where('delivery_id', '=', deliveryId).executeTakeFirst()) !== undefined;
  }

  async record(deliveryId: string, destinationId: string): Promise<void> {
    await this.db
      .insertInto('sent_messages')
      .values({ delivery_id: deliveryId, destination_id: destinationId, sent_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('delivery_id').doNothing())
      .execute();
  }

  /** Forgets the messages sent before `olderThan` (no retry can still ask about them); returns how many. */
  async prune(olderThan: Date): Promise<number> {
    // sent_at is always toISOString()'s fixed-width UTC form, so text order is time order on every backend.
    const result = await this.db.deleteFrom('sent_messages').where('sent_at', '<', olderThan.toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
