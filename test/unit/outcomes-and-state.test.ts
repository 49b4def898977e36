import { deliveryState, laneState, type Lane } from '../../src/domain/alert-state';
import { buildOutboundEvent } from '../../src/domain/events';
import { BlockedTargetError } from '../../src/destinations/http-client';
import { classifyFailure, classifyResponse } from '../../src/destinations/outcome';

const now = new Date('2026-01-01T00:00:00Z');
const response = (status: number, headers: Record<string, string> = {}, body = '') => ({ status, headers, body, truncated: false });

describe('delivery outcomes', () => {
  test('only a 2xx succeeds', () => {
    expect(classifyResponse(response(200), 5, now)).toMatchObject({ ok: true, status_code: 200, duration_ms: 5 });
    expect(classifyResponse(response(204), 5, now).ok).toBe(true);
    expect(classifyResponse(response(302, { location: 'https://elsewhere/' }), 5, now)).toMatchObject({ ok: false, error: 'redirect (302 to https://elsewhere/) not followed' });
    expect(classifyResponse(response(500), 5, now)).toMatchObject({ ok: false, error: 'receiver answered HTTP 500' });
    expect(classifyResponse(response(401), 5, now).error).toMatch(/credentials/);
  });

  test('410 is final; 429 and 503 carry Retry-After', () => {
    expect(classifyResponse(response(410), 5, now)).toMatchObject({ ok: false, permanent: true, error: expect.stringMatching(/410 Gone/) });
    expect(classifyResponse(response(429, { 'retry-after': '30' }), 5, now)).toMatchObject({ ok: false, retry_after_s: 30 });
    expect(classifyResponse(response(503, { 'retry-after': '7' }), 5, now).retry_after_s).toBe(7);
    expect(classifyResponse(response(500, { 'retry-after': '7' }), 5, now).retry_after_s).toBeUndefined();
  });

  test('transport failures say what to fix', () => {
    expect(classifyFailure(new BlockedTargetError('x resolves to a private address'), 1, 1000)).toMatchObject({ permanent: true });
    expect(classifyFailure(Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 1, 10_000).error).toBe('timed out after 10s');
    expect(classifyFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 1, 1000).error).toMatch(/is the receiver running/);
    expect(classifyFailure(Object.assign(new Error('getaddrinfo ENOTFOUND nope.invalid'), { code: 'ENOTFOUND' }), 1, 1000).error).toMatch(/does not resolve/);
    expect(classifyFailure(Object.assign(new Error('fetch failed'), { cause: { code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' } }), 1, 1000).error).toMatch(/TLS failed/);
    expect(classifyFailure(new Error('boom'), 1, 1000)).toMatchObject({ ok: false, error: 'boom' });
  });
});

describe('alert state', () => {
  const lane = (...states: string[]): Lane => ({
    destination_id: 'd',
    name: 'd',
    type: 'webhook',
    rules: [],
    events: states.map((state) => ({ event_type: 'alert.triggered', state: state as never, attempts: [] })),
  });

  test('a lane is where its latest sent event is; a failure sticks; filtered-only lanes are skipped', () => {
    expect(laneState(lane())).toBe('pending');
    expect(laneState(lane('retrying'))).toBe('retrying');
    expect(laneState(lane('delivered', 'delivering'))).toBe('delivering');
    expect(laneState(lane('failed', 'delivered'))).toBe('failed');
    expect(laneState(lane('delivered', 'skipped'))).toBe('delivered');
    expect(laneState(lane('skipped'))).toBe('skipped');
  });

  test('the alert shows the worst lane', () => {
    expect(deliveryState([])).toBe('delivered');
    expect(deliveryState([lane('delivered'), lane('skipped')])).toBe('delivered');
    expect(deliveryState([lane('delivered'), lane('delivering')])).toBe('pending');
    expect(deliveryState([lane('pending'), lane('retrying')])).toBe('retrying');
    expect(deliveryState([lane('retrying'), lane('failed')])).toBe('failed');
  });
});

test('outbound events follow the AnomalyArmor payload and carry extra fields inside alert', () => {
  const alert = {
    id: 'a1', title: 'Production Schema Changes', severity: 'critical' as const, labels: { env: 'prod' },
    event: { type: 'schema_change', change_type: 'column_removed' }, links: { alert_url: 'https://x/a1' },
    created_at: '2026-01-01T00:00:00.000Z', team: 'data',
  };
  expect(buildOutboundEvent(alert, 'alert.triggered', now)).toEqual({
    event_type: 'alert.triggered',
    occurred_at: '2026-01-01T00:00:00.000Z',
    alert: { team: 'data', id: 'a1', rule_name: 'Production Schema Changes', alert_type: 'schema_change', status: 'triggered', title: 'Production Schema Changes', severity: 'critical', labels: { env: 'prod' }, created_at: '2026-01-01T00:00:00.000Z' },
    event: { type: 'schema_change', change_type: 'column_removed' },
    links: { alert_url: 'https://x/a1' },
  });
  expect(buildOutboundEvent({ ...alert, rule_name: 'R', alert_type: 'schema' }, 'alert.dismissed', now, { by: 'bob', reason: 'noise' }).alert).toMatchObject({
    rule_name: 'R', alert_type: 'schema', status: 'dismissed', closed_by: 'bob', close_reason: 'noise',
  });
});
