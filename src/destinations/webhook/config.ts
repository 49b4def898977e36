// The configuration of a webhook destination (README "Webhook destination options").
import { z } from 'zod';
import { templateProblems } from '../../domain/template';
import { jsonPathProblem } from './validators';

// Headers Herald sets itself, and hop-by-hop headers: a user header must not replace the former or
// smuggle the latter.
const RESERVED_HEADERS = new Set([
  'content-type', 'content-length', 'host', 'user-agent',
  'authorization', // a credential: set it with `auth` (bearer, basic or secret headers), where it is masked
  'x-herald-event', 'x-herald-delivery', 'x-herald-signature', 'x-herald-signature-previous',
  'webhook-id', 'webhook-timestamp', 'webhook-signature',
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization',
  'te', 'trailer', 'transfer-encoding', 'upgrade',
]);

/** The reserved names in any letter case, as a lookahead /openapi.json can carry (a refinement does not show). */
const anyCase = (name: string) => name.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`);
const NOT_RESERVED = `(?!(${[...RESERVED_HEADERS].map(anyCase).join('|')})$)`;

const HEADER_NAME_PATTERN = `^${NOT_RESERVED}[!#$%&'*+.^_\`|~0-9A-Za-z-]{1,100}$`;

const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'is not a valid HTTP header name')
  .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), 'is set by Herald or hop-by-hop and cannot be configured')
  .meta({ pattern: HEADER_NAME_PATTERN });

// What an HTTP client can put on the wire (RFC 9110 field-value, Latin-1): no CR/LF (header
// injection), no other control characters, nothing beyond U+00FF; refused when saved, not at send time.
const headerValueOf = (minLength: number) => z
  .string()
  .min(minLength)
  .max(4096)
  .refine((value) => !/[\r\n\0]/.test(value), 'must not contain CR, LF or NUL characters')
  .refine((value) => /^[\t\x20-\x7E\x80-\xFF]*$/.test(value.replace(/[\r\n\0]/g, '')), 'must contain only printable Latin-1 characters (no control characters, no emoji or other Unicode)')
  .meta({ pattern: '^[\\t\\x20-\\x7E\\x80-\\xFF]*$' });
const headerValue = headerValueOf(0);
/** A credential in a header: empty would send nothing. */
const credentialValue = headerValueOf(1);

// The key rule in /openapi.json too: its converter (src/api/openapi) does not read it off a record.
const headers = z.record(headerName, headerValue).meta({ propertyNames: { type: 'string', pattern: HEADER_NAME_PATTERN } });

export const signingSecretSchema = z
  .string()
  // 32 to 86 base64 digits decode to 24 to 64 bytes (padding adds none).
  .regex(/^whsec_[A-Za-z0-9+/]{32,86}={0,2}$/, 'must be "whsec_" followed by the base64 of 24 to 64 random bytes');

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000);

export const authSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({ type: z.literal('bearer'), token: credentialValue }),
  z.strictObject({ type: z.literal('api_key'), header: headerName, value: credentialValue }),
  z.strictObject({
    type: z.literal('basic'),
    username: z.string().min(1).max(500).regex(/^[^:]*$/, 'must not contain ":"'),
    password: z.string().max(500),
  }),
  // Custom key/value headers whose values are secrets (Apono's "Custom" auth); shown masked.
  z.strictObject({ type: z.literal('headers'), headers: headers.refine((h) => Object.keys(h).length > 0, 'needs at least one header').meta({ minProperties: 1 }) }),
  z.strictObject({
    type: z.literal('oauth2_client_credentials'),
    token_url: httpUrl,
    client_id: z.string().min(1).max(500),
    client_secret: z.string().min(1).max(2000),
    scopes: z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'is not a valid OAuth scope')).max(50).default([]),
    audience: z.string().max(500).optional(),
  }),
]);

export type WebhookAuth = z.infer<typeof authSchema>;

/**
 * Any JSON value. Its /openapi.json description names every JSON type at once: the converter there
 * (src/api/openapi) cannot follow z.json()'s recursion, and the list says the same.
 */
const jsonValue = () => z.json().meta({ type: ['string', 'number', 'boolean', 'null', 'array', 'object'] });

const validatorSchema = z.strictObject({
  path: z
    .string()
    .min(1)
    .max(500)
    .superRefine((path, ctx) => {
      const problem = jsonPathProblem(path);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    // What /openapi.json can say of it (the parse is code).
    .meta({ pattern: '^\\$', description: 'a JSONPath (RFC 9535), e.g. $.data.ok' }),
  expected: z.array(jsonValue()).min(1).max(50),
});

export const webhookConfigSchema = z.strictObject({
  url: httpUrl,
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  headers: headers.default({}),
  auth: authSchema.default({ type: 'none' }),
  signing_secret: signingSecretSchema.optional(),
  /** Set by POST /secret/rotate: the secret that still signs too until `expires_at`. */
  previous_signing_secret: z.strictObject({ secret: signingSecretSchema, expires_at: z.iso.datetime() }).optional(),
  body_template: jsonValue()
    .optional()
    .superRefine((template, ctx) => {
      for (const problem of templateProblems(template)) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    }),
  response_validators: z.array(validatorSchema).max(20).default([]),
});

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;
