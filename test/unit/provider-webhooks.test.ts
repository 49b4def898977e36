// Provider webhooks in: PagerDuty's signature check and what each provider's event asks of an alert.
import { createHmac } from 'node:crypto';
import { incidentIoAction, incidentIoStatusOf, incidentRef, pagerdutyAction, pagerdutySignatureValid, pagerdutyWebhookSchema } from '../../src/domain/provider-webhooks';

const body = Buffer.from('{"event":{}}');
const sign = (secret: string, raw: Buffer = body) => `v1=${createHmac('sha256', secret).update(raw).digest('hex')}`;

describe('PagerDuty signatures', () => {
  it('accepts any of several signatures under any configured secret (rotation on either side)', () => {
    expect(pagerdutySignatureValid(body, sign('secret-b'), ['secret-a', 'secret-b'])).toBe(true);
    expect(pagerdutySignatureValid(body, `${sign('retired')}, ${sign('secret-a')}`, ['secret-a'])).toBe(true);
  });
  it('refuses a missing, malformed, foreign or altered signature', () => {
    expect(pagerdutySignatureValid(body, undefined, ['secret-a'])).toBe(false);
    expect(pagerdutySignatureValid(body, 'sha256=abc', ['secret-a'])).toBe(false);
    expect(pagerdutySignatureValid(body, 'v1=zz', ['secret-a'])).toBe(false);
    expect(pagerdutySignatureValid(body, sign('secret-x'), ['secret-a'])).toBe(false);
    expect(pagerdutySignatureValid(Buffer.from('{"event":{ }}'), sign('secret-a'), ['secret-a'])).toBe(false);
  });
});

const pdEvent = (event_type: string, data: Record<string, unknown> = { id: 'P1', type: 'incident', incident_key: 'herald/alert:a1' }, agent: unknown = { summary: 'Dana' }) =>
  pagerdutyWebhookSchema.parse({ event: { id: 'e1', event_type, resource_type: 'incident', occurred_at: '2026-12-03T10:00:00Z', agent, data } });

describe('PagerDuty events', () => {
  it('maps acknowledged, unacknowledged and resolved to the incident key, with who did it', () => {
    expect(pagerdutyAction(pdEvent('incident.acknowledged'))).toEqual({ action: 'acknowledge', incidentId: 'herald/alert:a1', by: 'Dana (PagerDuty)' });
    expect(pagerdutyAction(pdEvent('incident.unacknowledged', undefined, null))).toEqual({ action: 'unacknowledge', incidentId: 'herald/alert:a1', by: 'PagerDuty' });
    expect(pagerdutyAction(pdEvent('incident.resolved'))?.action).toBe('resolve');
  });
  it('ignores other events and incidents without a key', () => {
    expect(pagerdutyAction(pdEvent('incident.escalated'))).toBeUndefined();
    expect(pagerdutyAction(pdEvent('incident.resolved', { id: 'P1', type: 'incident' }))).toBeUndefined();
  });
  it('finds lanes by provider and id', () => {
    expect(incidentRef({ provider: 'pagerduty', id: 'herald/alert:a1' })).toBe('pagerduty:herald/alert:a1');
  });
});

describe('incident.io events', () => {
  const status = (id: string, category: string) => ({ id, category, name: id });
  it('reads the status from both incident webhooks; private ones say nothing', () => {
    expect(incidentIoStatusOf({ event_type: 'public_incident.incident_status_updated_v2', 'public_incident.incident_status_updated_v2': { incident: { id: 'I1' }, new_status: status('S1', 'closed') } })).toEqual({
      incidentId: 'I1',
      status: status('S1', 'closed'),
    });
    expect(incidentIoStatusOf({ event_type: 'public_incident.incident_updated_v2', 'public_incident.incident_updated_v2': { id: 'I1', incident_status: status('S2', 'live') } })?.status.id).toBe('S2');
    expect(incidentIoStatusOf({ event_type: 'private_incident.incident_updated_v2', 'private_incident.incident_updated_v2': { id: 'I1' } })).toBeUndefined();
  });
  it('resolves once the incident is over; acknowledges on the destination\'s acknowledged status only', () => {
    for (const category of ['closed', 'learning', 'declined', 'canceled', 'merged']) expect(incidentIoAction('I1', status('S', category), undefined)?.action).toBe('resolve');
    expect(incidentIoAction('I1', status('S-ACK', 'live'), 'S-ACK')).toEqual({ action: 'acknowledge', incidentId: 'I1', by: 'incident.io' });
    expect(incidentIoAction('I1', status('S-OTHER', 'live'), 'S-ACK')).toBeUndefined();
    expect(incidentIoAction('I1', status('S-ACK', 'live'), undefined)).toBeUndefined();
  });
});
