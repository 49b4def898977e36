// Tenants through the real API (README "Serving your customers"): the operator manages tenants and
// their keys; each tenant's key reaches its own destinations and rules only, and another tenant's
// ids, paths and the tenant routes answer 404 exactly as missing ones do.
import { randomBytes } from 'node:crypto';
import { callApi, startHerald, testConfig, type ApiResponse, type TestHerald } from '../support/herald';
import { Receiver } from '../support/receiver';

const OPERATOR = `operator-${randomBytes(12).toString('hex')}`;
const OPERATOR_READER = `operator-reader-${randomBytes(12).toString('hex')}`;
let herald: TestHerald;
let hook: Receiver;

beforeAll(async () => {
  herald = await startHerald({ config: testConfig({ HERALD_API_KEYS: `${OPERATOR},${OPERATOR_READER}:read` }), worker: false });
  hook = await Receiver.start();
});
afterAll(async () => {
  await herald?.stop();
  await hook?.close();
});

const as = (key: string) => (method: string, path: string, body?: unknown) => callApi(herald.url, key, method, path, body);
const operator = as(OPERATOR);
const webhook = (name: string) => ({ name, type: 'webhook', config: { url: hook.url() } });
/** What a 404 says, without the id it names: another tenant's id must be answered as a missing one. */
const notFound = (res: ApiResponse, id: string) => ({ status: res.status, code: res.body?.error?.code, message: String(res.body?.error?.message).replace(id, '<id>') });

async function tenantWithKey(id: string, scopes = ['admin']): Promise<string> {
  expect((await operator('POST', '/v1/tenants', { id, name: `Customer ${id}` })).status).toBe(201);
  const key = await operator('POST', `/v1/tenants/${id}/keys`, { scopes });
  expect(key.status).toBe(201);
  return key.body.key;
}

test('the operator creates, lists, changes and deletes tenants; the default one stays', async () => {
  const created = await operator('POST', '/v1/tenants', { id: 'crud', name: 'Crud Ltd', max_destinations: 10 });
  expect(created).toMatchObject({ status: 201, body: { id: 'crud', name: 'Crud Ltd', max_destinations: 10, ingest_per_second: null, retention_days: null } });
  expect((await operator('POST', '/v1/tenants', { id: 'crud', name: 'again' })).body.error).toMatchObject({ code: 'tenant_id_taken', details: { field: 'id' } });
  const made = await operator('POST', '/v1/tenants', { name: 'No id given' });
  expect(made.body.id).toMatch(/^ten_[0-9a-f]{20}$/);
  expect((await operator('POST', '/v1/tenants', { id: 'Not/Valid', name: 'x' })).body.error).toMatchObject({ code: 'invalid_request', details: [expect.objectContaining({ path: 'id' })] });
  expect((await operator('POST', '/v1/tenants', { id: 'ok', name: 'x', shoe_size: 4 })).status).toBe(400);

  expect((await operator('GET', '/v1/tenants')).body.data.map((t: { id: string }) => t.id)).toEqual(['default', 'crud', made.body.id]);
  expect((await operator('PATCH', '/v1/tenants/crud', { retention_days: 30, max_destinations: null })).body).toMatchObject({ name: 'Crud Ltd', retention_days: 30, max_destinations: null });
  expect((await operator('GET', '/v1/tenants/crud')).body).toMatchObject({ retention_days: 30 });
  expect((await operator('GET', '/v1/tenants/nobody')).body.error.code).toBe('tenant_not_found');
  expect((await as(OPERATOR_READER)('GET', '/v1/tenants')).status).toBe(403); // admin scope

  expect((await operator('DELETE', '/v1/tenants/default')).body.error.code).toBe('default_tenant');
  expect((await operator('DELETE', `/v1/tenants/${made.body.id}`)).status).toBe(204);
  expect((await operator('GET', `/v1/tenants/${made.body.id}`)).status).toBe(404);
});

