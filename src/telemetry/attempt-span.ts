// The span of one delivery attempt (src/activities/send.ts), and where it hangs.
//
// An alert's workflow stays open for as long as the alert does, and later events (an update, the
// resolve) are attempted from lanes that started under the trigger. So the attempt is parented on the
// trace of the request that kept its event (alert_events.trace_parent, src/telemetry/trace-parent.ts):
// - the active span (the activity's RunActivity span) when it is in that trace already: the trigger's
//   chain request → StartWorkflow → StartActivity → RunActivity → attempt → outbound HTTP;
// - otherwise the event's own span as a remote parent, with a link to the activity's span: the
//   update's chain request → attempt → outbound HTTP, unbroken while the alert is open, and the link
//   leads to the workflow's side.
// Without a remembered parent (tracing was off when the event was kept, or a group's notification)
// the attempt is the activity span's child.
import { context, SpanStatusCode, trace, type Attributes, type Context, type Link, type Span } from '@opentelemetry/api';
import type { SendResult } from '../activities/send';
import { HERALD_ATTRIBUTES } from './attributes';
import { spanContextOf } from './trace-parent';

const tracer = () => trace.getTracer('herald-delivery');

export type AttemptSpanRequest = {
  /** Low-cardinality: the event type, e.g. `attempt alert.updated`. */
  name: string;
  attributes: Attributes;
  /** The traceparent the event was kept with, if any. */
  eventTraceParent?: string | null;
};

/** Where an attempt's span starts: its parent context and the links it carries. */
export function attemptParent(eventTraceParent: string | null | undefined, active: Context = context.active()): { parent: Context; links: Link[] } {
  const event = spanContextOf(eventTraceParent);
  const activity = trace.getSpanContext(active);
  if (!event || activity?.traceId === event.traceId) return { parent: active, links: [] };
  return { parent: trace.setSpanContext(active, event), links: activity ? [{ context: activity }] : [] };
}

/** Runs `attempt` in its span, which is active meanwhile (the outbound HTTP spans are its children). */
export async function inAttemptSpan<T>(request: AttemptSpanRequest, attempt: (span: Span) => Promise<T>): Promise<T> {
  const { parent, links } = attemptParent(request.eventTraceParent);
  const span = tracer().startSpan(request.name, { attributes: request.attributes, links }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => attempt(span));
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}

/** What came of the attempt: its outcome word, and an error status with the attempt's error when it failed. */
export function describeAttempt(span: Span, result: SendResult): void {
  if (result.filtered) return void span.setAttribute(HERALD_ATTRIBUTES.outcome, 'filtered');
  if (result.muted) return void span.setAttribute(HERALD_ATTRIBUTES.outcome, result.muted.hold ? 'held' : 'muted');
  if (result.waiting) return void span.setAttribute(HERALD_ATTRIBUTES.outcome, 'held');
  const { outcome } = result;
  span.setAttribute(HERALD_ATTRIBUTES.outcome, outcome.ok ? 'delivered' : 'failed');
  if (!outcome.ok) span.setStatus({ code: SpanStatusCode.ERROR, ...(outcome.error && { message: outcome.error }) });
}
