// Webhook destination options through the HTTP API on a real dev server: every auth type checked by
// a real receiver on loopback, OAuth against a local token server, templates, response validators,
// secret rotation and the test endpoint's invocation data.
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { freeLoopbackPort } from '../../src/free-port';
import { eventually } from '../support/eventually';
import { Receiver, type Received } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';
import { TokenServer } from '../support/token-server';

let herald: TestHerald;
let receiver: Receiver;
let tokens: TokenServer;
let seq = 0;

beforeAll(async () => {
  herald = await startHerald();
  tokens = await TokenServer.start({ clientId: 'herald-client', clientSecret: 'oauth-secret-value-123', lifetimeS: 3600 });
});
afterAll(async () => {
  await herald.stop();
  await tokens.close();
});
beforeEach(async () => {
  receiver = await Receiver.start();
});
afterEach(async () => {
  await receiver.close();
});

async function create(config: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const res = await herald.call('POST', '/v1/destinations', {
    name: `hook-${++seq}`,
    type: 'webhook',
    config: { url: receiver.url(), ...config },
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; config: { signing_secret: string } };
}

const test = (id: string) => herald.call('POST', `/v1/destinations/${id}/test`);

/** A receiver that accepts only the expected credential header, as a real server would. */
function requireHeader(name: string, value: string) {
  receiver.respond((req) =>
    req.headers[name] === value ? { status: 200, body: '{"ok":true}' } : { status: 401, body: '{"error":"unauthorized"}' },
  );
}

describe('auth', () => {
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
  const cases: [string, Record<string, unknown>, Record<string, unknown>, string, string][] = [
    ['bearer', { type: 'bearer', token: 'tok-abcdefgh-1234' }, { type: 'bearer', token: 'tok-wrong-000000' }, 'authorization', 'Bearer tok-abcdefgh-1234'],
    ['api_key', { type: 'api_key', header: 'x-api-key', value: 'key-abcdefgh-5678' }, { type: 'api_key', header: 'x-api-key', value: 'nope-nope-nope' }, 'x-api-key', 'key-abcdefgh-5678'],
    ['basic', { type: 'basic', username: 'herald', password: 'pa55word-xyz' }, { type: 'basic', username: 'herald', password: 'wrong' }, 'authorization', basic('herald', 'pa55word-xyz')],
    ['headers', { type: 'headers', headers: { 'X-Custom-Token': 'custom-abcdefgh-9' } }, { type: 'headers', headers: { 'X-Custom-Token': 'bad' } }, 'x-custom-token', 'custom-abcdefgh-9'],
  ];

  it.each(cases)('%s: the receiver accepts the right credential and refuses a wrong one', async (_name, good, bad, header, expected) => {
    requireHeader(header, expected);
    const ok = await create({ auth: good });
    const okResult = await test(ok.id);
    expect(okResult.status).toBe(200);
    expect(okResult.body).toMatchObject({ success: true, status_code: 200 });
    // Invocation data shows the request with the credential masked.
    const sent = Object.entries(okResult.body.request.headers as Record<string, string>).find(([k]) => k.toLowerCase() === header);
    expect(sent?.[1]).toMatch(/\*\*\*\*/);
    expect(JSON.stringify(okResult.body)).not.toContain(expected.replace(/^(Bearer|Basic) /, ''));
    // The destination itself is shown masked.
    const shown = await herald.call('GET', `/v1/destinations/${ok.id}`);
    expect(JSON.stringify(shown.body)).not.toContain(expected.replace(/^(Bearer|Basic) /, ''));

    const wrong = await create({ auth: bad });
    const wrongResult = await test(wrong.id);
    expect(wrongResult.body).toMatchObject({ success: false, status_code: 401 });
    expect(wrongResult.body.error).toMatch(/401.*credentials/);
  });

  it('oauth2 client credentials: one token for concurrent deliveries, refreshed once on a 401', async () => {
    receiver.respond((req) => (tokens.isValid(String(req.headers.authorization ?? '').replace(/^Bearer /, '')) ? { status: 200 } : { status: 401 }));
    const destination = await create({
      auth: { type: 'oauth2_client_credentials', token_url: tokens.url(), client_id: 'herald-client', client_secret: 'oauth-secret-value-123', scopes: ['alerts:write'] },
    });
    const before = tokens.issued.length;
    const results = await Promise.all(Array.from({ length: 5 }, () => test(destination.id)));
    expect(results.map((r) => r.body.success)).toEqual([true, true, true, true, true]);
    expect(tokens.issued.length - before).toBe(1);
    expect(tokens.requests.at(-1)).toMatchObject({ grant_type: 'client_credentials', scope: 'alerts:write' });

    tokens.revokeAll(); // e.g. the provider rotated its keys before the token's expiry
    const afterRevoke = await test(destination.id);
    expect(afterRevoke.body).toMatchObject({ success: true, status_code: 200 });
    expect(tokens.issued.length - before).toBe(2);
    // The revoked token was refused once, then the same test delivered with the fresh one.
    const [refusedOnce, retried] = receiver.requests.slice(-2).map((r) => String(r.headers.authorization).replace(/^Bearer /, ''));
    expect(refusedOnce).toBe(tokens.issued.at(-2));
    expect(retried).toBe(tokens.issued.at(-1));
    expect(receiver.requests).toHaveLength(7);

    const badSecret = await create({
      auth: { type: 'oauth2_client_credentials', token_url: tokens.url(), client_id: 'herald-client', client_secret: 'wrong-secret-000' },
    });
    const refused = await test(badSecret.id);
    expect(refused.body.success).toBe(false);
    expect(refused.body.error).toMatch(/OAuth token request .* failed: HTTP 401 \(invalid_client/);
  });

  it('keeps a masked secret sent back by PATCH, and replaces a new one', async () => {
    requireHeader('authorization', 'Bearer tok-keep-me-123456');
    const destination = await create({ auth: { type: 'bearer', token: 'tok-keep-me-123456' } });
    const shown = await herald.call('GET', `/v1/destinations/${destination.id}`);
    const patched = await herald.call('PATCH', `/v1/destinations/${destination.id}`, {
      config: { ...shown.body.config, headers: { 'X-Team': 'data' } },
    });
    expect(patched.status).toBe(200);
    expect((await test(destination.id)).body.success).toBe(true);
    const secret = await herald.call('GET', `/v1/destinations/${destination.id}/secret`);
    expect(secret.body.signing_secret).toBe(destination.config.signing_secret);

    await herald.call('PATCH', `/v1/destinations/${destination.id}`, { config: { auth: { type: 'bearer', token: 'tok-changed-654321' } } });
    expect((await test(destination.id)).body).toMatchObject({ success: false, status_code: 401 });
  });
});

describe('body templates', () => {
  it('renders placeholders over the outbound event, keeping JSON types and rendering missing paths as null or ""', async () => {
    const destination = await create({
      body_template: {
        text: '{{alert.rule_name}}: {{event.change_type}} on {{event.asset.qualified_name}}',
        raw: '{{event}}',
        labels: '{{alert.labels}}',
        missing: '{{event.details.nothing}}',
        missing_in_text: 'x{{event.nothing}}y',
        constant: 42,
        list: ['{{alert.severity}}', '{{event.details.column_name}}'],
      },
    });
    const trigger = await herald.call('POST', '/v1/alerts', {
      id: 'tmpl_1',
      title: 'Schema drift',
      severity: 'critical',
      labels: { env: 'prod' },
      event: { type: 'schema_change', change_type: 'column_removed', asset: { qualified_name: 'prod.orders' }, details: { column_name: 'status' } },
      destinations: [destination.id],
    });
    expect(trigger.status).toBe(202);
    const [got] = await receiver.waitFor(1);
    expect(JSON.parse(got!.body)).toEqual({
      text: 'Schema drift: column_removed on prod.orders',
      raw: { type: 'schema_change', change_type: 'column_removed', asset: { qualified_name: 'prod.orders' }, details: { column_name: 'status' } },
      labels: { env: 'prod' },
      missing: null,
      missing_in_text: 'xy',
      constant: 42,
      list: ['critical', 'status'],
    });
    // The signature covers the rendered body.
    const expected = `sha256=${createHmac('sha256', destination.config.signing_secret).update(got!.body).digest('hex')}`;
    expect(got!.headers['x-herald-signature']).toBe(expected);
    await herald.call('POST', '/v1/alerts/tmpl_1/resolve', {});
  });

  it('rejects an invalid template when the destination is saved, naming the leaf', async () => {
    const res = await herald.call('POST', '/v1/destinations', {
      name: 'bad-template',
      type: 'webhook',
      config: { url: receiver.url(), body_template: { ok: '{{alert.title}}', nested: { bad: 'hello {{alert title}}', open: 'x {{alert.id' } } },
    });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['config.body_template.nested.bad', 'config.body_template.nested.open']));
    expect(paths).not.toContain('config.body_template.ok');
  });
});

