// The purge of a deleted tenant (README "Serving your customers"), run by its workflow
// (src/workflows/tenant/purge.ts): dismiss what is open, watch what still runs, then delete the rows.
import type { Logger } from 'pino';
import { AlertClosedError } from '../domain/alert-errors';
import { HttpError } from '../api/errors';
import type { AlertActions } from '../api/alert-actions';
import type { HeartbeatActions } from '../api/heartbeats';
import type { TenantStore } from '../store/tenants';

export type TenantDeps = { logger: Logger; tenants: TenantStore; alertActions: Pick<AlertActions, 'close'>; heartbeatActions: Pick<HeartbeatActions, 'list' | 'delete'> };

/** Who closed the alerts of a deleted tenant, as their dismissal says. */
export const TENANT_PURGE_BY = 'herald (tenant deleted)';

export function createTenantActivities({ logger, tenants, alertActions, heartbeatActions }: TenantDeps) {
  return {
    /** Deletes the tenant's heartbeats as DELETE does: each workflow hears it, resolves its open miss and ends. */
    async deleteTenantHeartbeats({ tenant }: { tenant: string }): Promise<number> {
      let deleted = 0;
      for (const heartbeat of await heartbeatActions.list(tenant)) {
        try {
          await heartbeatActions.delete(heartbeat.name, tenant);
          deleted++;
        } catch (err) {
          if (!(err instanceof HttpError && err.status === 404)) throw err; // deleted meanwhile
        }
      }
      return deleted;
    },

    /** Dismisses the tenant's open alerts, as DELETE /v1/alerts/{id}/dismiss does: their destinations hear it. */
    async dismissTenantAlerts({ tenant }: { tenant: string }): Promise<number> {
      let dismissed = 0;
      for (const key of await tenants.openAlertKeys(tenant)) {
        try {
          await alertActions.close(key, 'dismiss', { by: TENANT_PURGE_BY, reason: `tenant ${tenant} was deleted` });
          dismissed++;
        } catch (err) {
          if (!(err instanceof AlertClosedError)) throw err; // closed meanwhile: nothing to do
        }
      }
      return dismissed;
    },

    /** How many of the tenant's alerts and groups may still be running in Temporal. */
    async tenantWorkLeft({ tenant }: { tenant: string }): Promise<number> {
      const left = await tenants.workLeft(tenant);
      return left.open_alerts + left.finishing_alerts + left.groups;
    },

    /** Deletes every row of the tenant, its keys and the tenant (one transaction). */
    async purgeTenant({ tenant, waitedOut }: { tenant: string; waitedOut: boolean }): Promise<void> {
      const left = waitedOut ? await tenants.workLeft(tenant) : undefined;
      await tenants.purge(tenant);
      logger.info({ tenant, ...(left && { still_running: left }) }, waitedOut ? 'tenant purged before its workflows all finished (waited the longest)' : 'tenant purged');
    },
  };
}
