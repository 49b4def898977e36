// Email (README "Email") through the API on a real dev server into a real SMTP server on loopback
// (Mailpit, test/support/mailpit.ts), read back through Mailpit's API: one alert's trigger, update
// and resolve thread together by Message-ID/In-Reply-To/References; STARTTLS with a login and a
// private CA, and TLS from the first byte; a 4xx reply retried, a 5xx and a refused login final;
// a delivery whose send succeeded is never sent again.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Alert } from '../../src/domain/alert';
import { buildOutboundEvent } from '../../src/domain/events';
import { HttpClient } from '../../src/destinations/http-client';
import { emailProvider } from '../../src/destinations/email';
import { migrateToLatest, openSqlite, type Db } from '../../src/store/db';
import { SentMessageStore } from '../../src/store/sent-messages';
import { eventually } from '../support/eventually';
import { Mailpit } from '../support/mailpit';
import { startHerald, type TestHerald } from '../support/herald';

let herald: TestHerald;
const servers: Mailpit[] = [];
const mailpit = async (opts: Parameters<typeof Mailpit.start>[0]) => {
  const server = await Mailpit.start(opts);
  servers.push(server);
  return server;
};

beforeAll(async () => {
  herald = await startHerald();
});
afterAll(async () => {
  await herald.stop();
  await Promise.all(servers.map((s) => s.stop()));
});

type Lane = { state: string; events: { event_type: string; attempts: { error?: string }[] }[] };
const lane = async (alertId: string): Promise<Lane> => (await herald.call('GET', `/v1/alerts/${alertId}`)).body.destinations[0];

