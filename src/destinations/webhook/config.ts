// The configuration of a webhook destination (DESIGN.md §4).
import { z } from 'zod';

// Headers Herald sets itself; a user header must not replace them or smuggle framing headers.
const RESERVED_HEADERS = new Set([
  'content-type', 'content-length', 'transfer-encoding', 'connection', 'host', 'user-agent',
  'x-herald-event', 'x-herald-delivery', 'x-herald-signature',
  'webhook-id', 'webhook-timestamp', 'webhook-signature',
]);

const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'is not a valid HTTP header name')
  .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), 'is set by Herald and cannot be overridden');

const headerValue = z
  .string()
  .max(4096)
  .refine((value) => !/[\r\n\0]/.test(value), 'must not contain CR, LF or NUL characters');

export const signingSecretSchema = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be "whsec_" followed by base64')
  .refine((secret) => {
    const bytes = Buffer.from(secret.slice(6), 'base64').length;
    return bytes >= 24 && bytes <= 64;
  }, 'must encode 24 to 64 random bytes');

export const webhookConfigSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000),
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  headers: z.record(headerName, headerValue).default({}),
  signing_secret: signingSecretSchema.optional(),
});

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;
