// The workflow interceptor modules every bundle of Herald's workflow code carries: the worker's own
// bundle (src/worker.ts) and the tests' (test/support/global-setup.ts). One list, so they cannot drift.
// They are in the bundle whether tracing is on or not: untraced, they change nothing (src/telemetry/workflow/interceptors.ts).
export const WORKFLOW_INTERCEPTOR_MODULES: readonly string[] = [require.resolve('./workflow/interceptors')];
