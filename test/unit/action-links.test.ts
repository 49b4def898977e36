// Action links' tokens (src/crypto/action-links.ts) and when an event carries them.
import { randomBytes } from 'node:crypto';
import { ActionLinks, ActionLinkSigner } from '../../src/crypto/action-links';
import { loadConfig } from '../../src/config';

const claims = { alert_id: 'a1', action: 'acknowledge' as const, delivery_id: 'msg_1', expires_at: '2026-12-09T10:00:00.000Z' };
const now = new Date('2026-12-02T10:00:00.000Z');

test('a token verifies under its key until it expires; the next key in the list verifies too', () => {
  const [current, old] = [randomBytes(32), randomBytes(32)];
  const token = new ActionLinkSigner([old]).sign(claims);
  expect(new ActionLinkSigner([current, old]).verify(token, now)).toEqual({ ok: true, claims });
  expect(new ActionLinkSigner([current]).verify(token, now)).toEqual({ ok: false, reason: 'forged' });
  expect(new ActionLinkSigner([old]).verify(token, new Date('2026-12-09T10:00:00.000Z'))).toMatchObject({ ok: false, reason: 'expired', claims });
});

test('any change to a token makes it forged', () => {
  const signer = new ActionLinkSigner([randomBytes(32)]);
  const token = signer.sign(claims);
  const [body, mac] = token.split('.');
  const payload = JSON.parse(Buffer.from(body!, 'base64url').toString());
  for (const changed of [
    `${Buffer.from(JSON.stringify({ ...payload, x: 'resolve' })).toString('base64url')}.${mac}`,
    `${Buffer.from(JSON.stringify({ ...payload, e: payload.e + 86_400 })).toString('base64url')}.${mac}`,
    `${body}.${mac!.slice(1)}`,
    `${token}.extra`,
    'nonsense',
    '',
  ]) expect(signer.verify(changed, now)).toEqual({ ok: false, reason: 'forged' });
});

test('open alerts\' events carry links (acknowledge only while not acknowledged); closed, group and test events none; the same delivery gets the same links', () => {
  const links = new ActionLinks([randomBytes(32)], 'https://herald.example.com', 7 * 86_400_000);
  const event = (event_type: string, status: string) => ({ event_type, occurred_at: '2026-12-02T10:00:00.000Z', alert: { id: 'a1', status } });
  const triggered = links.for(event('alert.triggered', 'triggered'), 'msg_1')!;
  expect(Object.keys(triggered)).toEqual(['acknowledge', 'resolve']);
  expect(triggered.acknowledge).toMatch(/^https:\/\/herald\.example\.com\/actions\/[\w-]+\.[\w-]+$/);
  expect(links.for(event('alert.triggered', 'triggered'), 'msg_1')).toEqual(triggered);
  expect(links.for(event('alert.triggered', 'triggered'), 'msg_2')).not.toEqual(triggered);
  expect(Object.keys(links.for(event('alert.acknowledged', 'acknowledged'), 'msg_1')!)).toEqual(['resolve']);
  expect(links.for(event('alert.resolved', 'resolved'), 'msg_1')).toBeUndefined();
  expect(links.for(event('group.triggered', 'triggered'), 'msg_1')).toBeUndefined();
  expect(links.for(event('test', 'test'), 'msg_1')).toBeUndefined();
});

test('action links are on only with HERALD_PUBLIC_URL; their keys are HERALD_ACTION_LINK_KEY, else derived from HERALD_SECRET_KEY', () => {
  const secret = randomBytes(32).toString('base64');
  const own = randomBytes(32).toString('base64');
  expect(loadConfig({ HERALD_SECRET_KEY: secret }).actionLinks).toBeUndefined();
  const derived = loadConfig({ HERALD_SECRET_KEY: secret, HERALD_PUBLIC_URL: 'https://herald.example.com/' }).actionLinks!;
  expect(derived).toMatchObject({ baseUrl: 'https://herald.example.com', ttlMs: 7 * 86_400_000 });
  expect(derived.keys[0]!.equals(Buffer.from(secret, 'base64'))).toBe(false);
  const configured = loadConfig({ HERALD_SECRET_KEY: secret, HERALD_PUBLIC_URL: 'https://herald.example.com', HERALD_ACTION_LINK_KEY: own, HERALD_ACTION_LINK_TTL_S: '3600' }).actionLinks!;
  expect(configured.keys.map((k) => k.toString('base64'))).toEqual([own]);
  expect(configured.ttlMs).toBe(3600_000);
  expect(() => loadConfig({ HERALD_ACTION_LINK_KEY: 'short' })).toThrow(/HERALD_ACTION_LINK_KEY \(set\)/);
});
