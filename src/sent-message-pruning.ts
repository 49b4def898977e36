// sent_messages only stops a retried Slack delivery from posting twice, so a row is needed only as
// long as some attempt of its delivery can still run. The worker forgets older rows every hour.
import type { Config } from './config';
import { MAX_JITTER } from './domain/schedule';
import { REDELIVERY_GRACE_MS } from './workflows/alert/messages';

// The longest retry schedule a destination may have (destinations/schema.ts: at most 20 waits of at
// most a day), each wait stretched as far as a Retry-After (one hour more) and jitter can stretch it.
const MAX_WAITS = 20;
const MAX_WAIT_MS = (86_400 + 3600) * 1000 * (1 + MAX_JITTER);
export const LONGEST_RETRY_SCHEDULE_MS = MAX_WAITS * MAX_WAIT_MS;

/**
 * How long after a message was sent an attempt of its delivery can still run: the alert can live its
 * whole lifetime, stay open the redelivery grace after it closed, and a redelivery can run a whole
 * retry schedule again.
 */
export function sentMessageRetentionMs(config: Pick<Config, 'alertMaxLifetimeMs'>): number {
  return config.alertMaxLifetimeMs + REDELIVERY_GRACE_MS + LONGEST_RETRY_SCHEDULE_MS;
}
