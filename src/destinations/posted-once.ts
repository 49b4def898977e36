// Receivers without an idempotency key (Slack, Discord): once one accepts a post, its delivery id is
// recorded, and an attempt run again with that id does not post. At least once, and at most once
// except when the post was accepted but its record was not written (README "Incident destinations").
import type { SentMessageStore } from '../store/sent-messages';
import type { SendContext } from './types';

/** Records an accepted post; a note when the record fails (the attempt is still delivered: the receiver has it). */
export async function recordPosted(sent: SentMessageStore, ctx: SendContext, receiver: string): Promise<{ note?: string }> {
  try {
    await sent.record(ctx.deliveryId, ctx.destinationId);
    return {};
  } catch (err) {
    // Failing the attempt would make the lane post again for certain; reported delivered, it posts
    // again only if this very attempt is re-run (after a crash).
    return { note: `posted, but not recorded (${(err as Error).message}): if this attempt runs again, ${receiver} gets the message twice` };
  }
}
