// W3C `traceparent` strings: the form in which an alert event remembers the trace of whoever kept it
// (alert_events.trace_parent, written by src/store/alerts.ts), so its delivery attempts join that trace
// however long the workflow between them runs (src/telemetry/attempt-span.ts).
import { context as otelContext, defaultTextMapSetter, isSpanContextValid, type Context, type SpanContext } from '@opentelemetry/api';
import { parseTraceParent, TRACE_PARENT_HEADER, W3CTraceContextPropagator } from '@opentelemetry/core';

const w3c = new W3CTraceContextPropagator();

/** The active span's traceparent; null when nothing is traced (tracing off, or no span active). */
export function activeTraceParent(ctx: Context = otelContext.active()): string | null {
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, defaultTextMapSetter);
  return carrier[TRACE_PARENT_HEADER] ?? null;
}

/** The span a traceparent names, as a remote parent; undefined for a missing or malformed one. */
export function spanContextOf(traceParent: string | null | undefined): SpanContext | undefined {
  if (!traceParent) return undefined;
  const parsed = parseTraceParent(traceParent);
  return parsed && isSpanContextValid(parsed) ? { ...parsed, isRemote: true } : undefined;
}
