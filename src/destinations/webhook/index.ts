// Webhook destination: one signed HTTP request per attempt, with the destination's auth, body
// template and response validators.
import type { OutboundEvent } from '../../domain/events';
import { generateSigningSecret, heraldSignature, standardWebhookSignature } from '../../domain/signing';
import { urlProblem } from '../../domain/target-policy';
import { renderTemplate } from '../../domain/template';
import { VERSION } from '../../version';
import type { HttpClient, HttpResponse } from '../http-client';
import { exchange } from '../exchange';
import { maskSecret, type DeliveryOutcome, type DestinationProvider, type SendContext } from '../types';
import { webhookConfigSchema, type WebhookAuth, type WebhookConfig } from './config';
import { OAuthTokenError, OAuthTokens } from './oauth';
import { runValidators } from './validators';

export function webhookProvider(http: HttpClient): DestinationProvider<WebhookConfig> {
  const tokens = new OAuthTokens(http);

  /** Headers carrying the credential, and the OAuth token used (to drop it on a 401). */
  async function credentials(auth: WebhookAuth, ctx: SendContext): Promise<{ headers: Record<string, string>; oauthToken?: string }> {
    switch (auth.type) {
      case 'none':
        return { headers: {} };
      case 'bearer':
        return { headers: { authorization: `Bearer ${auth.token}` } };
      case 'api_key':
        return { headers: { [auth.header]: auth.value } };
      case 'basic':
        return { headers: { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } };
      case 'headers':
        return { headers: auth.headers };
      case 'oauth2_client_credentials': {
        const token = await tokens.token(auth, ctx.policy, ctx.timeoutMs);
        return { headers: { authorization: `Bearer ${token}` }, oauthToken: token };
      }
    }
  }

  return {
    type: 'webhook',
    configSchema: webhookConfigSchema,

    check(config, policy) {
      const problems: { path: string[]; message: string }[] = [];
      const url = urlProblem(config.url, policy);
      if (url) problems.push({ path: ['url'], message: `URL ${url}` });
      if (config.auth.type === 'oauth2_client_credentials') {
        const token = urlProblem(config.auth.token_url, policy);
        if (token) problems.push({ path: ['auth', 'token_url'], message: `URL ${token}` });
      }
      return problems;
    },

    complete(config) {
      return config.signing_secret ? config : { ...config, signing_secret: generateSigningSecret() };
    },

    mask(config) {
      return {
        ...config,
        auth: maskAuth(config.auth),
        ...(config.signing_secret && { signing_secret: maskSecret(config.signing_secret) }),
        ...(config.previous_signing_secret && {
          previous_signing_secret: { ...config.previous_signing_secret, secret: maskSecret(config.previous_signing_secret.secret) },
        }),
      };
    },

    describe(config) {
      return `${config.method} ${config.url}`;
    },

    async send(event: OutboundEvent, config: WebhookConfig, ctx: SendContext): Promise<DeliveryOutcome> {
      const body = JSON.stringify(config.body_template === undefined ? event : renderTemplate(config.body_template, event));
      return exchange(http, ctx, async (ex) => {
        ex.check(config.url); // before any credential is fetched for it
        const post = async () => {
          const auth = await credentials(config.auth, ctx);
          const headers = { ...config.headers, ...auth.headers, ...signedHeaders(event, body, config, ctx) };
          const response = await ex.send({ url: config.url, method: config.method, headers, body }, { headers: maskHeaders(headers, config.auth) });
          return { response, oauthToken: auth.oauthToken };
        };
        try {
          let { response, oauthToken } = await post();
          if (response.status === 401 && oauthToken && config.auth.type === 'oauth2_client_credentials') {
            // The token may have been revoked before its expiry: fetch a fresh one and try once more.
            tokens.invalidate(config.auth, oauthToken);
            ({ response } = await post());
          }
          return judge(ex.classify(response), response, config);
        } catch (err) {
          if (err instanceof OAuthTokenError) return { ok: false, duration_ms: ex.elapsed(), error: err.message };
          throw err;
        }
      });
    },
  };
}

/** A 2xx that fails a response validator is a failed attempt; every validator's result is kept. */
function judge(outcome: DeliveryOutcome, response: HttpResponse, config: WebhookConfig): DeliveryOutcome {
  if (!outcome.ok || config.response_validators.length === 0) return outcome;
  const validators = runValidators(config.response_validators, response.body);
  const failed = validators.filter((v) => !v.passed);
  if (failed.length === 0) return { ...outcome, validators };
  const first = failed[0]!;
  return {
    ...outcome,
    ok: false,
    validators,
    error: `response validator ${first.path} failed: expected one of ${JSON.stringify(first.expected)}, got ${first.error ?? JSON.stringify(first.actual)}`,
  };
}

function signedHeaders(event: OutboundEvent, body: string, config: WebhookConfig, ctx: SendContext): Record<string, string> {
  if (!config.signing_secret) throw new Error('webhook destination has no signing secret');
  const now = new Date();
  const previous =
    config.previous_signing_secret && Date.parse(config.previous_signing_secret.expires_at) > now.getTime()
      ? config.previous_signing_secret.secret
      : undefined;
  // Standard Webhooks allows several signatures in one header: during a rotation both verify.
  const signatures = [config.signing_secret, ...(previous ? [previous] : [])].map((secret) =>
    standardWebhookSignature(secret, ctx.deliveryId, now, body),
  );
  return {
    'content-type': 'application/json',
    'user-agent': `Herald/${VERSION}`,
    'x-herald-event': event.event_type,
    'x-herald-delivery': ctx.deliveryId,
    'x-herald-signature': heraldSignature(config.signing_secret, body),
    ...(previous && { 'x-herald-signature-previous': heraldSignature(previous, body) }),
    'webhook-id': ctx.deliveryId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}

function maskAuth(auth: WebhookAuth): WebhookAuth {
  switch (auth.type) {
    case 'none':
      return auth;
    case 'bearer':
      return { ...auth, token: maskSecret(auth.token) };
    case 'api_key':
      return { ...auth, value: maskSecret(auth.value) };
    case 'basic':
      return { ...auth, password: maskSecret(auth.password) };
    case 'headers':
      return { ...auth, headers: Object.fromEntries(Object.entries(auth.headers).map(([k, v]) => [k, maskSecret(v)])) };
    case 'oauth2_client_credentials':
      return { ...auth, client_secret: maskSecret(auth.client_secret) };
  }
}

/** The request headers as shown to a user: every credential masked. */
function maskHeaders(headers: Record<string, string>, auth: WebhookAuth): Record<string, string> {
  const secret = new Set(['authorization']);
  if (auth.type === 'api_key') secret.add(auth.header.toLowerCase());
  if (auth.type === 'headers') for (const name of Object.keys(auth.headers)) secret.add(name.toLowerCase());
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, secret.has(k.toLowerCase()) ? maskSecret(v) : v]));
}
