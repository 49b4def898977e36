// One workflow execution's tracing, inside the workflow sandbox: the trace context that arrived in
// Temporal headers, the context active in the workflow's code, and the spans its interceptors make
// (src/telemetry/workflow/interceptors.ts). Everything is per execution (the sandbox may share modules
// between executions) and made only once a traced caller is seen, so untraced workflows pay nothing.
import { defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Headers } from '@temporalio/common';
import { TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import { SpanExporter } from '@temporalio/interceptors-opentelemetry/lib/workflow/span-exporter';
import { AsyncLocalStorage, defaultPayloadConverter, getRandomStream } from '@temporalio/workflow';
import { StreamIdGenerator } from './span-ids';

/** The parts of AsyncLocalStorage used here (the sandbox's; a unit test gives Node's). */
export type ContextStorage = { getStore(): Context | undefined; run<R>(store: Context, fn: () => R): R; disable(): void };

/** Spans made in workflow code go through the SDK's sink to the worker, which exports them (src/telemetry/temporal.ts). */
function sandboxTracer(): Tracer {
  const provider = new BasicTracerProvider({
    idGenerator: new StreamIdGenerator(getRandomStream('herald.tracing')),
    spanProcessors: [new SimpleSpanProcessor(new SpanExporter())],
  });
  return provider.getTracer('herald-workflow');
}

export class WorkflowTracing {
  private tracer: Tracer | undefined;
  private readonly propagator = new W3CTraceContextPropagator();

  constructor(
    private readonly storage: ContextStorage = new AsyncLocalStorage<Context>(),
    private readonly makeTracer: () => Tracer = sandboxTracer,
  ) {}

  /** The context a caller sent in the headers (the same `_tracer-data` header the SDK's interceptors use); undefined when it did not trace. */
  contextOf(headers: Headers): Context | undefined {
    const payload = headers[TRACE_HEADER];
    if (!payload) return undefined;
    const carrier = defaultPayloadConverter.fromPayload<Record<string, string>>(payload) ?? {};
    const ctx = this.propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
    return trace.getSpanContext(ctx) ? ctx : undefined;
  }

  /** The headers with `ctx` in them, for what the workflow starts (an activity, its next run). */
  headersWith(headers: Headers, ctx: Context): Headers {
    const carrier: Record<string, string> = {};
    this.propagator.inject(ctx, carrier, defaultTextMapSetter);
    return { ...headers, [TRACE_HEADER]: defaultPayloadConverter.toPayload(carrier) };
  }

  /** The context active in the workflow's code here; undefined when nothing traced reached it. */
  active(): Context | undefined {
    return this.storage.getStore();
  }

  /** Runs `fn` with `ctx` active; returns what `fn` returns, the same promise, not a wrapper. */
  run<R>(ctx: Context, fn: () => R): R {
    return this.storage.run(ctx, fn);
  }

  startSpan(name: string, parent: Context): Span {
    this.tracer ??= this.makeTracer();
    return this.tracer.startSpan(name, {}, parent);
  }

  dispose(): void {
    this.storage.disable();
  }
}

/**
 * Ends `span` when `result` settles, and returns `result` itself: the workflow's code awaits the very
 * promise it would await without tracing, so it resumes at the same point and issues the same commands
 * in the same order (an `async` wrapper would add steps, and could reorder commands when one activation
 * resolves several things).
 */
export function endWhenSettled<T>(span: Span, result: Promise<T>): Promise<T> {
  result.then(
    () => span.setStatus({ code: SpanStatusCode.OK }).end(),
    (err: unknown) => span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) }).end(),
  );
  return result;
}