test('tenant keys: shown once, listed masked, revoked; scopes hold inside the tenant', async () => {
  const key = await tenantWithKey('keys-co', ['read']);
  const listed = await operator('GET', '/v1/tenants/keys-co/keys');
  expect(listed.body.data).toEqual([{ id: expect.stringMatching(/^key_[0-9a-f]{12}$/), tenant_id: 'keys-co', scopes: ['read'], prefix: key.slice(0, 12), created_at: expect.any(String) }]);
  expect(JSON.stringify(listed.body)).not.toContain(key);
  expect((await operator('POST', '/v1/tenants/keys-co/keys', { scopes: ['root'] })).body.error.details[0].path).toBe('scopes.0');
  expect((await operator('POST', '/v1/tenants/nobody/keys', { scopes: ['read'] })).status).toBe(404);

  const reader = as(key);
  expect((await reader('GET', '/v1/destinations')).body).toEqual({ data: [] });
  expect((await reader('POST', '/v1/destinations', webhook('read-only'))).body.error).toMatchObject({ code: 'forbidden', details: { required_scope: 'admin' } });

  const keyId = listed.body.data[0].id;
  expect((await operator('DELETE', `/v1/tenants/default/keys/${keyId}`)).status).toBe(404); // not the default tenant's key
  expect((await operator('DELETE', `/v1/tenants/keys-co/keys/${keyId}`)).status).toBe(204);
  expect((await reader('GET', '/v1/destinations')).status).toBe(401);
});

test("a tenant's key never reaches the tenant routes or another tenant; every other route is its own tenant's", async () => {
  const acme = as(await tenantWithKey('reach-acme'));
  await tenantWithKey('reach-globex');
  for (const [method, path] of [['GET', '/v1/tenants'], ['POST', '/v1/tenants'], ['GET', '/v1/tenants/reach-acme'], ['GET', '/v1/tenants/reach-acme/keys'], ['POST', '/v1/tenants/reach-acme/keys']] as const) {
    const res = await acme(method, path, method === 'POST' ? { name: 'x', scopes: ['admin'] } : undefined);
    expect([path, res.status, res.body.error.code]).toEqual([path, 404, 'not_found']);
  }
  // Another tenant's paths answer as a tenant that does not exist.
  const other = await acme('GET', '/v1/tenants/reach-globex/destinations');
  const missing = await acme('GET', '/v1/tenants/reach-nobody/destinations');
  expect(notFound(other, 'reach-globex')).toEqual(notFound(missing, 'reach-nobody'));
  expect(other.body.error.code).toBe('tenant_not_found');
  // Its own tenant's prefixed paths work as the plain ones.
  for (const resource of ['rules', 'silences', 'inhibit-rules', 'groups']) expect((await acme('GET', `/v1/tenants/reach-acme/${resource}`)).body).toEqual({ data: [] });
  // The rest answer the tenant's own (nothing yet), never the default tenant's.
  expect((await operator('POST', '/v1/heartbeats', { name: 'default-beat', interval_s: 3600 })).status).toBe(201);
  for (const path of ['/v1/heartbeats', '/v1/groups', '/v1/silences', '/v1/inhibit-rules']) {
    expect([path, (await acme('GET', path)).body]).toEqual([path, { data: [] }]);
  }
  expect((await acme('GET', '/v1/heartbeats/default-beat')).status).toBe(404);
  expect((await acme('GET', '/v1/no-such-route')).status).toBe(404);
  expect((await acme('GET', '/metrics')).status).toBe(401); // operator keys only
});

