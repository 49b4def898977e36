// The Temporal SDK's OpenTelemetry interceptors outside the workflow sandbox, used only while this
// process traces (src/telemetry/tracing.ts): off, no client writes a trace header into history and no
// activity makes a span. The workflow side is Herald's own (src/telemetry/workflow/interceptors.ts).
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { WorkflowInfo } from '@temporalio/workflow';
import { activeTracing, type Tracing } from './tracing';

/** Loaded while tracing only: it brings OpenTelemetry's SDK with it. */
const sdkInterceptors = () => require('@temporalio/interceptors-opentelemetry') as typeof import('@temporalio/interceptors-opentelemetry');

/** For a Client's `interceptors`: StartWorkflow, SignalWorkflow… spans whose context travels in the headers. */
export function tracingClientInterceptors(): { workflow: WorkflowClientInterceptor[] } | undefined {
  return activeTracing() ? { workflow: [new (sdkInterceptors().OpenTelemetryWorkflowClientInterceptor)()] } : undefined;
}

/** For a Worker: RunActivity spans continuing the workflow's trace; none while tracing is off. */
export function tracingActivityInterceptors(): ActivityInterceptorsFactory[] {
  if (!activeTracing()) return [];
  const { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } = sdkInterceptors();
  return [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })];
}

/**
 * The sink the workflow code's spans come out by. Always injected, since the bundle always has the
 * interceptors: with tracing off here, what comes (a traced caller, an untraced worker) is dropped.
 */
export function workflowSpanSink(tracing: Tracing | undefined = activeTracing()): InjectedSinks<OpenTelemetrySinks> {
  if (!tracing) return { exporter: { export: { fn: () => {} } } };
  const exporter = sdkInterceptors().makeWorkflowExporter(tracing.spanProcessor, tracing.resource);
  return {
    exporter: {
      export: {
        // The SDK's sink copies everything it is given about the workflow onto each span (memo, search
        // attributes, retry policy…): only the ids are given.
        fn: (info, spans) => exporter.export.fn({ workflowId: info.workflowId, runId: info.runId, workflowType: info.workflowType } as WorkflowInfo, spans),
      },
    },
  };
}