test('trigger, update and resolve arrive as one thread over STARTTLS with a login; the password never shown', async () => {
  const server = await mailpit({ tls: 'starttls', logins: { herald: 's3cret-smtp-password' } });
  const created = await herald.call('POST', '/v1/destinations', {
    name: 'oncall-mail',
    type: 'email',
    config: {
      host: '127.0.0.1', port: server.smtpPort, security: 'starttls', username: 'herald', password: 's3cret-smtp-password',
      from: 'alerts@herald.example', from_name: 'Herald alerts', to: ['oncall@example.com'], cc: ['data-team@example.com'],
      ca_certificate: server.certificate,
    },
    retry_schedule: [0, 1, 1],
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;

  const alert = { id: 'mail_1', title: 'Orders lost a column', description: 'The column discount was dropped.', severity: 'critical', event: { type: 'schema_change', asset: { qualified_name: 'prod.public.orders' } }, links: { alert_url: 'https://example.com/a/1' }, destinations: [id] };
  expect((await herald.call('POST', '/v1/alerts', alert)).status).toBe(202);
  await eventually(async () => expect(await server.messages()).toHaveLength(1), 30_000);
  expect((await herald.call('POST', '/v1/alerts/mail_1/events', { severity: 'warning', description: 'Only the staging copy is affected.' })).status).toBe(202);
  await eventually(async () => expect(await server.messages()).toHaveLength(2), 30_000);
  expect((await herald.call('POST', '/v1/alerts/mail_1/resolve', { by: 'jane', reason: 'column restored' })).status).toBe(202);
  await eventually(async () => expect(await server.messages()).toHaveLength(3), 30_000);

  const [trigger, update, resolve] = await server.messages();
  expect(trigger).toMatchObject({ Subject: '[Herald] Orders lost a column', From: { Name: 'Herald alerts', Address: 'alerts@herald.example' }, To: [{ Address: 'oncall@example.com' }], Cc: [{ Address: 'data-team@example.com' }] });
  expect(trigger!.Text).toMatch(/^Alert \(critical\): Orders lost a column/);
  expect(trigger!.Text).toContain('prod.public.orders');
  expect(trigger!.Text).toContain('https://example.com/a/1');
  expect(trigger!.HTML).toContain('Orders lost a column');
  expect(trigger!.HTML).toContain('href="https://example.com/a/1"');
  expect(update!.Subject).toBe('Re: [Herald] Orders lost a column');
  expect(update!.Text).toContain('Only the staging copy is affected.');
  expect(update!.Text).toContain('(warning)');
  expect(resolve!.Subject).toBe('Re: [Herald] Orders lost a column');
  expect(resolve!.Text).toMatch(/^Resolved \(warning\): Orders lost a column, by jane/);
  expect(resolve!.Text).toContain('column restored');

  // Threading as a mail client sees it: every later message names the trigger.
  const root = trigger!.MessageID;
  expect(root).toMatch(/^alert\.[0-9a-f]{32}@herald\.example$/);
  for (const reply of [update!, resolve!]) {
    expect(reply.MessageID).not.toBe(root);
    const headers = await server.headers(reply.ID);
    expect(headers['In-Reply-To']).toEqual([`<${root}>`]);
    expect(headers['References']).toEqual([`<${root}>`]);
  }
  expect((await server.headers(trigger!.ID))['In-Reply-To']).toBeUndefined();
  expect((await server.headers(resolve!.ID))['X-Herald-Event']).toEqual(['alert.resolved']);

  const state = (await herald.call('GET', '/v1/alerts/mail_1')).body;
  expect(state.destinations[0].events.map((e: { event_type: string }) => e.event_type)).toEqual(['alert.triggered', 'alert.updated', 'alert.resolved']);
  expect(JSON.stringify(state)).not.toContain('s3cret-smtp-password');
  expect(JSON.stringify((await herald.call('GET', `/v1/destinations/${id}`)).body)).not.toContain('s3cret-smtp-password');
});

test('TLS from the first byte (port 465 style); Send test shows the SMTP request with the password masked', async () => {
  const server = await mailpit({ tls: 'tls' });
  const config = { host: '127.0.0.1', port: server.smtpPort, security: 'tls', username: 'any', password: 'another-secret-value', from: 'alerts@herald.example', to: ['oncall@example.com'], ca_certificate: server.certificate };
  // Mailpit without logins refuses AUTH; this server takes mail without a login.
  const { username: _u, password: _p, ...noLogin } = config;
  const tested = await herald.call('POST', '/v1/destinations/test', { name: 'mail-test', type: 'email', config: noLogin });
  expect(tested.body).toMatchObject({ success: true, request: { method: 'SMTP', url: `smtp://127.0.0.1:${server.smtpPort} (tls)` } });
  const [test] = await server.messages();
  expect(test!.Subject).toMatch(/^\[Herald\] /);

  const created = await herald.call('POST', '/v1/destinations', { name: 'mail-tls', type: 'email', config });
  expect(created.status).toBe(201);
  expect((await herald.call('GET', `/v1/destinations/${created.body.id}`)).body.config.password).toBe('****alue');
});

test('the server not trusted (no CA given) fails the attempt with the certificate named', async () => {
  const server = await mailpit({ tls: 'starttls' });
  const created = await herald.call('POST', '/v1/destinations', { name: 'mail-untrusted', type: 'email', config: { host: '127.0.0.1', port: server.smtpPort, from: 'alerts@herald.example', to: ['oncall@example.com'] }, retry_schedule: [0] });
  expect((await herald.call('POST', '/v1/alerts', { id: 'mail_untrusted', title: 'Untrusted', destinations: [created.body.id] })).status).toBe(202);
  await eventually(async () => expect((await lane('mail_untrusted')).state).toBe('failed'), 30_000);
  expect((await lane('mail_untrusted')).events[0]!.attempts[0]!.error).toMatch(/certificate/i);
  expect(await server.messages()).toHaveLength(0);
});

test('a 451 on the recipient is retried and then delivered once; a 550 and a refused login are final', async () => {
  const server = await mailpit({ chaos: true, logins: { herald: 'right-password' } });
  const base = { host: '127.0.0.1', port: server.smtpPort, security: 'none', username: 'herald', password: 'right-password', from: 'alerts@herald.example', to: ['oncall@example.com'] };
  const retried = await herald.call('POST', '/v1/destinations', { name: 'mail-451', type: 'email', config: base, retry_schedule: [0, 2, 2, 2] });
  await server.setFailure('Recipient', 451);
  expect((await herald.call('POST', '/v1/alerts', { id: 'mail_451', title: 'Deferred', destinations: [retried.body.id] })).status).toBe(202);
  await eventually(async () => expect((await lane('mail_451')).events[0]!.attempts.length).toBeGreaterThanOrEqual(1), 30_000);
  expect((await lane('mail_451')).events[0]!.attempts[0]!.error).toBe('the mail server asked to try later (451 Chaos recipient error)');
  await server.setFailure('Recipient', 0, 0);
  await eventually(async () => expect((await lane('mail_451')).state).toBe('delivered'), 30_000);
  const attempts = (await lane('mail_451')).events[0]!.attempts;
  expect(attempts.at(-1)!.error).toBeUndefined();
  expect(attempts.slice(0, -1).every((a) => a.error?.includes('451'))).toBe(true);
  expect((await server.messages()).map((m) => m.Subject)).toEqual(['[Herald] Deferred']);

  await server.setFailure('Recipient', 550);
  expect((await herald.call('POST', '/v1/alerts', { id: 'mail_550', title: 'Refused', destinations: [retried.body.id] })).status).toBe(202);
  await eventually(async () => expect((await lane('mail_550')).state).toBe('failed'), 30_000);
  expect((await lane('mail_550')).events[0]!.attempts).toHaveLength(1);
  await server.setFailure('Recipient', 0, 0);

  const wrong = await herald.call('POST', '/v1/destinations', { name: 'mail-wrong-login', type: 'email', config: { ...base, password: 'wrong-password' }, retry_schedule: [0, 1, 1] });
  expect((await herald.call('POST', '/v1/alerts', { id: 'mail_login', title: 'Login', destinations: [wrong.body.id] })).status).toBe(202);
  await eventually(async () => expect((await lane('mail_login')).state).toBe('failed'), 30_000);
  const [refused] = (await lane('mail_login')).events[0]!.attempts;
  expect((await lane('mail_login')).events[0]!.attempts).toHaveLength(1);
  expect(refused!.error).toMatch(/^the mail server refused the login \(535 .*\): check the username and password$/);
  expect(JSON.stringify(await lane('mail_login'))).not.toContain('wrong-password');
  expect(await server.messages()).toHaveLength(1);
});

describe('a delivery sent once is not sent again', () => {
  let db: Db;
  beforeAll(async () => {
    db = openSqlite(mkdtempSync(path.join(process.env.HERALD_TEST_SCRATCH ?? os.tmpdir(), 'store-')));
    await migrateToLatest(db);
  });
  afterAll(() => db.destroy());

  test('the same delivery id run twice sends one message; a new delivery id sends', async () => {
    const server = await mailpit({});
    const provider = emailProvider(new HttpClient(), new SentMessageStore(db));
    const config = provider.configSchema.parse({ host: '127.0.0.1', port: server.smtpPort, security: 'none', from: 'alerts@herald.example', to: ['oncall@example.com'] });
    const event = buildOutboundEvent(
      { id: 'once_1', title: 'Once', severity: 'error', labels: {}, event: { type: 'freshness' }, links: {}, created_at: '2026-12-03T10:00:00.000Z' } as unknown as Alert,
      'alert.triggered',
      new Date(),
    );
    const ctx = { workflowId: 'alert-once_1', destinationId: 'dst_once', deliveryId: 'dlv_once_1', attempt: 1, timeoutMs: 10_000, policy: { allowPrivate: true, allowInsecure: true } };
    expect(await provider.send(event, config, ctx)).toMatchObject({ ok: true });
    expect(await provider.send(event, config, { ...ctx, attempt: 2 })).toMatchObject({ ok: true, note: 'already sent; not sent again' });
    expect(await server.messages()).toHaveLength(1);
    expect(await provider.send(event, config, { ...ctx, deliveryId: 'dlv_once_2' })).toMatchObject({ ok: true });
    expect(await server.messages()).toHaveLength(2);
  });
});
