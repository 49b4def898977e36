// Entry point the worker bundles: every workflow Herald runs.
export { alertWorkflowV2 } from './alert/workflow';
export { groupWorkflow } from './group/workflow';
// Alerts started before the read model finish on their own code (docs/architecture.md, "Versions").
export { alertWorkflow } from './legacy/alert-v1';
// Herald's own events to the operations destinations (README "Operational events").
export { operationsWorkflow } from './operations/workflow';
// One per heartbeat, a dead man's switch (README "Heartbeats").
export { heartbeatWorkflow } from './heartbeat/workflow';
// One per deleted tenant: dismiss, wait, purge (README "Serving your customers").
export { tenantPurgeWorkflow } from './tenant/purge';
