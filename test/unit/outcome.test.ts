// Turning an HTTP response or a transport failure into a delivery outcome (README "Delivery and
// retries"): only a 2xx succeeds, 3xx is not followed, 410 and blocked targets are final, 429/503
// carry Retry-After.
import { BlockedTargetError, type HttpResponse } from '../../src/destinations/http-client';
import { classifyFailure, classifyResponse } from '../../src/destinations/outcome';

const now = new Date('2026-01-01T00:00:00Z');

function response(status: number, headers: Record<string, string> = {}, body = ''): HttpResponse {
  return { status, headers, body, truncated: false };
}

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyResponse', () => {
  test.each([200, 201, 202, 204, 299])('%d succeeds', (status) => {
    expect(classifyResponse(response(status, {}, 'ok'), 12, now)).toEqual({ ok: true, status_code: status, duration_ms: 12, response_excerpt: 'ok' });
  });

  test('the response excerpt is the first 2048 characters of the body', () => {
    const body = 'a'.repeat(2048) + 'TAIL';
    const outcome = classifyResponse(response(500, {}, body), 1, now);
    expect(outcome.response_excerpt).toHaveLength(2048);
    expect(outcome.response_excerpt).not.toContain('TAIL');
  });

  test.each([300, 301, 302, 303, 304, 307, 308])('%d is a failure: redirects are not followed', (status) => {
    const outcome = classifyResponse(response(status, { location: 'https://elsewhere.example.com/x' }), 3, now);
    expect(outcome).toMatchObject({ ok: false, status_code: status, error: `redirect (${status} to https://elsewhere.example.com/x) not followed` });
    expect(outcome.permanent).toBeUndefined();
  });

  test('a redirect without Location still says it was not followed', () => {
    expect(classifyResponse(response(302), 3, now).error).toBe('redirect (302) not followed');
  });

  test('410 Gone fails at once and says the destination needs attention', () => {
    expect(classifyResponse(response(410, {}, 'gone'), 4, now)).toEqual({
      ok: false,
      status_code: 410,
      duration_ms: 4,
      response_excerpt: 'gone',
      permanent: true,
      error: 'receiver answered 410 Gone: the destination needs attention',
    });
  });

  test.each([400, 401, 403, 404, 405, 408, 413, 422, 429, 500, 502, 503, 504])('%d is a retryable failure', (status) => {
    const outcome = classifyResponse(response(status), 1, now);
    expect(outcome.ok).toBe(false);
    expect(outcome.permanent).toBeUndefined();
    expect(outcome.error).toMatch(new RegExp(`^receiver answered HTTP ${status}`));
  });

  test('client errors carry a hint about what to fix', () => {
    expect(classifyResponse(response(401), 1, now).error).toBe("receiver answered HTTP 401: check the destination's auth credentials");
    expect(classifyResponse(response(404), 1, now).error).toBe('receiver answered HTTP 404: check the URL path');
    expect(classifyResponse(response(500), 1, now).error).toBe('receiver answered HTTP 500');
  });

  test.each([429, 503])('%d carries Retry-After in seconds or as an HTTP date', (status) => {
    expect(classifyResponse(response(status, { 'retry-after': '30' }), 1, now).retry_after_s).toBe(30);
    expect(classifyResponse(response(status, { 'retry-after': 'Thu, 01 Jan 2026 00:05:00 GMT' }), 1, now).retry_after_s).toBe(300);
  });

  test('no Retry-After, or one that cannot be read, leaves the schedule alone', () => {
    expect(classifyResponse(response(429), 1, now)).not.toHaveProperty('retry_after_s');
    expect(classifyResponse(response(503, { 'retry-after': 'later' }), 1, now)).not.toHaveProperty('retry_after_s');
  });

  test('Retry-After is only honoured on 429 and 503', () => {
    for (const status of [200, 302, 410, 500, 502]) {
      expect(classifyResponse(response(status, { 'retry-after': '30' }), 1, now)).not.toHaveProperty('retry_after_s');
    }
  });
});

describe('classifyFailure', () => {
  test('a blocked target is final and keeps its reason', () => {
    expect(classifyFailure(new BlockedTargetError('hooks.test resolves to a private address (10.0.0.1)'), 2, 10_000)).toEqual({
      ok: false,
      duration_ms: 2,
      permanent: true,
      error: 'hooks.test resolves to a private address (10.0.0.1)',
    });
  });

  test('a blocked target wrapped as the cause of a transport error is final too', () => {
    const wrapped = Object.assign(new TypeError('fetch failed'), { cause: new BlockedTargetError('hooks.test resolves to a loopback address') });
    expect(classifyFailure(wrapped, 2, 10_000)).toEqual({ ok: false, duration_ms: 2, permanent: true, error: 'hooks.test resolves to a loopback address' });
  });

  test.each([
    ['TimeoutError', Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' })],
    ['AbortError', Object.assign(new Error('This operation was aborted'), { name: 'AbortError' })],
    ['headers timeout', withCode('Headers Timeout Error', 'UND_ERR_HEADERS_TIMEOUT')],
    ['body timeout', withCode('Body Timeout Error', 'UND_ERR_BODY_TIMEOUT')],
  ])('a %s is a retryable timeout naming the limit', (_label, err) => {
    expect(classifyFailure(err, 10_001, 10_000)).toEqual({ ok: false, duration_ms: 10_001, error: 'timed out after 10s' });
    expect(classifyFailure(err, 1, 1500).error).toBe('timed out after 1.5s');
  });

  test('connection refused, on the error or on its cause, says what to check', () => {
    const expected = 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9 (nothing accepts connections there: is the receiver running, and is the port right?)';
    expect(classifyFailure(withCode('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED'), 1, 1000)).toEqual({ ok: false, duration_ms: 1, error: expected });
    const wrapped = Object.assign(new TypeError('fetch failed'), { cause: withCode('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED') });
    expect(classifyFailure(wrapped, 1, 1000).error).toBe(expected);
  });

  test.each([
    ['ENOTFOUND', /does not resolve/],
    ['EAI_AGAIN', /does not resolve/],
    ['ECONNRESET', /closed the connection/],
    ['UND_ERR_SOCKET', /closed the connection/],
    ['EHOSTUNREACH', /unreachable/],
    ['ENETUNREACH', /unreachable/],
    ['CERT_HAS_EXPIRED', /TLS failed/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', /TLS failed/],
    ['ERR_SSL_WRONG_VERSION_NUMBER', /TLS failed/],
  ])('%s is retryable and explained', (code, hint) => {
    const outcome = classifyFailure(withCode(`failure ${code}`, code), 1, 1000);
    expect(outcome.ok).toBe(false);
    expect(outcome.permanent).toBeUndefined();
    expect(outcome.error).toMatch(new RegExp(`^${code}: failure ${code} \\(`));
    expect(outcome.error).toMatch(hint);
  });

  test('an unknown code is shown without a hint; an error without one shows its message', () => {
    expect(classifyFailure(withCode('weird', 'EWEIRD'), 1, 1000).error).toBe('EWEIRD: weird');
    expect(classifyFailure(new Error('boom'), 1, 1000)).toEqual({ ok: false, duration_ms: 1, error: 'boom' });
  });

  test('anything thrown is described, not rethrown', () => {
    expect(classifyFailure('a string', 1, 1000)).toEqual({ ok: false, duration_ms: 1, error: 'a string' });
    expect(classifyFailure(undefined, 1, 1000)).toEqual({ ok: false, duration_ms: 1, error: 'undefined' });
  });
});
