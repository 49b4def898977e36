// Entry point the worker bundles: every workflow Herald runs.
export { alertWorkflow } from './alert';
