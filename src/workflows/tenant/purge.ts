// One workflow per deleted tenant (README "Serving your customers"): its heartbeats are deleted, its open alerts dismissed,
// then it waits on durable timers until their workflows (and its groups') are done, so none of them
// writes to rows being deleted, and then the tenant's rows go. A restart loses none of it.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../../activities';

// The store and Temporal may be down for a while: these wait for them.
const { deleteTenantHeartbeats, dismissTenantAlerts, tenantWorkLeft, purgeTenant } = proxyActivities<Activities>({
  startToCloseTimeout: '10m',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

export type TenantPurgeInput = { tenant: string; maxWaitMs?: number };

/** Looks again after 2 s, then less often, up to every 5 minutes: a few dozen timers a day at most. */
const FIRST_LOOK_MS = 2_000;
const LONGEST_LOOK_MS = 5 * 60_000;
/** An alert workflow terminated after its close never drops its bodies: past this the rows go anyway. */
export const PURGE_MAX_WAIT_MS = 24 * 3_600_000;

export async function tenantPurgeWorkflow({ tenant, maxWaitMs = PURGE_MAX_WAIT_MS }: TenantPurgeInput): Promise<void> {
  // Heartbeats first: a deleted one's workflow resolves its open miss and ends, and raises no more.
  await deleteTenantHeartbeats({ tenant });
  await dismissTenantAlerts({ tenant });
  const giveUpAt = Date.now() + maxWaitMs;
  let waitedOut = false;
  for (let look = FIRST_LOOK_MS; (await tenantWorkLeft({ tenant })) > 0; look = Math.min(look * 2, LONGEST_LOOK_MS)) {
    if (Date.now() >= giveUpAt) {
      waitedOut = true;
      break;
    }
    await sleep(Math.min(look, Math.max(giveUpAt - Date.now(), 1)));
  }
  await purgeTenant({ tenant, waitedOut });
}
