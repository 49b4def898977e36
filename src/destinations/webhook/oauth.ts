// OAuth 2.0 client credentials (RFC 6749 §4.4) for webhook auth: a token is fetched once for all
// concurrent deliveries, cached until shortly before it expires, and dropped when a receiver says 401.
import { createHash } from 'node:crypto';
import type { TargetPolicy } from '../../domain/target-policy';
import type { HttpClient } from '../http-client';
import type { WebhookAuth } from './config';

type OAuthConfig = Extract<WebhookAuth, { type: 'oauth2_client_credentials' }>;
type Cached = { token: string; expiresAt: number };

/** Refresh this long before the server's expiry, so a token never dies in flight. */
const EXPIRY_MARGIN_MS = 30_000;
const DEFAULT_LIFETIME_S = 300;

export class OAuthTokenError extends Error {}

export class OAuthTokens {
  private readonly cache = new Map<string, Cached>();
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(private readonly http: HttpClient, private readonly now: () => number = Date.now) {}

  /** A valid access token: cached, or fetched once however many deliveries ask at the same time. */
  async token(config: OAuthConfig, policy: TargetPolicy, timeoutMs: number): Promise<string> {
    const key = cacheKey(config);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.token;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.fetchToken(config, policy, timeoutMs).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  /** Forget a token the receiver refused, unless a newer one already replaced it. */
  invalidate(config: OAuthConfig, token: string): void {
    const key = cacheKey(config);
    if (this.cache.get(key)?.token === token) this.cache.delete(key);
  }

  private async fetchToken(config: OAuthConfig, policy: TargetPolicy, timeoutMs: number): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (config.scopes.length > 0) form.set('scope', config.scopes.join(' '));
    if (config.audience) form.set('audience', config.audience);
    const basic = Buffer.from(`${encodeURIComponent(config.client_id)}:${encodeURIComponent(config.client_secret)}`).toString('base64');
    const response = await this.http.send({
      url: config.token_url,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${basic}` },
      body: form.toString(),
      timeoutMs,
      policy,
    });
    let json: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } = {};
    try {
      json = JSON.parse(response.body);
    } catch {
      // reported below
    }
    if (response.status !== 200 || typeof json.access_token !== 'string') {
      const reason = typeof json.error === 'string' ? `${json.error}${json.error_description ? `: ${json.error_description}` : ''}` : 'no access_token in the answer';
      throw new OAuthTokenError(`OAuth token request to ${config.token_url} failed: HTTP ${response.status} (${reason})`);
    }
    const lifetimeS = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : DEFAULT_LIFETIME_S;
    const expiresAt = this.now() + Math.max(lifetimeS * 1000 - EXPIRY_MARGIN_MS, lifetimeS * 500);
    this.cache.set(cacheKey(config), { token: json.access_token, expiresAt });
    return json.access_token;
  }
}

function cacheKey(config: OAuthConfig): string {
  // The secret is part of the key (hashed) so a corrected secret never reuses a token of the old one.
  return createHash('sha256')
    .update(JSON.stringify([config.token_url, config.client_id, config.client_secret, config.scopes, config.audience ?? '']))
    .digest('hex');
}
