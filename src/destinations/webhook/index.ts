// Webhook destination: one signed HTTP request per attempt.
import type { OutboundEvent } from '../../domain/events';
import { generateSigningSecret, heraldSignature, standardWebhookSignature } from '../../domain/signing';
import { urlProblem } from '../../domain/target-policy';
import { VERSION } from '../../version';
import type { HttpClient } from '../http-client';
import { classifyFailure, classifyResponse } from '../outcome';
import { maskSecret, type DestinationProvider, type SendContext } from '../types';
import { webhookConfigSchema, type WebhookConfig } from './config';

export function webhookProvider(http: HttpClient): DestinationProvider<WebhookConfig> {
  return {
    type: 'webhook',
    configSchema: webhookConfigSchema,

    check(config, policy) {
      const problem = urlProblem(config.url, policy);
      return problem ? [{ path: ['url'], message: `URL ${problem}` }] : [];
    },

    complete(config) {
      return config.signing_secret ? config : { ...config, signing_secret: generateSigningSecret() };
    },

    mask(config) {
      return {
        ...config,
        ...(config.signing_secret && { signing_secret: maskSecret(config.signing_secret) }),
      };
    },

    describe(config) {
      return `${config.method} ${config.url}`;
    },

    async send(event: OutboundEvent, config: WebhookConfig, ctx: SendContext) {
      const body = JSON.stringify(event);
      const started = performance.now();
      try {
        const response = await http.send({
          url: config.url,
          method: config.method,
          headers: { ...config.headers, ...signedHeaders(event, body, config, ctx) },
          body,
          timeoutMs: ctx.timeoutMs,
          policy: ctx.policy,
        });
        return classifyResponse(response, Math.round(performance.now() - started), new Date());
      } catch (err) {
        return classifyFailure(err, Math.round(performance.now() - started), ctx.timeoutMs);
      }
    },
  };
}

function signedHeaders(event: OutboundEvent, body: string, config: WebhookConfig, ctx: SendContext) {
  if (!config.signing_secret) throw new Error('webhook destination has no signing secret');
  const now = new Date();
  return {
    'content-type': 'application/json',
    'user-agent': `Herald/${VERSION}`,
    'x-herald-event': event.event_type,
    'x-herald-delivery': ctx.deliveryId,
    'x-herald-signature': heraldSignature(config.signing_secret, body),
    'webhook-id': ctx.deliveryId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': standardWebhookSignature(config.signing_secret, ctx.deliveryId, now, body),
  };
}
