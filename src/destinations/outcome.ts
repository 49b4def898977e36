// Turning an HTTP response or a transport failure into a delivery outcome (DESIGN.md §4): only a
// 2xx succeeds; 3xx is a failure (redirects are not followed); 410 and blocked targets are final.
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
    error: `receiver answered HTTP ${status}`,
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
  const message = e?.message ?? String(err);
  return { ok: false, duration_ms: durationMs, error: code ? `${code}: ${message}` : message };
}
