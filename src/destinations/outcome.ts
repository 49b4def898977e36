// Turning an HTTP response or a transport failure into a delivery outcome (README "Delivery and
// retries"): only a 2xx succeeds; 3xx is a failure (redirects are not followed); 410 and blocked
// targets are final.
import { parseRetryAfter } from '../domain/schedule';
import { BlockedTargetError, type HttpResponse } from './http-client';
import type { DeliveryOutcome } from './types';

const EXCERPT_CHARS = 2048;

export function classifyResponse(response: HttpResponse, durationMs: number, now: Date): DeliveryOutcome {
  const base = {
    status_code: response.status,
    duration_ms: durationMs,
    response_excerpt: response.body.slice(0, EXCERPT_CHARS),
  };
  const status = response.status;
  if (status >= 200 && status < 300) return { ok: true, ...base };
  if (status === 410) {
    return { ok: false, ...base, permanent: true, error: 'receiver answered 410 Gone: the destination needs attention' };
  }
  if (status >= 300 && status < 400) {
    const location = response.headers['location'];
    return { ok: false, ...base, error: `redirect (${status}${location ? ` to ${location}` : ''}) not followed` };
  }
  const retryAfter = status === 429 || status === 503 ? parseRetryAfter(response.headers['retry-after'], now) : undefined;
  return {
    ok: false,
    ...base,
    error: `receiver answered HTTP ${status}${STATUS_HINTS[status] ?? ''}`,
    ...(retryAfter !== undefined && { retry_after_s: retryAfter }),
  };
}

export function classifyFailure(err: unknown, durationMs: number, timeoutMs: number): DeliveryOutcome {
  if (err instanceof BlockedTargetError) {
    return { ok: false, duration_ms: durationMs, permanent: true, error: err.message };
  }
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.cause instanceof BlockedTargetError) {
    return { ok: false, duration_ms: durationMs, permanent: true, error: e.cause.message };
  }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.code === 'UND_ERR_HEADERS_TIMEOUT' || e?.code === 'UND_ERR_BODY_TIMEOUT') {
    return { ok: false, duration_ms: durationMs, error: `timed out after ${timeoutMs / 1000}s` };
  }
  const code = e?.code ?? e?.cause?.code;
  if (code === 'UND_ERR_INVALID_ARG') {
    // The request itself cannot be built (e.g. a header value from an older configuration): no retry can help.
    return { ok: false, duration_ms: durationMs, permanent: true, error: `the request is invalid: ${e?.message ?? String(err)}; correct the destination` };
  }
  const message = e?.cause?.message ?? e?.message ?? String(err);
  const hint = code ? failureHint(code) : undefined;
  return { ok: false, duration_ms: durationMs, error: `${code ? `${code}: ` : ''}${message}${hint ? ` (${hint})` : ''}` };
}

// What the user can do about a status or a transport failure, shown with the error.
const STATUS_HINTS: Record<number, string> = {
  400: ': the receiver rejected the payload; check its logs and the body template',
  401: ': check the destination\'s auth credentials',
  403: ': the credentials are not allowed to post here',
  404: ': check the URL path',
  405: ': check the method (POST, PUT or PATCH)',
  413: ': the receiver refuses bodies this large',
};

function failureHint(code: string): string | undefined {
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve: check the URL';
  if (code === 'ECONNREFUSED') return 'nothing accepts connections there: is the receiver running, and is the port right?';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the receiver closed the connection';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'the host is unreachable from Herald';
  if (/CERT|SSL|TLS|SELF_SIGNED/i.test(code)) return 'TLS failed: the receiver needs a valid certificate for this host name';
  return undefined;
}