test('two tenants with the same names: each sees and changes its own destinations and rules only; the default tenant sees neither', async () => {
  const acmeKey = await tenantWithKey('iso-acme');
  const globexKey = await tenantWithKey('iso-globex');
  const acme = as(acmeKey);
  const globex = as(globexKey);
  const a = await acme('POST', '/v1/destinations', webhook('Slack'));
  const g = await globex('POST', '/v1/destinations', webhook('Slack')); // same name, another tenant
  expect([a.status, g.status]).toEqual([201, 201]);
  expect((await acme('POST', '/v1/destinations', webhook('Slack'))).status).toBe(409);
  const ra = await acme('POST', '/v1/rules', { name: 'everything', destination_ids: [a.body.id] });
  const rg = await globex('POST', '/v1/rules', { name: 'everything', destination_ids: [g.body.id] });
  expect([ra.status, rg.status]).toEqual([201, 201]);

  // Lists show the tenant's own rows only.
  expect((await acme('GET', '/v1/destinations')).body.data.map((d: { id: string }) => d.id)).toEqual([a.body.id]);
  expect((await globex('GET', '/v1/rules')).body.data.map((r: { id: string }) => r.id)).toEqual([rg.body.id]);
  const defaults = await operator('GET', '/v1/destinations');
  expect(defaults.body.data.map((d: { id: string }) => d.id)).not.toEqual(expect.arrayContaining([a.body.id]));
  expect(defaults.body.data.map((d: { id: string }) => d.id)).not.toEqual(expect.arrayContaining([g.body.id]));
  // The operator acts in a tenant through its path.
  expect((await operator('GET', '/v1/tenants/iso-acme/destinations')).body.data.map((d: { id: string }) => d.id)).toEqual([a.body.id]);
  expect((await operator('GET', `/v1/tenants/iso-globex/rules/${rg.body.id}`)).status).toBe(200);
  expect((await operator('GET', `/v1/destinations/${a.body.id}`)).status).toBe(404); // not the default tenant's

  // Every route on the other tenant's ids answers as for an id that does not exist.
  const destinationCalls: Array<[string, string, unknown?]> = [
    ['GET', ''],
    ['PATCH', '', { timeout_s: 5 }],
    ['DELETE', ''],
    ['POST', '/test'],
    ['GET', '/health'],
    ['GET', '/secret'],
    ['POST', '/secret/rotate'],
    ['POST', '/recover', { since: new Date(Date.now() - 60_000).toISOString() }],
  ];
  for (const [method, suffix, body] of destinationCalls) {
    const theirs = await acme(method, `/v1/destinations/${g.body.id}${suffix}`, body);
    const nobody = await acme(method, `/v1/destinations/dst_nope${suffix}`, body);
    expect([method, suffix, notFound(theirs, g.body.id)]).toEqual([method, suffix, notFound(nobody, 'dst_nope')]);
    expect(theirs.status).toBe(404);
  }
  for (const [method, body] of [['GET'], ['PATCH', { enabled: false }], ['DELETE']] as Array<[string, unknown?]>) {
    const theirs = await acme(method, `/v1/rules/${rg.body.id}`, body);
    const nobody = await acme(method, '/v1/rules/rul_nope', body);
    expect([method, notFound(theirs, rg.body.id)]).toEqual([method, notFound(nobody, 'rul_nope')]);
  }
  // A rule names only its own tenant's destinations.
  const crossing = await acme('POST', '/v1/rules', { name: 'crossing', destination_ids: [g.body.id] });
  expect(crossing.body.error).toMatchObject({ code: 'unknown_destination', details: { field: 'destination_ids', unknown: [g.body.id] } });
  expect((await acme('PATCH', `/v1/rules/${ra.body.id}`, { destination_ids: [a.body.id, g.body.id] })).status).toBe(422);

  // Escalation policies: the same name in both, steps and rules naming only their own tenant's.
  const pa = await acme('POST', '/v1/escalation-policies', { name: 'page', steps: [{ after_s: 0, destination_ids: [a.body.id] }] });
  const pg = await globex('POST', '/v1/escalation-policies', { name: 'page', steps: [{ after_s: 0, destination_ids: [g.body.id] }] });
  expect([pa.status, pg.status]).toEqual([201, 201]);
  expect((await acme('POST', '/v1/escalation-policies', { name: 'crossing', steps: [{ after_s: 0, destination_ids: [g.body.id] }] })).body.error).toMatchObject({ code: 'unknown_destination', details: { field: 'steps.0.destination_ids' } });
  expect((await acme('POST', '/v1/rules', { name: 'escalating', escalation_policy_id: pg.body.id })).body.error).toMatchObject({ code: 'unknown_escalation_policy' });
  expect((await acme('GET', '/v1/escalation-policies')).body.data.map((p: { id: string }) => p.id)).toEqual([pa.body.id]);
  for (const [method, body] of [['GET'], ['PATCH', { repeat: 2 }], ['DELETE']] as Array<[string, unknown?]>) {
    const theirs = await acme(method, `/v1/escalation-policies/${pg.body.id}`, body);
    const nobody = await acme(method, '/v1/escalation-policies/esc_nope', body);
    expect([method, notFound(theirs, pg.body.id)]).toEqual([method, notFound(nobody, 'esc_nope')]);
  }
  expect((await acme('DELETE', `/v1/escalation-policies/${pa.body.id}`)).status).toBe(204);

  // Nothing of globex's changed.
  expect((await globex('GET', `/v1/destinations/${g.body.id}`)).body).toMatchObject({ name: 'Slack', timeout_s: 10 });
  expect((await globex('GET', `/v1/rules/${rg.body.id}`)).body).toMatchObject({ enabled: true });
  // Its own: changed, tested and deleted as usual.
  expect((await acme('POST', `/v1/destinations/${a.body.id}/test`)).body.success).toBe(true);
  expect((await acme('DELETE', `/v1/rules/${ra.body.id}`)).status).toBe(204);
  expect((await acme('DELETE', `/v1/destinations/${a.body.id}`)).status).toBe(204);
  expect((await operator('DELETE', '/v1/tenants/iso-acme')).status).toBe(204); // it owns nothing now
  expect((await acme('GET', '/v1/destinations')).status).toBe(401); // its keys went with it

  // Tenant ids are no metric labels: a tenant's routes are counted under their pattern.
  const metrics = await fetch(`${herald.url}/metrics`, { headers: { authorization: `Bearer ${OPERATOR}` } }).then((r) => r.text());
  expect(metrics).toContain('route="/v1/tenants/:tenant/destinations/"');
  expect(metrics).not.toMatch(/iso-acme|iso-globex/);
});

