// The audit log through the API: every change of configuration and every action on an alert leaves
// one entry with the acting key's id (never the key) and the changed fields, secrets masked.
import { keyIdOf } from '../../src/api/auth';
import { callApi, startHerald, testConfig, type TestHerald } from '../support/herald';
import { Receiver } from '../support/receiver';
import { eventually } from '../support/eventually';

const SECOND_KEY = 'audit-second-key-0123456789';
const TOKEN = 'tok_secret_value_0123456789abcdef';
let herald: TestHerald;
let receiver: Receiver;

beforeAll(async () => {
  const config = testConfig();
  herald = await startHerald({ config: { ...config, apiKeys: [...config.apiKeys, SECOND_KEY] } });
  receiver = await Receiver.start();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

const entries = async (query: string) => (await herald.call('GET', `/v1/audit?${query}`)).body.data as Array<Record<string, any>>;

test('destination changes, a secret read and a rotation each leave one entry, with secrets masked', async () => {
  const created = await herald.call('POST', '/v1/destinations', { name: 'audited', type: 'webhook', config: { url: receiver.url(), auth: { type: 'bearer', token: TOKEN } } });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  await callApi(herald.url, SECOND_KEY, 'PATCH', `/v1/destinations/${id}`, { enabled: false, config: { url: receiver.url('/other') } });
  const secret = await herald.call('GET', `/v1/destinations/${id}/secret`);
  await herald.call('POST', `/v1/destinations/${id}/secret/rotate`, {});
  expect((await herald.call('DELETE', `/v1/destinations/${id}`)).status).toBe(204);

  const log = await entries(`target_type=destination&target_id=${id}`);
  expect(log.map((e) => e.action)).toEqual(['destination.deleted', 'destination.secret_rotated', 'destination.secret_read', 'destination.updated', 'destination.created']);
  const [deleted, rotated, read, updated, create] = log;
  expect(create!.key_id).toBe(keyIdOf(herald.apiKey));
  expect(create!.scopes).toEqual(['admin']);
  expect(updated!.key_id).toBe(keyIdOf(SECOND_KEY));
  expect(updated!.changes).toEqual({ enabled: { from: true, to: false }, 'config.url': { from: receiver.url(), to: receiver.url('/other') }, target: expect.any(Object) });
  expect(read!.changes).toBeUndefined();
  expect(rotated!.changes.previous_secret_expires_at.to).toEqual(expect.any(String));
  expect(deleted!.changes.name).toEqual({ from: 'audited' });
  // Neither the keys, nor the token, nor the signing secret (old or new) is anywhere in the log.
  const text = JSON.stringify(log);
  for (const secretValue of [herald.apiKey, SECOND_KEY, TOKEN, secret.body.signing_secret]) expect(text).not.toContain(secretValue);
  expect(create!.changes.config.to.auth.token).not.toContain(TOKEN.slice(0, 8)); // a creation records each field whole, masked
});

test('rule changes and actions on an alert are recorded; an alert action links to the alert', async () => {
  const hook = await herald.call('POST', '/v1/destinations', { name: 'audit-hook', type: 'webhook', config: { url: receiver.url() } });
  const rule = await herald.call('POST', '/v1/rules', { name: 'audit-rule', match: { severities: ['critical'] }, destination_ids: [hook.body.id] });
  expect(rule.status).toBe(201);
  await herald.call('PATCH', `/v1/rules/${rule.body.id}`, { name: 'audit-rule-2' });
  await herald.call('DELETE', `/v1/rules/${rule.body.id}`);
  expect((await entries(`target_type=rule&target_id=${rule.body.id}`)).map((e) => [e.action, e.changes?.name])).toEqual([
    ['rule.deleted', { from: 'audit-rule-2' }],
    ['rule.updated', { from: 'audit-rule', to: 'audit-rule-2' }],
    ['rule.created', { to: 'audit-rule' }],
  ]);

  await herald.call('POST', '/v1/alerts', { id: 'audit_alert_1', title: 'Audited', destinations: [hook.body.id] });
  await receiver.waitFor(1);
  expect((await herald.call('POST', '/v1/alerts/audit_alert_1/resolve', { by: 'oncall@example.com' })).status).toBe(202);
  await eventually(async () => {
    const log = await entries('target_type=alert&target_id=audit_alert_1');
    // The trigger came from a source and is the alert itself; the resolve is an action on it.
    expect(log.map((e) => e.action)).toEqual(['alert.resolved']);
    expect(log[0]!.link).toBe(`${herald.config.publicUrl}/v1/alerts/audit_alert_1`);
  });
});

test('the log pages newest first and filters by key, action and time; bad filters are 400', async () => {
  for (let i = 0; i < 3; i++) await callApi(herald.url, SECOND_KEY, 'POST', '/v1/destinations', { name: `paged-${i}`, type: 'webhook', config: { url: receiver.url() } });
  const first = await herald.call('GET', `/v1/audit?key_id=${keyIdOf(SECOND_KEY)}&action=destination.created&page_size=2`);
  expect(first.body.data.map((e: { changes: { name: { to: string } } }) => e.changes.name.to)).toEqual(['paged-2', 'paged-1']);
  const second = await herald.call('GET', `/v1/audit?key_id=${keyIdOf(SECOND_KEY)}&action=destination.created&page_size=2&page_token=${first.body.next_page_token}`);
  expect(second.body.data.map((e: { changes: { name: { to: string } } }) => e.changes.name.to)).toEqual(['paged-0']);
  expect(second.body.next_page_token).toBeUndefined();
  expect((await herald.call('GET', `/v1/audit?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body.data).toEqual([]);
  const bad = await herald.call('GET', '/v1/audit?target_type=planet&since=yesterday');
  expect(bad.status).toBe(400);
  expect(bad.body.error.message).toContain('target_type');
  expect(bad.body.error.message).toContain('since');
  expect((await callApi(herald.url, 'not-a-key-at-all-000', 'GET', '/v1/audit')).status).toBe(401);
});
