// Herald's workflow interceptors for tracing, bundled with the workflow code (src/telemetry/workflow-modules.ts).
// They speak the SDK's `_tracer-data` header, so the SDK's client and activity interceptors on either
// side (src/telemetry/temporal.ts) continue the same trace, but differ from the SDK's workflow ones:
// - No RunWorkflow span. An alert's workflow runs as long as the alert is open, and a span is only
//   exported when it ends: every span under it would miss its parent until then. The run only makes
//   the caller's context active, so what it starts hangs under the caller's StartWorkflow span.
// - Each span wraps `next` without adding an `await` (WorkflowTracing.endWhenSettled): workflow code
//   resumes exactly when it would without tracing, so histories recorded before tracing, or with it
//   off, replay.
// - Ids come from a random stream of their own (src/telemetry/workflow/span-ids.ts), not Math.random().
// - A run continued as new starts untraced (no continueAsNew interceptor): a group's or a heartbeat's
//   workflow lives for months, and its trace would grow without end. Each event's attempts still join
//   their request's trace (src/telemetry/attempt-span.ts).
// Nothing here changes a command. The headers added come from history and the workflow's seed, so a
// replay adds the same ones.
import type {
  ActivityInput,
  DisposeInput,
  LocalActivityInput,
  Next,
  SignalInput,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
  WorkflowInternalsInterceptor,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { WorkflowTracing } from './workflow-tracing';

export class TracingInbound implements WorkflowInboundCallsInterceptor {
  constructor(private readonly tracing: WorkflowTracing) {}

  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const caller = this.tracing.contextOf(input.headers);
    return caller ? this.tracing.run(caller, () => next(input)) : next(input);
  }

  /** A span in the signaller's trace (an update's request), ended when the handler is done. */
  handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>): Promise<void> {
    const caller = this.tracing.contextOf(input.headers);
    if (!caller) return next(input);
    const { span, context } = this.tracing.startSpan(`HandleSignal:${input.signalName}`, caller);
    return this.tracing.endWhenSettled(span, this.tracing.run(context, () => next(input)));
  }
}

export class TracingOutbound implements WorkflowOutboundCallsInterceptor {
  constructor(private readonly tracing: WorkflowTracing) {}

  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>): Promise<unknown> {
    const active = this.tracing.active();
    if (!active) return next(input);
    const { span, context } = this.tracing.startSpan(`StartActivity:${input.activityType}`, active);
    return this.tracing.endWhenSettled(span, next({ ...input, headers: this.tracing.headersWith(input.headers, context) }));
  }

  scheduleLocalActivity(input: LocalActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>): Promise<unknown> {
    const active = this.tracing.active();
    if (!active) return next(input);
    const { span, context } = this.tracing.startSpan(`StartActivity:${input.activityType}`, active);
    return this.tracing.endWhenSettled(span, next({ ...input, headers: this.tracing.headersWith(input.headers, context) }));
  }
}

export class TracingInternals implements WorkflowInternalsInterceptor {
  constructor(private readonly tracing: WorkflowTracing) {}

  dispose(input: DisposeInput, next: Next<WorkflowInternalsInterceptor, 'dispose'>): void {
    this.tracing.dispose();
    next(input);
  }
}

/** Called by the SDK once per workflow execution. */
export const interceptors = (): WorkflowInterceptors => {
  const tracing = new WorkflowTracing();
  return { inbound: [new TracingInbound(tracing)], outbound: [new TracingOutbound(tracing)], internals: [new TracingInternals(tracing)] };
};