test("a tenant's limits: ingest beyond ingest_per_second answers 429 and starts nothing; destinations beyond max_destinations 422", async () => {
  const key = await tenantWithKey('limited');
  const tenant = as(key);
  expect((await operator('PATCH', '/v1/tenants/limited', { ingest_per_second: 1, max_destinations: 1 })).status).toBe(200);

  expect((await tenant('POST', '/v1/alerts', { id: 'first', title: 'First', severity: 'warning' })).status).toBe(202);
  const refused = await tenant('POST', '/v1/alerts', { id: 'second', title: 'Second', severity: 'warning' });
  expect(refused.status).toBe(429);
  expect(refused.body.error).toMatchObject({ code: 'tenant_rate_limited', details: { limit: 'ingest_per_second', ingest_per_second: 1 } });
  expect(refused.body.error.message).toContain('ingest_per_second');
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect((await tenant('POST', '/v1/alerts/first/resolve', {})).status).toBe(429);
  expect((await tenant('GET', '/v1/alerts/second')).status).toBe(404);
  // Another tenant, and reads, are not counted.
  expect((await tenant('GET', '/v1/alerts/first')).status).not.toBe(429);
  expect((await operator('POST', '/v1/alerts', { id: 'unlimited', title: 'Default tenant', severity: 'info' })).status).toBe(202);

  expect((await tenant('POST', '/v1/destinations', webhook('one'))).status).toBe(201);
  const over = await tenant('POST', '/v1/destinations', webhook('two'));
  expect(over.status).toBe(422);
  expect(over.body.error).toMatchObject({ code: 'tenant_destination_limit', details: { limit: 'max_destinations', max_destinations: 1, existing: 1 } });
  expect((await operator('PATCH', '/v1/tenants/limited', { max_destinations: null, ingest_per_second: null })).status).toBe(200);
  expect((await tenant('POST', '/v1/destinations', webhook('two'))).status).toBe(201);
  expect((await tenant('POST', '/v1/alerts', { id: 'third', title: 'Third', severity: 'warning' })).status).toBe(202);
});

