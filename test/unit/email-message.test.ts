// One alert's emails thread together (src/destinations/email/message.ts): the trigger's Message-ID is
// the root every later event replies to, the subject stays the trigger's with "Re:", a re-triggered
// alert starts a new thread, and nothing from the alert reaches the HTML unescaped.
import { buildOutboundEvent } from '../../src/domain/events';
import { emailMessage } from '../../src/destinations/email/message';
import { smtpFailure } from '../../src/destinations/email/smtp-failure';
import type { Alert } from '../../src/domain/alert';

const alert = (createdAt = '2026-12-03T08:00:00.000Z') =>
  ({ id: 'a1', title: 'Orders <lost> a column', description: 'x & y', severity: 'critical', labels: {}, event: { type: 'schema_change', asset: { qualified_name: 'prod.orders' } }, links: {}, created_at: createdAt }) as unknown as Alert;
const ctx = (deliveryId: string) => ({ workflowId: 'alert:a1', destinationId: 'dst_1', deliveryId });
const opts = { domain: 'herald.example', subjectPrefix: '[Herald]' };

test('the trigger is the root; the resolve replies to it with the same subject', () => {
  const trigger = emailMessage(buildOutboundEvent(alert(), 'alert.triggered', new Date()), ctx('msg_t'), opts);
  const resolve = emailMessage(buildOutboundEvent(alert(), 'alert.resolved', new Date(), { by: 'jane', reason: 'fixed' }), ctx('msg_r'), opts);
  expect(trigger.messageId).toMatch(/^<alert\.[0-9a-f]{32}@herald\.example>$/);
  expect(trigger.inReplyTo).toBeUndefined();
  expect(trigger.subject).toBe('[Herald] Orders <lost> a column');
  expect(resolve).toMatchObject({ messageId: '<msg_r@herald.example>', inReplyTo: trigger.messageId, references: trigger.messageId, subject: 'Re: [Herald] Orders <lost> a column' });
  expect(resolve.text.split('\n')[0]).toBe('Resolved (critical): Orders <lost> a column, by jane');
  expect(resolve.text).toContain('fixed');
});

test('a re-triggered alert (new created_at) starts its own thread; another destination has its own', () => {
  const first = emailMessage(buildOutboundEvent(alert(), 'alert.triggered', new Date()), ctx('m1'), opts);
  const again = emailMessage(buildOutboundEvent(alert('2026-12-03T09:00:00.000Z'), 'alert.triggered', new Date()), ctx('m2'), opts);
  const other = emailMessage(buildOutboundEvent(alert(), 'alert.triggered', new Date()), { ...ctx('m3'), destinationId: 'dst_2' }, opts);
  expect(new Set([first.messageId, again.messageId, other.messageId]).size).toBe(3);
});

test('the HTML body escapes what the alert says', () => {
  const html = emailMessage(buildOutboundEvent(alert(), 'alert.triggered', new Date()), ctx('m'), opts).html;
  expect(html).toContain('Orders &#60;lost&#62; a column');
  expect(html).toContain('x &#38; y');
  expect(html).not.toContain('<lost>');
});

test('SMTP replies: 5xx and a refused login are final, 4xx is retried', () => {
  expect(smtpFailure({ code: 'EENVELOPE', responseCode: 550, response: '550 no such user' }, 5, 1000)).toMatchObject({ permanent: true, error: expect.stringContaining('550 no such user') });
  expect(smtpFailure({ code: 'EAUTH', responseCode: 535, response: '535 bad' }, 5, 1000)).toMatchObject({ permanent: true, error: expect.stringMatching(/refused the login/) });
  const deferred = smtpFailure({ code: 'EENVELOPE', responseCode: 451, response: '451 try later' }, 5, 1000);
  expect(deferred.permanent).toBeUndefined();
  expect(deferred.error).toMatch(/try later/);
});
