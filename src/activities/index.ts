// The alert workflow's side effects, built from their dependencies (createActivities) so the worker
// wires real ones and secrets never travel through workflow history: the workflow passes ids and
// sequence numbers, the activity loads the destination (with its secrets) and the event from the
// store when it runs.
import type { Logger } from 'pino';
import type { TargetPolicy } from '../domain/target-policy';
import type { Registry } from '../destinations/registry';
import type { AlertStore } from '../store/alerts';
import type { AttemptLog } from '../store/attempt-log';
import type { OperationalEvents } from '../temporal/operations';
import { createOperationsActivities } from './operations';
import type { CircuitStore } from '../store/circuits';
import type { HeldEvents } from '../temporal/held-events';
import type { DestinationStore } from '../store/destinations';
import type { GroupStore } from '../store/groups';
import type { RuleStore } from '../store/rules';
import type { SilenceStore } from '../store/silences';
import type { InhibitionStore } from '../store/inhibitions';
import { createDeliveryActivities } from './delivery';
import { createGroupActivities, type GroupSignals } from './groups';
import { createLegacyActivities } from './legacy';
import { createLifecycleActivities } from './lifecycle';
import { createRoutingActivities } from './routing';

export type ActivityDeps = {
  logger: Logger;
  alerts: AlertStore;
  destinations: DestinationStore;
  rules: RuleStore;
  circuits: CircuitStore;
  attempts: AttemptLog;
  operations: OperationalEvents;
  heldEvents: Pick<HeldEvents, 'release'>;
  groups: GroupStore;
  groupSignals: GroupSignals;
  silences: SilenceStore;
  inhibitions: InhibitionStore;
  registry: Registry;
  policy: TargetPolicy;
};

export function createActivities(deps: ActivityDeps) {
  return {
    ...createRoutingActivities(deps),
    ...createDeliveryActivities(deps),
    ...createLifecycleActivities(deps),
    ...createGroupActivities(deps),
    ...createLegacyActivities(deps),
    ...createOperationsActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