describe('response validators', () => {
  it('records each validator on the attempt and fails an attempt whose response does not pass', async () => {
    receiver.respond((_req, i) => ({ status: 200, body: JSON.stringify({ data: { ok: i >= 1, state: 'queued' } }) }));
    const destination = await create(
      { response_validators: [{ path: '$.data.ok', expected: [true] }, { path: '$.data.state', expected: ['queued', 'done'] }] },
      { retry_schedule: [0, 0.2, 0.2] },
    );
    await herald.call('POST', '/v1/alerts', { id: 'valid_1', title: 'Validated', destinations: [destination.id] });
    await receiver.waitFor(2);
    const state = await eventually(async () => {
      const res = await herald.call('GET', '/v1/alerts/valid_1');
      expect(res.body.destinations[0].state).toBe('delivered');
      return res.body;
    });
    const [first, second] = state.destinations[0].events[0].attempts;
    expect(first.error).toMatch(/\$\.data\.ok failed: expected one of \[true\], got \[false\]/);
    expect(first.validators).toEqual([
      { path: '$.data.ok', expected: [true], actual: [false], passed: false },
      { path: '$.data.state', expected: ['queued', 'done'], actual: ['queued'], passed: true },
    ]);
    expect(second.validators.every((v: { passed: boolean }) => v.passed)).toBe(true);
    await herald.call('POST', '/v1/alerts/valid_1/resolve', {});
  });

  it('rejects a validator path that is not JSONPath, or uses a script', async () => {
    const res = await herald.call('POST', '/v1/destinations', {
      name: 'bad-validator',
      type: 'webhook',
      config: { url: receiver.url(), response_validators: [{ path: 'data.ok', expected: [true] }, { path: '$..[?(@.x)]', expected: [1] }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['config.response_validators.0.path']),
    );
  });
});

describe('signing secret rotation', () => {
  it('signs with both secrets for 24 h after a rotation', async () => {
    const destination = await create({});
    const oldSecret = destination.config.signing_secret;
    const rotated = await herald.call('POST', `/v1/destinations/${destination.id}/secret/rotate`);
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.signing_secret as string;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    expect(Date.parse(rotated.body.previous_secret_expires_at) - Date.now()).toBeGreaterThan(23.9 * 3600 * 1000);
    expect((await herald.call('GET', `/v1/destinations/${destination.id}/secret`)).body.signing_secret).toBe(newSecret);

    await herald.call('POST', '/v1/alerts', { id: 'rotate_1', title: 'Rotated', destinations: [destination.id] });
    const [got] = await receiver.waitFor(1);
    const verify = (secret: string, r: Received) =>
      new Webhook(secret).verify(r.body, {
        'webhook-id': String(r.headers['webhook-id']),
        'webhook-timestamp': String(r.headers['webhook-timestamp']),
        'webhook-signature': String(r.headers['webhook-signature']),
      });
    expect(verify(oldSecret, got!)).toMatchObject({ event_type: 'alert.triggered' }); // a receiver not yet updated
    expect(verify(newSecret, got!)).toMatchObject({ event_type: 'alert.triggered' }); // one already updated
    const hmac = (secret: string) => `sha256=${createHmac('sha256', secret).update(got!.body).digest('hex')}`;
    expect(got!.headers['x-herald-signature']).toBe(hmac(newSecret));
    expect(got!.headers['x-herald-signature-previous']).toBe(hmac(oldSecret));
    await herald.call('POST', '/v1/alerts/rotate_1/resolve', {});
  });

  it('answers 409 no_signing_secret for a destination of a type that signs nothing, 404 for none at all', async () => {
    const slack = await herald.call('POST', '/v1/destinations', { name: 'no-secret-slack', type: 'slack', config: { webhook_url: `${receiver.url()}slack` } });
    expect(slack.status).toBe(201);
    for (const [method, route] of [['GET', 'secret'], ['POST', 'secret/rotate']] as const) {
      const res = await herald.call(method, `/v1/destinations/${slack.body.id}/${route}`);
      expect([res.status, res.body.error.code]).toEqual([409, 'no_signing_secret']);
    }
    expect((await herald.call('GET', '/v1/destinations/dst_missing/secret')).status).toBe(404);
  });

  it('refuses a previous signing secret sent by a client: only a rotation sets it', async () => {
    const res = await herald.call('POST', '/v1/destinations', {
      name: 'sneaky', type: 'webhook',
      config: { url: receiver.url(), previous_signing_secret: { secret: `whsec_${'A'.repeat(32)}`, expires_at: '2030-01-01T00:00:00Z' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'config.previous_signing_secret', message: 'is set by POST /v1/destinations/{id}/secret/rotate' }]);
  });
});

describe('test a destination', () => {
  it('returns the invocation data of a saved destination', async () => {
    receiver.respond(() => ({ status: 202, body: '{"received":true}', headers: { 'x-receiver': 'yes' } }));
    const destination = await create({ method: 'PUT', headers: { 'X-Team': 'data' } });
    const res = await test(destination.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      status_code: 202,
      request: { method: 'PUT', url: receiver.url(), headers: { 'x-herald-event': 'test', 'X-Team': 'data' } },
      response: { status: 202, body: '{"received":true}', truncated: false, headers: { 'x-receiver': 'yes' } },
      validators: [],
    });
    expect(typeof res.body.duration_ms).toBe('number');
    expect(JSON.parse(res.body.request.body)).toMatchObject({ event_type: 'test', alert: { status: 'test', title: 'Herald test event' } });
    const [got] = await receiver.waitFor(1);
    expect(got!.method).toBe('PUT');
  });

  it('tests an unsaved configuration and says what to fix when nothing listens', async () => {
    const port = await freeLoopbackPort();
    const res = await herald.call('POST', '/v1/destinations/test', { name: 'unsaved', type: 'webhook', config: { url: `http://127.0.0.1:${port}/hook` } });
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(false);
    expect(res.body.error).toMatch(/ECONNREFUSED.*is the receiver running/);
    expect(res.body.response).toBeUndefined();
    expect((await herald.call('GET', '/v1/destinations')).body.data.map((d: { name: string }) => d.name)).not.toContain('unsaved');
  });

  it('validates an unsaved configuration like a saved one', async () => {
    const res = await herald.call('POST', '/v1/destinations/test', { name: 'x', type: 'webhook', config: { url: 'ftp://x' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('config.url');
  });
});
