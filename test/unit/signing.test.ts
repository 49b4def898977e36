// Signatures a receiver checks (README "What a webhook receiver gets"): X-Herald-Signature with the
// recipe given there, and Standard Webhooks' headers verified with the
// `standardwebhooks` package a receiver would use.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { deliveryId, generateSigningSecret, heraldSignature, standardWebhookSignature } from '../../src/domain/signing';

const body = JSON.stringify({ event_type: 'alert.triggered', alert: { id: 'alert_abc123', title: 'Schéma änderung ✓' } });

/**
 * The receiver's check from the AnomalyArmor reference, line for line:
 *   expected = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()
 *   return hmac.compare_digest(f"sha256={expected}", signature)
 */
function referenceVerify(payload: string, signature: string, secret: string): boolean {
  const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(payload, 'utf8')).digest('hex');
  const a = Buffer.from(`sha256=${expected}`);
  const b = Buffer.from(signature);
  return a.length === b.length && timingSafeEqual(a, b);
}

function headersFor(secret: string, id: string, at: Date, payload: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': standardWebhookSignature(secret, id, at, payload),
  };
}

describe('heraldSignature', () => {
  test('is sha256=<hex HMAC-SHA256> (RFC 4231 test case 2)', () => {
    expect(heraldSignature('Jefe', 'what do ya want for nothing?')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  test('verifies with the AnomalyArmor recipe, keyed with the whole secret string', () => {
    const secret = generateSigningSecret();
    const signature = heraldSignature(secret, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(referenceVerify(body, signature, secret)).toBe(true);
    // The key is the secret as the user sees it (prefix included), not its base64-decoded bytes.
    const decodedKey = createHmac('sha256', Buffer.from(secret.slice(6), 'base64')).update(body).digest('hex');
    expect(signature).not.toBe(`sha256=${decodedKey}`);
  });

  test('non-ASCII bodies are signed as UTF-8, as the recipe encodes them', () => {
    const secret = 'whsec_plain-text-secret';
    expect(referenceVerify('{"t":"ünïcødé 🚨"}', heraldSignature(secret, '{"t":"ünïcødé 🚨"}'), secret)).toBe(true);
  });

  test('any change of body or secret breaks verification', () => {
    const secret = generateSigningSecret();
    const signature = heraldSignature(secret, body);
    expect(referenceVerify(`${body} `, signature, secret)).toBe(false);
    expect(referenceVerify(body.replace('abc123', 'abc124'), signature, secret)).toBe(false);
    expect(referenceVerify(body, signature, generateSigningSecret())).toBe(false);
    expect(heraldSignature(secret, body)).toBe(signature); // deterministic
  });
});

describe('standardWebhookSignature', () => {
  test('matches the Standard Webhooks reference vector', () => {
    expect(
      standardWebhookSignature('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', new Date(1614265330 * 1000), '{"test": 2432232314}'),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  test('is v1,<base64 HMAC-SHA256 of id.timestamp.body keyed with the decoded secret>', () => {
    const secret = generateSigningSecret();
    const at = new Date('2026-01-01T00:00:00Z');
    const signature = standardWebhookSignature(secret, 'msg_1', at, body);
    const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
      .update(`msg_1.${Math.floor(at.getTime() / 1000)}.${body}`)
      .digest('base64');
    expect(signature).toBe(`v1,${expected}`);
    expect(Buffer.from(signature.slice(3), 'base64')).toHaveLength(32);
  });

  test('verifies with Webhook.verify from the standardwebhooks package', () => {
    const secret = generateSigningSecret();
    const headers = headersFor(secret, 'msg_abc', new Date(), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  test('Webhook.verify refuses a wrong secret, a changed body, id or timestamp', () => {
    const secret = generateSigningSecret();
    const now = new Date();
    const headers = headersFor(secret, 'msg_abc', now, body);
    const hook = new Webhook(secret);
    expect(() => new Webhook(generateSigningSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
    expect(() => hook.verify(body.replace('abc123', 'abc124'), headers)).toThrow(WebhookVerificationError);
    expect(() => hook.verify(body, { ...headers, 'webhook-id': 'msg_other' })).toThrow(WebhookVerificationError);
    expect(() => hook.verify(body, { ...headers, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000) + 1) })).toThrow(
      WebhookVerificationError,
    );
  });

  test('a stale timestamp is refused by receivers (replay protection works on our timestamps)', () => {
    const secret = generateSigningSecret();
    const anHourAgo = new Date(Date.now() - 3600_000);
    expect(() => new Webhook(secret).verify(body, headersFor(secret, 'msg_abc', anHourAgo, body))).toThrow(/timestamp/i);
  });

  test('during a rotation, a header holding both signatures verifies with either secret', () => {
    const current = generateSigningSecret();
    const previous = generateSigningSecret();
    const now = new Date();
    const headers = {
      'webhook-id': 'msg_rot',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': [current, previous].map((s) => standardWebhookSignature(s, 'msg_rot', now, body)).join(' '),
    };
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
  });
});

describe('generateSigningSecret', () => {
  test('is whsec_ + canonical base64 of 32 bytes', () => {
    const secret = generateSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const bytes = Buffer.from(secret.slice(6), 'base64');
    expect(bytes).toHaveLength(32);
    expect(`whsec_${bytes.toString('base64')}`).toBe(secret);
  });

  test('is random each time and usable by the standardwebhooks package', () => {
    const secrets = Array.from({ length: 50 }, generateSigningSecret);
    expect(new Set(secrets).size).toBe(50);
    for (const secret of secrets.slice(0, 5)) expect(() => new Webhook(secret)).not.toThrow();
  });
});

describe('deliveryId', () => {
  const id = deliveryId('alert:a1', 'dst_1', 0);

  test('has the Standard Webhooks msg_ shape and is stable for the same inputs', () => {
    expect(id).toMatch(/^msg_[A-Za-z0-9_-]{27}$/);
    expect(deliveryId('alert:a1', 'dst_1', 0)).toBe(id);
  });

  test('changes when any one input changes', () => {
    expect(deliveryId('alert:a2', 'dst_1', 0)).not.toBe(id);
    expect(deliveryId('alert:a1', 'dst_2', 0)).not.toBe(id);
    expect(deliveryId('alert:a1', 'dst_1', 1)).not.toBe(id);
  });

  test('inputs do not run into each other', () => {
    expect(deliveryId('alert:a1', 'dst_1', 11)).not.toBe(deliveryId('alert:a1', 'dst_11', 1));
    expect(deliveryId('alert:a1', '1dst', 0)).not.toBe(deliveryId('alert:a11', 'dst', 0));
  });

  test('every event of every lane of an alert gets its own id', () => {
    const ids = ['dst_1', 'dst_2', 'dst_3'].flatMap((dest) => [0, 1, 2, 3].map((seq) => deliveryId('alert:a1', dest, seq)));
    expect(new Set(ids).size).toBe(12);
  });
});
