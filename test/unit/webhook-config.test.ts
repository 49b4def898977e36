// The configuration of a webhook destination: header names and values checked at
// configuration time, Herald's own and hop-by-hop headers reserved, and signing secrets that the
// `standardwebhooks` package can use.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { fieldProblems } from '../../src/api/errors';
import { signingSecretSchema, webhookConfigSchema } from '../../src/destinations/webhook/config';
import { generateSigningSecret } from '../../src/domain/signing';

const url = 'https://hooks.example.com/alerts';

/** The issues of parsing this config, as "path: message" (nested record-key issues included). */
function problems(config: Record<string, unknown>): string[] {
  const parsed = webhookConfigSchema.safeParse({ url, ...config });
  if (parsed.success) return [];
  return parsed.error.issues.flatMap((issue) => {
    const nested = 'issues' in issue && Array.isArray(issue.issues) ? (issue.issues as { message: string }[]).map((i) => i.message) : [];
    return [`${issue.path.join('.')}: ${issue.message}`, ...nested.map((m) => `${issue.path.join('.')}: ${m}`)];
  });
}

const secretOf = (bytes: number) => `whsec_${randomBytes(bytes).toString('base64')}`;

describe('webhookConfigSchema', () => {
  test('a URL alone is a complete configuration', () => {
    expect(webhookConfigSchema.parse({ url })).toEqual({ url, method: 'POST', headers: {}, auth: { type: 'none' }, response_validators: [] });
  });

  test('unknown fields are refused rather than ignored', () => {
    expect(problems({ secret: 'x' })).toEqual([expect.stringMatching(/^: Unrecognized key/)]);
  });

  test('custom headers with ordinary names and values are kept as written', () => {
    const headers = { 'X-Team': 'data', 'X-Api-Version': '2024-01-01', Accept: 'application/json', 'X-Empty': '', 'X-Tab': 'a\tb' };
    expect(webhookConfigSchema.parse({ url, headers }).headers).toEqual(headers);
  });

  test.each(['X Team', 'X-Team:', 'X-Tëam', '(X)', 'X/Team', 'X-Team\n', ''])('header name %j is not a valid HTTP header name', (name) => {
    expect(problems({ headers: { [name]: 'v' } })).toContain(`headers.${name}: is not a valid HTTP header name`);
  });

  test('header names are at most 100 characters', () => {
    expect(problems({ headers: { ['X'.repeat(100)]: 'v' } })).toEqual([]);
    expect(problems({ headers: { ['X'.repeat(101)]: 'v' } })).toContain(`headers.${'X'.repeat(101)}: is not a valid HTTP header name`);
  });

  test.each([
    'Content-Type',
    'content-length',
    'Host',
    'User-Agent',
    'Authorization', // a credential belongs in auth, where it is masked
    'X-Herald-Event',
    'X-Herald-Delivery',
    'X-HERALD-SIGNATURE',
    'x-herald-signature-previous',
    'Webhook-Id',
    'webhook-timestamp',
    'Webhook-Signature',
    'Connection',
    'Keep-Alive',
    'Transfer-Encoding',
    'TE',
    'Trailer',
    'Upgrade',
    'Proxy-Authorization',
  ])('reserved header %s cannot be configured, in any case', (name) => {
    expect(problems({ headers: { [name]: 'v' } })).toContain(`headers.${name}: is set by Herald or hop-by-hop and cannot be configured`);
  });

  test.each([
    ['CR', 'a\rb'],
    ['LF', 'a\nb'],
    ['CRLF injection', 'x\r\nX-Injected: 1'],
    ['NUL', 'a\0b'],
    ['trailing LF', 'value\n'],
  ])('a header value with %s is refused', (_label, value) => {
    expect(problems({ headers: { 'X-Team': value } })).toEqual(['headers.X-Team: must not contain CR, LF or NUL characters']);
  });

  test('header values are at most 4096 characters', () => {
    expect(problems({ headers: { 'X-Long': 'v'.repeat(4096) } })).toEqual([]);
    expect(problems({ headers: { 'X-Long': 'v'.repeat(4097) } })).toEqual([expect.stringMatching(/^headers\.X-Long: /)]);
  });

  // undici refuses any header value outside [\t\x20-\x7e\x80-\xff] at send time (UND_ERR_INVALID_ARG),
  // and that failure is classified as retryable: such a value must be refused when it is configured.
  test.each([
    ['a control character', 'a\x01b'],
    ['DEL', 'a\x7fb'],
    ['ESC', '\x1b[31m'],
    ['a character outside Latin-1', 'price in €'],
  ])('a header value undici cannot send (%s) is refused at configuration time', (_label, value) => {
    expect(problems({ headers: { 'X-Team': value } })).not.toEqual([]);
  });

  test('credentials in auth are checked like headers', () => {
    expect(problems({ auth: { type: 'bearer', token: 'abc\r\nX-Injected: 1' } })).toEqual(['auth.token: must not contain CR, LF or NUL characters']);
    expect(problems({ auth: { type: 'api_key', header: 'Host', value: 'k' } })).toEqual([
      'auth.header: is set by Herald or hop-by-hop and cannot be configured',
    ]);
    expect(problems({ auth: { type: 'api_key', header: 'X-Api-Key', value: 'k\n' } })).toEqual(['auth.value: must not contain CR, LF or NUL characters']);
    expect(problems({ auth: { type: 'headers', headers: { 'Content-Type': 'text/plain' } } })).toContain(
      'auth.headers.Content-Type: is set by Herald or hop-by-hop and cannot be configured',
    );
    expect(problems({ auth: { type: 'api_key', header: 'X-Api-Key', value: 'k' } })).toEqual([]);
  });

  test('a reserved header name reaches the API error with its reason, not only "Invalid key in record"', () => {
    const parsed = webhookConfigSchema.safeParse({ url, headers: { 'Content-Type': 'text/plain' } });
    expect(parsed.success).toBe(false);
    const reported = fieldProblems(parsed.error!, ['config']);
    expect(reported).toEqual([{ path: 'config.headers.Content-Type', message: expect.stringMatching(/set by Herald/) }]);
  });
});

