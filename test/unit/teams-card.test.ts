// Teams cards (src/destinations/teams/card.ts) for every event Herald sends are Adaptive Cards Teams
// can show: checked against the official Adaptive Card schema and by Microsoft's renderer parser
// (test/support/fakes/adaptive-card.ts). The check itself refuses a broken card.
import type { Alert } from '../../src/domain/alert';
import { buildOutboundEvent, EVENT_HEADLINES, type EventType, type OutboundEvent } from '../../src/domain/events';
import { adaptiveCard, teamsMessage } from '../../src/destinations/teams/card';
import { adaptiveCardProblems } from '../support/fakes/adaptive-card';

const alert = {
  id: 'a1', title: 'Orders lost a column', description: 'The column *discount* was dropped.', severity: 'critical', labels: { team: 'data' },
  event: { type: 'schema_change', change_type: 'column_removed', asset: { qualified_name: 'prod.public.orders' } },
  links: { alert_url: 'https://example.com/a/1', runbook: 'https://example.com/runbook', not_a_link: 'javascript:alert(1)' },
  created_at: '2026-12-03T08:00:00.000Z',
} as unknown as Alert;

const eventOf = (type: EventType): OutboundEvent => ({ ...buildOutboundEvent(alert, 'alert.triggered', new Date('2026-12-03T08:00:00Z')), event_type: type });

test.each(Object.keys(EVENT_HEADLINES) as EventType[])('%s: a card Teams can show', (type) => {
  const message = teamsMessage(eventOf(type));
  expect(message).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null }] });
  expect(adaptiveCardProblems(message.attachments[0]!.content)).toEqual([]);
});

test('the trigger: headline coloured by severity, the facts, links and action links as buttons; no javascript: link', () => {
  const event = { ...eventOf('alert.triggered'), actions: { acknowledge: 'https://herald.example/actions/tok1' } };
  const card = adaptiveCard(event);
  expect(adaptiveCardProblems(card)).toEqual([]);
  expect(card.body[0]).toMatchObject({ type: 'Container', items: [{ type: 'TextBlock', text: 'Alert: Orders lost a column', color: 'attention', weight: 'bolder' }] });
  expect(card.body[1]).toMatchObject({ type: 'TextBlock', text: 'The column *discount* was dropped.', wrap: true });
  expect(card.body[2]!.facts).toEqual([
    { title: 'Severity', value: 'critical' },
    { title: 'Status', value: 'triggered' },
    { title: 'Event', value: 'schema_change (column_removed)' },
    { title: 'Asset', value: 'prod.public.orders' },
    { title: 'Herald alert', value: 'a1' },
  ]);
  expect(card.actions).toEqual([
    { type: 'Action.OpenUrl', title: 'Acknowledge', url: 'https://herald.example/actions/tok1' },
    { type: 'Action.OpenUrl', title: 'alert_url', url: 'https://example.com/a/1' },
    { type: 'Action.OpenUrl', title: 'runbook', url: 'https://example.com/runbook' },
  ]);
});

test('a resolve is green, says who, and shows the reason instead of the description', () => {
  const card = adaptiveCard(buildOutboundEvent(alert, 'alert.resolved', new Date(), { by: 'jane', reason: 'column restored' }));
  expect(card.body[0]!.items![0]).toMatchObject({ text: 'Resolved: Orders lost a column', color: 'good' });
  expect(card.body[1]).toMatchObject({ text: 'column restored', isSubtle: true });
  expect(card.body[2]!.facts).toEqual(expect.arrayContaining([{ title: 'By', value: 'jane' }, { title: 'Status', value: 'resolved' }]));
});

test('long texts are cut, so the message stays under Teams\' 28 KB', () => {
  const huge = { ...alert, title: 't'.repeat(5000), description: 'd'.repeat(50_000) } as Alert;
  const message = teamsMessage(buildOutboundEvent(huge, 'alert.triggered', new Date()));
  expect(JSON.stringify(message).length).toBeLessThan(28_000);
  expect(adaptiveCardProblems(message.attachments[0]!.content)).toEqual([]);
});

test('the check refuses what Teams cannot show', () => {
  const card = adaptiveCard(eventOf('alert.triggered'));
  expect(adaptiveCardProblems({ ...card, body: [{ type: 'TextBlock', text: 'x', color: 'purple' }] })).toEqual(expect.arrayContaining([expect.stringMatching(/color/)]));
  // The schema checks the first element only; the renderer every one.
  expect(adaptiveCardProblems({ ...card, body: [{ type: 'TextBlock', text: 'x' }, { type: 'Sparkline' }] })).toEqual(['renderer: Unknown element type "Sparkline". Fallback will be used if present.']);
  expect(adaptiveCardProblems({ ...card, body: [{ type: 'Carousel' }] })).toEqual(expect.arrayContaining([expect.stringMatching(/^schema: \/body\/0\/type must be equal to one of the allowed values/)]));
  expect(adaptiveCardProblems({ ...card, body: [{ type: 'FactSet' }] }).length).toBeGreaterThan(0); // facts are required
  expect(adaptiveCardProblems({ ...card, version: '1.6' })).toEqual(expect.arrayContaining(['version 1.6 is not one Teams renders']));
  expect(adaptiveCardProblems({ body: [] }).length).toBeGreaterThan(0); // neither type nor version
});
