// A CLIENT span per outbound HTTP request (src/destinations/http-client.ts), whose context goes to the
// receiver in `traceparent`. Receiver URLs carry secrets (Slack's and Discord's paths, Teams' `sig`,
// tokens in query strings): the span records the URL the provider shows, secrets masked, without its
// query string, or only the scheme and host when no such URL was given. Off, nothing is added at all.
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import { activeTracing } from './tracing';

export type OutboundRequest = { method: string; url: string; shownUrl?: string | undefined };

/** What a span may say of the URL: origin and masked path of the shown URL, never a query, fragment or credentials. */
export function urlForSpan({ url, shownUrl }: OutboundRequest): string {
  if (shownUrl) {
    const shown = new URL(shownUrl);
    return `${shown.origin}${shown.pathname}`;
  }
  return new URL(url).origin;
}

/** Sends through `send` with the headers that carry the span's context (none while tracing is off). */
export async function inClientSpan<T extends { status: number }>(request: OutboundRequest, send: (traceHeaders: Record<string, string>) => Promise<T>): Promise<T> {
  if (!activeTracing()) return send({});
  const target = new URL(request.url);
  const spanUrl = urlForSpan(request);
  const span = trace.getTracer('herald-http').startSpan(request.method, {
    kind: SpanKind.CLIENT,
    attributes: {
      [ATTR_HTTP_REQUEST_METHOD]: request.method,
      [ATTR_URL_FULL]: spanUrl,
      [ATTR_URL_SCHEME]: target.protocol.replace(/:$/, ''),
      [ATTR_SERVER_ADDRESS]: target.hostname,
      [ATTR_SERVER_PORT]: Number(target.port) || (target.protocol === 'https:' ? 443 : 80),
    },
  });
  const traceHeaders: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), traceHeaders);
  try {
    const response = await send(traceHeaders);
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
    // A client span is an error for every answer of 400 and above (OpenTelemetry's HTTP conventions).
    if (response.status >= 400) span.setAttribute(ATTR_ERROR_TYPE, String(response.status)).setStatus({ code: SpanStatusCode.ERROR });
    return response;
  } catch (err) {
    const error = err as Error & { code?: string };
    // The message may quote the URL it failed on: only the span's form of it is kept.
    const message = String(error.message).split(request.url).join(spanUrl);
    span.setAttribute(ATTR_ERROR_TYPE, error.code ?? error.name).setStatus({ code: SpanStatusCode.ERROR, message });
    throw err;
  } finally {
    span.end();
  }
}