describe('signing secrets', () => {
  test('a generated secret is valid and usable by standardwebhooks', () => {
    const secret = generateSigningSecret();
    expect(signingSecretSchema.parse(secret)).toBe(secret);
    expect(() => new Webhook(secret)).not.toThrow();
  });

  test.each([24, 32, 48, 64])('whsec_ + base64 of %d bytes is accepted', (bytes) => {
    const secret = secretOf(bytes);
    expect(signingSecretSchema.safeParse(secret).success).toBe(true);
    expect(webhookConfigSchema.parse({ url, signing_secret: secret }).signing_secret).toBe(secret);
  });

  test.each([23, 16, 65, 128])('%d bytes is refused as too weak or too long', (bytes) => {
    const parsed = signingSecretSchema.safeParse(secretOf(bytes));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.message)).toEqual(['must be "whsec_" followed by the base64 of 24 to 64 random bytes']);
  });

  test.each([
    ['no prefix', randomBytes(32).toString('base64')],
    ['another prefix', `whsk_${randomBytes(32).toString('base64')}`],
    ['nothing after the prefix', 'whsec_'],
    ['base64url characters', `whsec_${randomBytes(32).toString('base64url')}-_`],
    ['spaces', `whsec_${randomBytes(16).toString('base64')} ${randomBytes(16).toString('base64')}`],
    ['too much padding', `whsec_${randomBytes(32).toString('base64')}==`],
  ])('a secret with %s is refused', (_label, secret) => {
    const parsed = signingSecretSchema.safeParse(secret);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toBe('must be "whsec_" followed by the base64 of 24 to 64 random bytes');
  });

  test('the previous secret of a rotation is checked the same way and needs an expiry', () => {
    const good = { secret: generateSigningSecret(), expires_at: '2026-01-02T00:00:00Z' };
    expect(problems({ previous_signing_secret: good })).toEqual([]);
    expect(problems({ previous_signing_secret: { ...good, secret: 'whsec_short' } })).toEqual([
      'previous_signing_secret.secret: must be "whsec_" followed by the base64 of 24 to 64 random bytes',
    ]);
    expect(problems({ previous_signing_secret: { secret: good.secret } })).toEqual([expect.stringMatching(/^previous_signing_secret\.expires_at: /)]);
  });
});
