import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { deliveryId, generateSigningSecret, heraldSignature, standardWebhookSignature } from '../../src/domain/signing';

const body = '{"event_type":"alert.triggered","alert":{"id":"a1"}}';

test('generated secrets are whsec_ + base64 of 32 random bytes', () => {
  const a = generateSigningSecret();
  expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
  expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
  expect(generateSigningSecret()).not.toBe(a);
});

test('X-Herald-Signature verifies with the recipe of the AnomalyArmor reference', () => {
  const secret = generateSigningSecret();
  const signature = heraldSignature(secret, body);
  // hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest(), compared with "sha256=" prefix
  const expected = `sha256=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(body, 'utf8')).digest('hex')}`;
  expect(timingSafeEqual(Buffer.from(expected), Buffer.from(signature))).toBe(true);
  expect(heraldSignature(secret, `${body} `)).not.toBe(signature);
});

test('webhook-signature verifies with the standardwebhooks package', () => {
  const secret = generateSigningSecret();
  const now = new Date();
  const headers = {
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': standardWebhookSignature(secret, 'msg_1', now, body),
  };
  expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
  expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  expect(() => new Webhook(generateSigningSecret()).verify(body, headers)).toThrow();
  expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow();
});

test('delivery ids are stable for one event and differ for any other', () => {
  const id = deliveryId('alert:a1', 'dst_1', 0);
  expect(id).toMatch(/^msg_[A-Za-z0-9_-]{27}$/);
  expect(deliveryId('alert:a1', 'dst_1', 0)).toBe(id);
  expect(new Set([id, deliveryId('alert:a1', 'dst_1', 1), deliveryId('alert:a1', 'dst_2', 0), deliveryId('alert:a2', 'dst_1', 0)]).size).toBe(4);
});
