// W3C `traceparent` strings: the form in which an alert event remembers the trace of whoever kept it
// (alert_events.trace_parent, written by src/store/alerts.ts), so its delivery attempts join that trace
// however long the workflow between them runs (src/telemetry/attempt-span.ts).
import { context as otelContext, isSpanContextValid, trace, type Context, type SpanContext } from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';

/** The active span's traceparent; null when nothing is traced (tracing off, or no span active). */
export function activeTraceParent(ctx: Context = otelContext.active()): string | null {
  const span = trace.getSpanContext(ctx);
  if (!span || !isSpanContextValid(span)) return null;
  return `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** The span a traceparent names, as a remote parent; undefined for a missing or malformed one. */
export function spanContextOf(traceParent: string | null | undefined): SpanContext | undefined {
  if (!traceParent) return undefined;
  const parsed = parseTraceParent(traceParent);
  return parsed && isSpanContextValid(parsed) ? { ...parsed, isRemote: true } : undefined;
}
