// The alert workflow's side effects, built from their dependencies (createActivities) so the worker
// wires real ones and secrets never travel through workflow history: the workflow passes ids and
// sequence numbers, the activity loads the destination (with its secrets) and the event from the
// store when it runs.
import type { AlertStore } from '../store/alerts';
import type { GroupStore } from '../store/groups';
import type { SilenceStore } from '../store/silences';
import type { InhibitionStore } from '../store/inhibitions';
import type { EscalationPolicyStore } from '../store/escalation-policies';
import { createDeliveryActivities } from './delivery';
import { createEscalationActivities } from './escalation';
import { createGroupActivities, type GroupSignals } from './groups';
import { createHeartbeatActivities, type HeartbeatDeps } from './heartbeats';
import { createLegacyActivities } from './legacy';
import { createLifecycleActivities } from './lifecycle';
import { createOperationsActivities } from './operations';
import { createRoutingActivities } from './routing';
import { createTenantActivities, type TenantDeps } from './tenants';
import type { SendDeps } from './send';

/** What sending needs (./send.ts), and the stores the other activities read and write. */
export type ActivityDeps = SendDeps &
  HeartbeatDeps &
  TenantDeps & {
  alerts: AlertStore;
  groups: GroupStore;
  groupSignals: GroupSignals;
  silences: SilenceStore;
  inhibitions: InhibitionStore;
  policies: EscalationPolicyStore;
};

export function createActivities(deps: ActivityDeps) {
  return {
    ...createRoutingActivities(deps),
    ...createDeliveryActivities(deps),
    ...createLifecycleActivities(deps),
    ...createEscalationActivities(deps),
    ...createGroupActivities(deps),
    ...createLegacyActivities(deps),
    ...createOperationsActivities(deps),
    ...createHeartbeatActivities(deps),
    ...createTenantActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
