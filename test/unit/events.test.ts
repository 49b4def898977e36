// The outbound event a destination receives without a body template (README "What a webhook receiver
// gets"), shaped like the AnomalyArmor payload: {event_type, alert{…}, event{…}, links{…}}.
import type { Alert } from '../../src/domain/alert';
import { buildOutboundEvent } from '../../src/domain/events';

const at = new Date('2026-01-02T03:04:05.678Z');

function alertOf(overrides: Partial<Alert> & Record<string, unknown> = {}): Alert {
  return {
    id: 'alert_abc123',
    title: 'Production Schema Changes',
    severity: 'critical',
    labels: { env: 'production' },
    event: {
      type: 'schema_change',
      change_type: 'column_removed',
      asset: { qualified_name: 'production.public.orders', asset_type: 'table' },
      details: { column_name: 'shipping_status', column_type: 'varchar' },
    },
    links: { alert_url: 'https://app.example.com/alerts/alert_abc123' },
    created_at: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('buildOutboundEvent', () => {
  test('a trigger has the whole documented shape', () => {
    expect(buildOutboundEvent(alertOf(), 'alert.triggered', at)).toEqual({
      event_type: 'alert.triggered',
      occurred_at: '2026-01-02T03:04:05.678Z',
      alert: {
        id: 'alert_abc123',
        rule_name: 'Production Schema Changes',
        alert_type: 'schema_change',
        status: 'triggered',
        title: 'Production Schema Changes',
        severity: 'critical',
        labels: { env: 'production' },
        created_at: '2026-01-01T00:00:00.000Z',
      },
      event: {
        type: 'schema_change',
        change_type: 'column_removed',
        asset: { qualified_name: 'production.public.orders', asset_type: 'table' },
        details: { column_name: 'shipping_status', column_type: 'varchar' },
      },
      links: { alert_url: 'https://app.example.com/alerts/alert_abc123' },
    });
  });

  test.each([
    ['alert.triggered', 'triggered'],
    ['alert.updated', 'triggered'],
    ['alert.resolved', 'resolved'],
    ['alert.dismissed', 'dismissed'],
    ['alert.expired', 'expired'],
    ['test', 'test'],
  ] as const)('%s carries alert.status %s', (eventType, status) => {
    const event = buildOutboundEvent(alertOf(), eventType, at);
    expect(event.event_type).toBe(eventType);
    expect(event.alert.status).toBe(status);
  });

  test('rule_name defaults to the title and alert_type to the event type', () => {
    const { alert } = buildOutboundEvent(alertOf({ title: 'Freshness SLA missed', event: { type: 'freshness_violation' } }), 'alert.triggered', at);
    expect(alert.rule_name).toBe('Freshness SLA missed');
    expect(alert.alert_type).toBe('freshness_violation');
  });

  test('a rule_name and alert_type the source sent are kept', () => {
    const { alert } = buildOutboundEvent(alertOf({ rule_name: 'Breaking changes', alert_type: 'schema' }), 'alert.triggered', at);
    expect(alert.rule_name).toBe('Breaking changes');
    expect(alert.alert_type).toBe('schema');
    expect(alert.title).toBe('Production Schema Changes');
  });

  test('the description travels only when there is one', () => {
    expect(buildOutboundEvent(alertOf(), 'alert.triggered', at).alert).not.toHaveProperty('description');
    expect(buildOutboundEvent(alertOf({ description: 'column dropped' }), 'alert.triggered', at).alert.description).toBe('column dropped');
  });

  test('fields beyond the known ones are passed through inside alert, not at the top level', () => {
    const event = buildOutboundEvent(alertOf({ team: 'data-platform', runbook: { url: 'https://wiki/rb' }, score: 0.97 }), 'alert.triggered', at);
    expect(event.alert).toMatchObject({ team: 'data-platform', runbook: { url: 'https://wiki/rb' }, score: 0.97 });
    expect(Object.keys(event).sort()).toEqual(['alert', 'event', 'event_type', 'links', 'occurred_at']);
  });

  test('an extra field cannot override what Herald computes', () => {
    const { alert } = buildOutboundEvent(alertOf({ status: 'spoofed', rule_name: undefined }), 'alert.resolved', at);
    expect(alert.status).toBe('resolved');
    expect(alert.rule_name).toBe('Production Schema Changes');
  });

  test('resolved and dismissed carry who closed the alert and why', () => {
    expect(buildOutboundEvent(alertOf(), 'alert.resolved', at, { by: 'alice', reason: 'column restored' }).alert).toMatchObject({
      status: 'resolved',
      closed_by: 'alice',
      close_reason: 'column restored',
    });
    expect(buildOutboundEvent(alertOf(), 'alert.dismissed', at, { by: 'bob', reason: 'expected migration' }).alert).toMatchObject({
      status: 'dismissed',
      closed_by: 'bob',
      close_reason: 'expected migration',
    });
  });

  test('the end of the anomalous period travels with the closing event when the source knows it', () => {
    const { alert } = buildOutboundEvent(alertOf(), 'alert.resolved', at, { by: 'anomify', end_timestamp: '2026-01-02T03:00:00Z' });
    expect(alert).toMatchObject({ status: 'resolved', closed_by: 'anomify', end_timestamp: '2026-01-02T03:00:00Z' });
    expect(buildOutboundEvent(alertOf(), 'alert.resolved', at, { by: 'anomify' }).alert).not.toHaveProperty('end_timestamp');
  });

  test('closure fields appear only when given', () => {
    const onlyBy = buildOutboundEvent(alertOf(), 'alert.resolved', at, { by: 'alice' }).alert;
    expect(onlyBy.closed_by).toBe('alice');
    expect(onlyBy).not.toHaveProperty('close_reason');
    const onlyReason = buildOutboundEvent(alertOf(), 'alert.dismissed', at, { reason: 'noise' }).alert;
    expect(onlyReason).not.toHaveProperty('closed_by');
    expect(onlyReason.close_reason).toBe('noise');
    const none = buildOutboundEvent(alertOf(), 'alert.resolved', at, {}).alert;
    expect(none).not.toHaveProperty('closed_by');
    expect(none).not.toHaveProperty('close_reason');
    expect(none).not.toHaveProperty('end_timestamp');
    expect(buildOutboundEvent(alertOf(), 'alert.triggered', at).alert).not.toHaveProperty('closed_by');
  });

  test('the event and links are those of the alert, and the alert is not modified', () => {
    const alert = alertOf({ extra_field: 1 });
    const before = JSON.stringify(alert);
    const event = buildOutboundEvent(alert, 'alert.resolved', at, { by: 'x', reason: 'y' });
    expect(event.event).toEqual(alert.event);
    expect(event.links).toEqual(alert.links);
    expect(JSON.stringify(alert)).toBe(before);
  });

  test('the same alert gives the same document for every lane', () => {
    const alert = alertOf();
    expect(JSON.stringify(buildOutboundEvent(alert, 'alert.triggered', at))).toBe(JSON.stringify(buildOutboundEvent(alert, 'alert.triggered', at)));
  });
});
