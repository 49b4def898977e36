// One workflow execution's tracing, inside the workflow sandbox: the trace context that arrived in
// Temporal headers, the context active in the workflow's code, and the spans its interceptors make
// (src/telemetry/workflow/interceptors.ts). Everything is per execution, since the sandbox gives each
// execution its own modules and globals. OpenTelemetry is loaded on the first trace header seen: an
// untraced workflow (tracing off, the caller's or an old history's) never evaluates it, so a cached
// alert costs no more memory than before.
import type { Context, Span, Tracer } from '@opentelemetry/api';
import type { SpanExporter as SpanExporterLike } from '@opentelemetry/sdk-trace-base';
import type { Headers } from '@temporalio/common';
import { AsyncLocalStorage, defaultPayloadConverter, getRandomStream, workflowInfo } from '@temporalio/workflow';
import { StreamIdGenerator } from './span-ids';

/** The header the SDK's OpenTelemetry interceptors carry the context in (TRACE_HEADER of @temporalio/interceptors-opentelemetry). */
export const TRACE_HEADER = '_tracer-data';

/** The parts of AsyncLocalStorage used here (the sandbox's; a unit test gives Node's). */
export type ContextStorage = { getStore(): Context | undefined; run<R>(store: Context, fn: () => R): R; disable(): void };

type Otel = {
  api: typeof import('@opentelemetry/api');
  propagator: import('@opentelemetry/core').W3CTraceContextPropagator;
};

function loadOtel(): Otel {
  // OpenTelemetry's browser build, which the sandbox gets, needs `performance` when it loads: the SDK's shim first.
  require('@temporalio/interceptors-opentelemetry/lib/workflow/runtime');
  const core = require('@opentelemetry/core') as typeof import('@opentelemetry/core');
  return { api: require('@opentelemetry/api') as typeof import('@opentelemetry/api'), propagator: new core.W3CTraceContextPropagator() };
}

/**
 * Spans made in workflow code go through the SDK's sink to the worker, which exports them
 * (src/telemetry/temporal.ts). Spans that end while the workflow replays were exported when they
 * first ended: they are not handed over again (nor to a replay worker, which has no such sink).
 */
function sandboxTracer(): Tracer {
  const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { SpanExporter } = require('@temporalio/interceptors-opentelemetry/lib/workflow/span-exporter') as typeof import('@temporalio/interceptors-opentelemetry/lib/workflow/span-exporter');
  const { ExportResultCode } = require('@opentelemetry/core') as typeof import('@opentelemetry/core');
  const sink = new SpanExporter();
  const exporter: SpanExporterLike = {
    export: (spans, done) => (workflowInfo().unsafe.isReplaying ? done({ code: ExportResultCode.SUCCESS }) : sink.export(spans, done)),
    shutdown: () => sink.shutdown(),
  };
  const provider = new BasicTracerProvider({
    idGenerator: new StreamIdGenerator(getRandomStream('herald.tracing')),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return provider.getTracer('herald-workflow');
}


export class WorkflowTracing {
  private loaded: Otel | undefined;
  private tracer: Tracer | undefined;

  constructor(
    private readonly storage: ContextStorage = new AsyncLocalStorage<Context>(),
    private readonly makeTracer: () => Tracer = sandboxTracer,
  ) {}

  private get otel(): Otel {
    return (this.loaded ??= loadOtel());
  }

  /** The context a caller sent in the headers; undefined when it did not trace. */
  contextOf(headers: Headers): Context | undefined {
    const payload = headers[TRACE_HEADER];
    if (!payload) return undefined;
    const { api, propagator } = this.otel;
    const carrier = defaultPayloadConverter.fromPayload<Record<string, string>>(payload) ?? {};
    const ctx = propagator.extract(api.ROOT_CONTEXT, carrier, api.defaultTextMapGetter);
    return api.trace.getSpanContext(ctx) ? ctx : undefined;
  }

  /** The headers with `ctx` in them, for what the workflow starts (an activity, its next run). */
  headersWith(headers: Headers, ctx: Context): Headers {
    const { api, propagator } = this.otel;
    const carrier: Record<string, string> = {};
    propagator.inject(ctx, carrier, api.defaultTextMapSetter);
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

  /** A span, child of `parent`, and the context in which it is the active span. */
  startSpan(name: string, parent: Context): { span: Span; context: Context } {
    this.tracer ??= this.makeTracer();
    const span = this.tracer.startSpan(name, {}, parent);
    return { span, context: this.otel.api.trace.setSpan(parent, span) };
  }

  /**
   * Ends `span` when `result` settles, and returns `result` itself: the workflow's code awaits the very
   * promise it would await without tracing, so it resumes at the same point and issues the same
   * commands in the same order (an `async` wrapper would add steps, and could reorder commands when
   * one activation resolves several things).
   */
  endWhenSettled<T>(span: Span, result: Promise<T>): Promise<T> {
    const { SpanStatusCode } = this.otel.api;
    result.then(
      () => span.setStatus({ code: SpanStatusCode.OK }).end(),
      (err: unknown) => span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) }).end(),
    );
    return result;
  }

  dispose(): void {
    this.storage.disable();
  }
}
