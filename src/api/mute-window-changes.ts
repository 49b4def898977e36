// Editing mute windows takes effect for events they already hold (README "Mute windows"): after a
// request set a destination's or rule's windows (or deleted one that had some), every alert and group
// with a held event is told to judge it again. Held events are few (one per lane at most), so all of
// them are told, whichever window holds them.
import { workflowIdFor } from '../domain/alert';
import { groupWorkflowIdFor } from '../domain/grouping';
import type { AlertStore } from '../store/alerts';
import type { GroupStore } from '../store/groups';
import type { AlertWorkflows } from '../temporal/alert-workflows';

export type MuteWindowsChanged = () => Promise<void>;

export function muteWindowsChangedNotifier(deps: { alerts: AlertStore; groups: GroupStore; workflows: AlertWorkflows }): MuteWindowsChanged {
  return async () => {
    const alerts = await deps.alerts.heldByMuteWindows(deps.workflows.taskQueue);
    const groups = await deps.groups.heldByMuteWindows();
    // Unreachable Temporal fails the request with 503; the change is stored, and the caller's retry
    // (which sets the windows again) tells them again.
    await deps.workflows.releaseHeld([...alerts.map(workflowIdFor), ...groups.map(groupWorkflowIdFor)]);
  };
}
