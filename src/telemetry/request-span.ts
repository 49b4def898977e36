// A SERVER span per API request: it continues the caller's trace when the request carries a
// `traceparent`, and is active while the request is handled, so the Temporal client's spans and the
// event kept in the store (alert_events.trace_parent) hang under it. Named by the route pattern once
// express has matched one (`POST /v1/alerts/:id/events`): ids never make span names.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import type { RequestHandler } from 'express';

/** `maskPath` hides what a path carries that acts on its own (action-link and ping tokens). */
export function requestSpans(maskPath: (path: string) => string): RequestHandler {
  const tracer = trace.getTracer('herald-api');
  return (req, res, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(
      req.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: req.method,
          [ATTR_URL_PATH]: maskPath(req.originalUrl.split('?')[0]!),
          [ATTR_URL_SCHEME]: req.protocol,
          ...(req.headers['user-agent'] && { [ATTR_USER_AGENT_ORIGINAL]: req.headers['user-agent'] }),
        },
      },
      parent,
    );
    let ended = false;
    const end = (status: number | undefined) => {
      if (ended) return;
      ended = true;
      // A router's own root ('/') under its mount point reads as the mount point: `/v1/alerts`, not `/v1/alerts/`.
      const route = req.route ? `${req.baseUrl}${req.route.path}`.replace(/(.)\/$/, '$1') : undefined;
      if (route) span.updateName(`${req.method} ${route}`).setAttribute(ATTR_HTTP_ROUTE, route);
      if (status === undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client went away before the answer' });
      else {
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
        // A server span is an error only for the server's own failures (OpenTelemetry's HTTP conventions).
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    };
    res.on('finish', () => end(res.statusCode));
    res.on('close', () => end(res.writableFinished ? res.statusCode : undefined));
    context.with(trace.setSpan(parent, span), next);
  };
}
