// One-click action links (README "Action links"): a token names one alert, one action (acknowledge or
// resolve), the delivery it was sent in and an expiry, and carries an HMAC-SHA256 over all of it under
// the first of HERALD_ACTION_LINK_KEY's keys; every key of the list verifies, so a key is rotated by
// putting the new one first. The token names its key by id (as the keyring does), never the key.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const LINK_ACTIONS = ['acknowledge', 'resolve'] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];

export type LinkClaims = { alert_id: string; action: LinkAction; delivery_id: string; expires_at: string };
export type LinkVerdict = { ok: true; claims: LinkClaims } | { ok: false; reason: 'forged' | 'expired'; claims?: LinkClaims };

type Payload = { v: 1; k: string; a: string; x: LinkAction; d: string; e: number };

export class ActionLinkSigner {
  private readonly keys: { id: string; key: Buffer }[];

  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0) throw new Error('action links need at least one key');
    this.keys = keys.map((key) => ({ id: createHash('sha256').update(key).digest('hex').slice(0, 8), key }));
  }

  sign(claims: LinkClaims): string {
    const { id, key } = this.keys[0]!;
    const payload: Payload = { v: 1, k: id, a: claims.alert_id, x: claims.action, d: claims.delivery_id, e: Math.floor(Date.parse(claims.expires_at) / 1000) };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${mac(key, body)}`;
  }

  /** Forged (altered, unknown key, not a token at all) or expired at `now`, or the claims. */
  verify(token: string, now = new Date()): LinkVerdict {
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined) return { ok: false, reason: 'forged' };
    let payload: Payload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
    } catch {
      return { ok: false, reason: 'forged' };
    }
    const entry = this.keys.find((k) => k.id === payload.k);
    const expected = entry && Buffer.from(mac(entry.key, body));
    const given = Buffer.from(signature);
    if (!expected || expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'forged' };
    if (payload.v !== 1 || !(LINK_ACTIONS as readonly string[]).includes(payload.x) || typeof payload.a !== 'string' || !Number.isFinite(payload.e)) return { ok: false, reason: 'forged' };
    const claims: LinkClaims = { alert_id: payload.a, action: payload.x, delivery_id: payload.d, expires_at: new Date(payload.e * 1000).toISOString() };
    if (payload.e * 1000 <= now.getTime()) return { ok: false, reason: 'expired', claims };
    return { ok: true, claims };
  }
}

const mac = (key: Buffer, body: string) => createHmac('sha256', key).update(`herald-action-link\n${body}`).digest('base64url');

/**
 * The links an alert's event carries to one destination: acknowledge while it is not acknowledged,
 * resolve while it is open; none for a closed alert, a group's or Herald's own events. Each link's
 * expiry counts from the event, so every attempt of one delivery sends the same links.
 */
export class ActionLinks {
  private readonly signer: ActionLinkSigner;

  constructor(
    keys: readonly Buffer[],
    private readonly baseUrl: string,
    private readonly ttlMs: number,
  ) {
    this.signer = new ActionLinkSigner(keys);
  }

  get verifier(): Pick<ActionLinkSigner, 'verify'> {
    return this.signer;
  }

  url(token: string): string {
    return `${this.baseUrl}/actions/${token}`;
  }

  /**
   * `alertKey`: the alert's key (src/domain/alert.ts alertKeyFor), which the link acts on: the event
   * carries the id its tenant gave, which in another tenant than `default` names a different alert.
   */
  for(event: { event_type: string; occurred_at: string; alert: { id: string; status: string } }, deliveryId: string, alertKey = event.alert.id): Partial<Record<LinkAction, string>> | undefined {
    if (!event.event_type.startsWith('alert.') || !['triggered', 'acknowledged'].includes(event.alert.status)) return undefined;
    const expires_at = new Date(Date.parse(event.occurred_at) + this.ttlMs).toISOString();
    const link = (action: LinkAction) => this.url(this.signer.sign({ alert_id: alertKey, action, delivery_id: deliveryId, expires_at }));
    return { ...(event.alert.status === 'triggered' && { acknowledge: link('acknowledge') }), resolve: link('resolve') };
  }
}