describe('portal links (README "A portal for each customer")', () => {
  const secretOf = (url: string) => url.slice(url.indexOf('#') + 1);

  test('a link is made by the operator only, works as its tenant within the portal routes, and is not listed among keys', async () => {
    const tenantKey = await tenantWithKey('portal-acme');
    const made = await operator('POST', '/v1/tenants/portal-acme/portal-links', {});
    expect(made).toMatchObject({ status: 201, body: { id: expect.stringMatching(/^key_[0-9a-f]{12}$/), read_only: false, expires_at: expect.any(String) } });
    expect(made.body.url).toMatch(new RegExp(`/portal/${made.body.id}#hrk_`));
    const expiresIn = Date.parse(made.body.expires_at) - Date.now();
    expect(expiresIn).toBeGreaterThan(890_000);
    expect(expiresIn).toBeLessThanOrEqual(900_000);
    expect((await operator('POST', '/v1/tenants/portal-acme/portal-links', { expires_in_s: 86_401 })).status).toBe(400);
    expect((await operator('POST', '/v1/tenants/portal-acme/portal-links', { expires_in_s: 60, theme: 'x' })).status).toBe(400);
    expect((await operator('POST', '/v1/tenants/nobody/portal-links', {})).status).toBe(404);
    expect((await as(OPERATOR_READER)('POST', '/v1/tenants/portal-acme/portal-links', {})).status).toBe(403);
    // A tenant's own key (and so a portal link's) cannot make links: 404 as on /v1/tenants.
    expect((await as(tenantKey)('POST', '/v1/tenants/portal-acme/portal-links', {})).status).toBe(404);
    expect((await operator('GET', '/v1/tenants/portal-acme/keys')).body.data).toHaveLength(1);

    const portal = as(secretOf(made.body.url));
    expect((await portal('POST', '/v1/tenants/portal-acme/portal-links', {})).status).toBe(404);
    const created = await portal('POST', '/v1/destinations', webhook('from the portal'));
    expect(created.status).toBe(201);
    expect((await operator('GET', `/v1/tenants/portal-acme/destinations/${created.body.id}`)).status).toBe(200);
    expect((await portal('GET', '/v1/tenants/portal-acme/destinations')).body.data.map((d: { name: string }) => d.name)).toEqual(['from the portal']);
    expect((await portal('GET', '/v1/rules')).status).toBe(200);
    expect((await portal('GET', '/v1/alerts')).status).toBe(200);
    // Nothing the portal does not show: escalation policies, the routes not tenant-scoped, the tenant routes.
    for (const path of ['/v1/escalation-policies', '/v1/tenants/portal-acme/escalation-policies', '/v1/silences', '/v1/overview', '/v1/tenants', '/v1/tenants/portal-acme/keys']) {
      expect([path, (await portal('GET', path)).status]).toEqual([path, 404]);
    }
  });

  test("a link reaches nothing of another tenant's: its ids and paths answer 404", async () => {
    await tenantWithKey('portal-one');
    await tenantWithKey('portal-two');
    const theirs = await operator('POST', '/v1/tenants/portal-two/destinations', webhook('theirs'));
    const link = await operator('POST', '/v1/tenants/portal-one/portal-links', {});
    const portal = as(secretOf(link.body.url));
    expect((await portal('GET', `/v1/destinations/${theirs.body.id}`)).status).toBe(404);
    expect((await portal('DELETE', `/v1/destinations/${theirs.body.id}`)).status).toBe(404);
    expect((await portal('GET', '/v1/tenants/portal-two/destinations')).status).toBe(404);
    expect((await portal('GET', '/v1/destinations')).body.data).toEqual([]);
  });

  test('a read-only link reads and is refused writes (403)', async () => {
    await tenantWithKey('portal-ro');
    expect((await operator('POST', '/v1/tenants/portal-ro/destinations', webhook('kept'))).status).toBe(201);
    const link = await operator('POST', '/v1/tenants/portal-ro/portal-links', { read_only: true, expires_in_s: 60 });
    expect(link.body.read_only).toBe(true);
    const portal = as(secretOf(link.body.url));
    expect((await portal('GET', '/v1/destinations')).body.data.map((d: { name: string }) => d.name)).toEqual(['kept']);
    expect((await portal('POST', '/v1/destinations', webhook('refused'))).body.error).toMatchObject({ code: 'forbidden', details: { required_scope: 'admin' } });
    expect((await portal('POST', '/v1/rules', { name: 'r', match: {}, destination_ids: [] })).status).toBe(403);
  });

  test('an expired or forged link is answered 401 as a bad key', async () => {
    await tenantWithKey('portal-exp');
    const short = await operator('POST', '/v1/tenants/portal-exp/portal-links', { expires_in_s: 1 });
    const secret = secretOf(short.body.url);
    expect((await as(secret)('GET', '/v1/destinations')).status).toBe(200);
    // Forged: the right id with another secret, and a secret no link has.
    const forged = `${secret.slice(0, -4)}${secret.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect((await as(forged)('GET', '/v1/destinations')).status).toBe(401);
    expect((await as(`hrk_${randomBytes(32).toString('base64url')}`)('GET', '/v1/destinations')).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const expired = await as(secret)('GET', '/v1/destinations');
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('unauthorized');
  });
});

describe('portal settings and the portal page (README "A portal for each customer")', () => {
  test('portal_origins and portal_theme are validated strictly, shown with the tenant, and kept apart from its other fields', async () => {
    await tenantWithKey('portal-set');
    expect((await operator('GET', '/v1/tenants/portal-set')).body).toMatchObject({ portal_origins: [], portal_theme: null });
    const theme = { primary_color: '#112233', header_color: '#ffeedd', text_color: '#000000', logo_url: 'https://cdn.example.com/logo.png' };
    const set = await operator('PATCH', '/v1/tenants/portal-set', { portal_origins: ['https://app.example.com', 'http://127.0.0.1:8443'], portal_theme: theme, retention_days: 7 });
    expect(set).toMatchObject({ status: 200, body: { portal_origins: ['https://app.example.com', 'http://127.0.0.1:8443'], portal_theme: theme, retention_days: 7 } });
    expect((await operator('PATCH', '/v1/tenants/portal-set', { name: 'Renamed' })).body).toMatchObject({ name: 'Renamed', portal_theme: theme });
    expect((await operator('GET', '/v1/tenants')).body.data.find((t: { id: string }) => t.id === 'portal-set')).toMatchObject({ portal_origins: ['https://app.example.com', 'http://127.0.0.1:8443'] });
    for (const origin of ['https://app.example.com/path', "https://a.com; script-src 'unsafe-inline'", 'https://a.com *', 'javascript:alert(1)', 'ftp://a.com', 'https://A.com', '*', "'self'", 'https://a.com/']) {
      const res = await operator('PATCH', '/v1/tenants/portal-set', { portal_origins: [origin] });
      expect([origin, res.status]).toEqual([origin, 400]);
    }
    for (const bad of [{ primary_color: 'red' }, { primary_color: '#12345' }, { primary_color: '#123456; background: url(x)' }, { logo_url: 'http://cdn.example.com/l.png' }, { logo_url: 'https://x.com/a") ; }' }, { logo_url: 'https://x.com/a b' }, { logo_url: 'https://x.com/"><script>' }, { font: 'Comic Sans' }]) {
      const res = await operator('PATCH', '/v1/tenants/portal-set', { portal_theme: bad });
      expect([bad, res.status]).toEqual([bad, 400]);
    }
    expect((await operator('PATCH', '/v1/tenants/portal-set', { portal_theme: null, portal_origins: [] })).body).toMatchObject({ portal_origins: [], portal_theme: null });
    const created = await operator('POST', '/v1/tenants', { id: 'portal-made', name: 'Made', portal_origins: ['https://made.example.com'] });
    expect(created.body).toMatchObject({ portal_origins: ['https://made.example.com'], portal_theme: null });
  });

  test('an unknown or expired link is a plain page that nothing may frame', async () => {
    await tenantWithKey('portal-page');
    await operator('PATCH', '/v1/tenants/portal-page', { portal_origins: ['https://app.example.com'] });
    const short = await operator('POST', '/v1/tenants/portal-page/portal-links', { expires_in_s: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    for (const id of [short.body.id, 'key_000000000000', 'nothing']) {
      const res = await fetch(`${herald.url}/portal/${id}`);
      expect(res.status).toBe(410);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(await res.text()).toContain('expired');
    }
  });
});
