// Isolation of tenants, swept over the whole API (issue 22, README "Serving your customers"): two
// tenants, A and B, own the same alert ids and the same destination, rule and policy names, and B's
// admin key is sent to every operation of the running Herald's /openapi.json (read at run time, so a
// new route is covered without editing this file) aimed at A's resources: A's tenant path, A's
// generated ids, A's page tokens. Each answer must be the refusal its class documents (below), say
// nothing a ghost id would not (same status, code and message), carry none of A's ids, A-only names
// or secrets, and A's own reads must answer the same after the sweep as before it. Routes the
// description leaves out (the console, /docs, action links) are outside this sweep; the codec
// endpoint, also undescribed, is probed by hand at the end.
import { randomBytes } from 'node:crypto';
import { eventually } from '../support/eventually';
import { callApi, startHerald, testConfig, type ApiResponse, type TestHerald } from '../support/herald';
import { Receiver } from '../support/receiver';

const OPERATOR = `operator-${randomBytes(12).toString('hex')}`;
const A = 'iso-a';
const B = 'iso-b';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

type Operation = { parameters?: { name: string; in: string }[]; requestBody?: { required?: boolean } };
type Document = { paths: Record<string, Record<string, Operation>> };

let herald: TestHerald;
let hook: Receiver;
let doc: Document;

type Tenant = {
  key: string;
  keyId: string;
  destination: string;
  aOnlyDestination?: string;
  signingSecret: string;
  rule: string;
  policy: string;
  silence: string;
  inhibitRule: string;
  heartbeat: string;
  alertPageToken?: string;
};
const tenants: Record<string, Tenant> = {};

const as = (key: string) => (method: string, path: string, body?: unknown) => callApi(herald.url, key, method, path, body);
const operator = as(OPERATOR);

/** The alert ids both tenants trigger, and one only A has (B asking for it must be told 404). */
const SHARED_ALERTS = ['same-1', 'same-2', 'same-3'];
const A_ONLY_ALERT = 'a-only-alert';
const A_ONLY_NAME = 'a-only-destination-name';
const A_ONLY_TITLE = 'A-only title 7f3e';

async function makeTenant(id: string): Promise<Tenant> {
  expect((await operator('POST', '/v1/tenants', { id, name: `Tenant ${id}` })).status).toBe(201);
  const key = await operator('POST', `/v1/tenants/${id}/keys`, { scopes: ['admin'] });
  expect(key.status).toBe(201);
  const call = as(key.body.key);
  const dst = await call('POST', '/v1/destinations', { name: 'hook', type: 'webhook', config: { url: hook.url(`/${id}`) } });
  expect(dst.status).toBe(201);
  const rule = await call('POST', '/v1/rules', { name: 'everything', destination_ids: [dst.body.id] });
  expect(rule.status).toBe(201);
  const policy = await call('POST', '/v1/escalation-policies', { name: 'policy', steps: [{ after_s: 3600, destination_ids: [dst.body.id] }] });
  expect(policy.status).toBe(201);
  // Matching none of the alerts, so they are delivered.
  const silence = await call('POST', '/v1/silences', { matchers: [{ name: 'team', value: 'nobody' }], ends_at: new Date(Date.now() + 3600_000).toISOString(), created_by: 'ops', comment: 'quiet' });
  expect(silence.status).toBe(201);
  const inhibitRule = await call('POST', '/v1/inhibit-rules', { name: 'inhibit', source_matchers: [{ name: 'a', value: 'b' }], target_matchers: [{ name: 'a', value: 'c' }] });
  expect(inhibitRule.status).toBe(201);
  const heartbeat = await call('POST', '/v1/heartbeats', { name: `${id}-beat`, interval_s: 3600, destination_ids: [dst.body.id] });
  expect(heartbeat.status).toBe(201);
  for (const alert of SHARED_ALERTS) expect((await call('POST', '/v1/alerts', { id: alert, title: `alert ${alert}` })).status).toBe(202);
  expect(dst.body.config.signing_secret).toEqual(expect.any(String));
  return { key: key.body.key, keyId: key.body.id, destination: dst.body.id, signingSecret: dst.body.config.signing_secret ?? dst.body.signing_secret ?? '', rule: rule.body.id, policy: policy.body.id, silence: silence.body.id, inhibitRule: inhibitRule.body.id, heartbeat: heartbeat.body.name };
}

beforeAll(async () => {
  herald = await startHerald({ config: testConfig({ HERALD_API_KEYS: OPERATOR, HERALD_CODEC_KEY: randomBytes(32).toString('base64') }) });
  hook = await Receiver.start();
  tenants[A] = await makeTenant(A);
  tenants[B] = await makeTenant(B);
  const a = as(tenants[A]!.key);
  const only = await a('POST', '/v1/destinations', { name: A_ONLY_NAME, type: 'webhook', config: { url: hook.url('/a-only') } });
  expect(only.status).toBe(201);
  tenants[A]!.aOnlyDestination = only.body.id;
  expect((await a('POST', '/v1/alerts', { id: A_ONLY_ALERT, title: A_ONLY_TITLE })).status).toBe(202);
  // Settled, so A's reads before and after the sweep differ only if the sweep changed something.
  for (const t of [A, B]) {
    await eventually(async () => {
      const list = await as(tenants[t]!.key)('GET', '/v1/alerts?page_size=100');
      expect(list.body.data.length).toBe(t === A ? 4 : 3);
      for (const alert of list.body.data) expect((await as(tenants[t]!.key)('GET', `/v1/alerts/${alert.id}`)).body.delivery_state).toBe('delivered');
    }, 30_000);
  }
  const page = await a('GET', '/v1/alerts?page_size=1');
  expect(page.body.next_page_token).toEqual(expect.any(String));
  tenants[A]!.alertPageToken = page.body.next_page_token;
  doc = (await (await fetch(`${herald.url}/openapi.json`)).json()) as Document;
}, 90_000);
afterAll(async () => {
  await herald?.stop();
  await hook?.close();
});

/** What A owns that B must never see: its generated ids, its key, its secrets, its A-only names. */
function aSecrets(): string[] {
  const a = tenants[A]!;
  return [a.key, a.keyId, a.destination, a.aOnlyDestination!, a.signingSecret, a.rule, a.policy, a.silence, a.inhibitRule, a.heartbeat, A_ONLY_NAME, A_ONLY_TITLE, A_ONLY_ALERT, a.alertPageToken!].filter((s) => s && s.length > 0);
}

/** A's reads with A's key (and the operator's for A's keys): compared before and after the sweep. */
async function snapshotOfA(): Promise<unknown> {
  const a = as(tenants[A]!.key);
  const t = tenants[A]!;
  const paths = [
    '/v1/destinations',
    '/v1/rules',
    '/v1/escalation-policies',
    '/v1/alerts?page_size=100',
    `/v1/destinations/${t.destination}`,
    `/v1/destinations/${t.destination}/secret`,
    `/v1/rules/${t.rule}`,
    `/v1/escalation-policies/${t.policy}`,
    '/v1/silences',
    `/v1/silences/${t.silence}`,
    '/v1/inhibit-rules',
    `/v1/inhibit-rules/${t.inhibitRule}`,
    '/v1/heartbeats',
    `/v1/heartbeats/${t.heartbeat}`,
    ...[...SHARED_ALERTS, A_ONLY_ALERT].map((id) => `/v1/alerts/${id}`),
  ];
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const res = await a('GET', path);
    out[path] = { status: res.status, body: res.body };
  }
  const keys = await operator('GET', `/v1/tenants/${A}/keys`);
  out.keys = { status: keys.status, body: keys.body };
  out.tenant = (await operator('GET', `/v1/tenants/${A}`)).body;
  return JSON.parse(JSON.stringify(out), (k, v) => (k === 'links' ? undefined : v));
}

// ---------------------------------------------------------------------------------------------
// The classes of operations and what B's key must be answered on each.

/** Tenant-independent by design: B's key (or none) reaches them, and they hold no tenant's data. */
const TENANT_INDEPENDENT: Record<string, string> = {
  'GET /healthz': 'liveness: no data',
  'GET /readyz': 'readiness: no data',
  'GET /openapi.json': 'the description: the same for everyone',
};


/**
 * Routes authenticated by something else than a key (a signature, a token in the path): B's key
 * means nothing there, and A's tokens are not B's to know. Refused as unauthenticated or missing.
 */
const NOT_BY_KEY = [/^\/v1\/sources\/(pagerduty|incident-io)$/, /^\/v1\/heartbeats\/\{name\}\/ping\/\{token\}$/];

/** A minimal valid body per operation that takes one (the tenant prefix stripped), naming A's ids where it names any. */
function bodyFor(method: string, path: string): unknown | undefined {
  const a = tenants[A]!;
  const bodies: Record<string, unknown> = {
    'POST /v1/alerts': { id: 'b-new', title: 'probe', destinations: [a.destination] },
    'POST /v1/alerts/{id}/events': { description: 'probe' },
    'POST /v1/alerts/{id}/acknowledge': { by: 'b' },
    'POST /v1/alerts/{id}/unacknowledge': { by: 'b' },
    'POST /v1/alerts/{id}/resolve': { by: 'b', reason: 'probe' },
    'POST /v1/alerts/{id}/dismiss': { by: 'b', reason: 'probe' },
    'POST /v1/alerts/{id}/deliveries/{destination_id}/redeliver': {},
    'POST /v1/destinations': { name: 'hook', type: 'webhook', config: { url: hook.url('/b-probe') } },
    'PATCH /v1/destinations/{id}': { timeout_s: 7 },
    'POST /v1/destinations/test': { name: 'probe', type: 'webhook', config: { url: hook.url('/b-probe') } },
    'POST /v1/destinations/{id}/test': {},
    'POST /v1/destinations/{id}/recover': { since: new Date(Date.now() - 60_000).toISOString() },
    'POST /v1/destinations/{id}/secret/rotate': {},
    'POST /v1/rules': { name: 'b-probe-rule', destination_ids: [a.destination] },
    'PATCH /v1/rules/{id}': { enabled: false },
    'POST /v1/escalation-policies': { name: 'b-probe-policy', steps: [{ after_s: 0, destination_ids: [a.destination] }] },
    'PATCH /v1/escalation-policies/{id}': { description: 'probe' },
    'POST /v1/tenants': { id: 'b-probe-tenant', name: 'probe' },
    'PATCH /v1/tenants/{tenant}': { name: 'probe' },
    'POST /v1/tenants/{tenant}/keys': { scopes: ['admin'] },
    'POST /v1/tenants/{tenant}/portal-links': { expires_in_s: 60 },
    'POST /v1/silences': { matchers: [{ name: 'team', value: 'db' }], ends_at: new Date(Date.now() + 3600_000).toISOString(), created_by: 'b' },
    'POST /v1/inhibit-rules': { name: 'probe', source_matchers: [{ name: 'a', value: 'b' }], target_matchers: [{ name: 'a', value: 'c' }] },
    'POST /v1/heartbeats': { name: 'probe', interval_s: 3600 },
    'PATCH /v1/heartbeats/{name}': { interval_s: 60 },
    'POST /v1/sources/alertmanager': { version: '4', status: 'firing', receiver: 'r', groupKey: 'k', alerts: [{ status: 'firing', labels: { alertname: 'b-probe' }, startsAt: new Date().toISOString(), fingerprint: 'b0b0' }] },
    'POST /v1/sources/grafana': { version: '4', status: 'firing', receiver: 'r', groupKey: 'k', alerts: [{ status: 'firing', labels: { alertname: 'b-probe' }, startsAt: new Date().toISOString(), fingerprint: 'b0b1' }] },
    'POST /v1/sources/pagerduty': { event: {} },
    'POST /v1/sources/incident-io': { event_type: 'x' },
    'POST /codec/encode': { payloads: [] },
    'POST /codec/decode': { payloads: [] },
  };
  const stripped = path.replace(/^\/v1\/tenants\/\{tenant\}(?=\/(alerts|destinations|rules|escalation-policies|silences|inhibit-rules|groups|sources|audit|overview|heartbeats))/, '/v1');
  const m = method.toUpperCase();
  return bodies[`${m} ${stripped}`] ?? bodies[`${m} ${path}`];
}

/** A value no tenant has, of the same shape as `value`. */
const ghostOf = (name: string, value: string) => (name === 'tenant' ? 'iso-ghost' : value.replace(/[0-9a-f]{6}$/, 'ffffff').replace(/alert$/, 'ghost'));

/** Fills the template's parameters with A's values (ghost: values no tenant has, of the same shape). */
function fill(path: string, ghost: boolean): { url: string; values: string[] } {
  const a = tenants[A]!;
  const values: string[] = [];
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const before = path.slice(0, path.indexOf(`{${name}}`));
    const kind = before.split('/').filter((s) => s && !s.startsWith('{')).at(-1);
    let value: string;
    if (name === 'tenant') value = A;
    else if (name === 'key_id') value = a.keyId;
    else if (name === 'destination_id') value = a.destination;
    else if (name === 'name') value = a.heartbeat;
    else if (name === 'token') value = `hb_${'0'.repeat(32)}`;
    else if (kind === 'destinations') value = a.destination;
    else if (kind === 'rules') value = a.rule;
    else if (kind === 'escalation-policies') value = a.policy;
    else if (kind === 'silences') value = a.silence;
    else if (kind === 'inhibit-rules') value = a.inhibitRule;
    else if (kind === 'alerts') value = A_ONLY_ALERT;
    else value = a.destination; // any other id: one of A's generated ids, never B's
    if (ghost) value = ghostOf(name, value);
    values.push(value);
    return encodeURIComponent(value);
  });
  return { url, values };
}

type Probe = { op: string; status: number; body: any; text: string };

async function probe(method: string, path: string, operation: Operation, ghost: boolean): Promise<Probe & { values: string[]; url: string }> {
  const { url, values } = fill(path, ghost);
  const query = new URLSearchParams();
  // Query parameters naming something: A's page token, A's destination (by id), A's key id.
  for (const p of operation.parameters ?? []) {
    if (p.in !== 'query') continue;
    let value: string | undefined;
    if (p.name === 'page_token' || p.name === 'cursor') value = tenants[A]!.alertPageToken!;
    else if (p.name === 'destination' || p.name === 'destination_id' || p.name === 'target_id') value = tenants[A]!.destination;
    else if (p.name === 'key_id') value = tenants[A]!.keyId;
    if (value === undefined) continue;
    if (ghost) value = ghostOf(p.name, value);
    query.set(p.name, value);
    values.push(value);
  }
  let body = bodyFor(method, path);
  // The ghost's body names a ghost destination where A's body names A's.
  if (ghost && body !== undefined) body = JSON.parse(JSON.stringify(body).split(tenants[A]!.destination).join(ghostOf('id', tenants[A]!.destination)));
  if (body !== undefined) values.push(tenants[A]!.destination, ghostOf('id', tenants[A]!.destination));
  const res = await fetch(`${herald.url}${url}${query.size ? `?${query}` : ''}`, {
    method: method.toUpperCase(),
    headers: { authorization: `Bearer ${tenants[B]!.key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { op: `${method.toUpperCase()} ${path}`, status: res.status, body: parsed, text, values, url: `${url}${query.size ? `?${query}` : ''}` };
}

/** The expected statuses of B's key on the operation, with the reason (documented per class). */
function expectation(method: string, path: string): { statuses: number[]; why: string } {
  if (NOT_BY_KEY.some((r) => r.test(path))) return { statuses: [401, 403, 404], why: 'authenticated otherwise: unauthenticated, or missing' };
  // /metrics checks keys against HERALD_API_KEYS alone (README "Security": operator keys only read
  // it), so a tenant's key is not a key there: 401, which tells nothing of any tenant either.
  if (path === '/metrics') return { statuses: [401], why: 'operator keys only: a tenant key is unknown there' };
  // The link id is the page's only credential (its key rides in the fragment): an unknown one, as any
  // id of another tenant is, gets the same plain 410 page as an expired link.
  if (path === '/portal/{link}') return { statuses: [410], why: 'a link that is not a live portal link: the expired page' };
  if (path === '/v1/tenants' || path.startsWith('/v1/tenants/')) return { statuses: [404], why: "tenant routes and another tenant's path: 404 as for a missing tenant" };
  if (/\{\w+\}/.test(path)) return { statuses: [404], why: "another tenant's id: 404 as for a missing one" };
  // No id in the path: B acts in its own tenant. A create naming A's ids is refused 422; B's own
  // lists answer B's rows only; B creating its own "hook" answers 409 (B already has one).
  if (path === '/v1/overview') return { statuses: [404], why: "its query names A's destination: 404 as a missing one" };
  if (path === '/v1/audit') return { statuses: [400], why: "its query carries A's alert page token, which is no audit page token" };
  if (method === 'get') return { statuses: [200], why: "B's own list: B's rows only" };
  if (path === '/v1/destinations/test') return { statuses: [200], why: 'tests an unsaved destination of B' };
  if (path === '/v1/destinations') return { statuses: [409], why: "B's own name taken in B; A's is another tenant's" };
  if (path === '/v1/sources/alertmanager' || path === '/v1/sources/grafana') return { statuses: [200], why: "B's own alerts, made in B by its sender's entries" };
  if (path === '/v1/silences' || path === '/v1/inhibit-rules' || path === '/v1/heartbeats') return { statuses: [201], why: "B's own, made in B: they name no id of anybody's" };
  return { statuses: [422], why: "a body naming A's destination: unknown_destination" };
}

const errorOf = (p: Probe, values: string[]) => {
  let message = String(p.body?.error?.message ?? '');
  for (const v of values) message = message.split(v).join('<param>');
  return { status: p.status, code: p.body?.error?.code, message };
};

test("tenant B's admin key, sent to every operation with A's tenant, ids and page tokens, is refused without leaking and changes nothing of A's", async () => {
  const before = await snapshotOfA();
  const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).filter(([m]) => METHODS.includes(m)).map(([m, op]) => ({ method: m, path, op })));
  expect(operations.length).toBeGreaterThan(50);

  // Every operation that takes a required body has one here, so a new route fails until given one.
  const withoutBody = operations.filter(({ method, path, op }) => op.requestBody?.required && bodyFor(method, path) === undefined).map(({ method, path }) => `${method.toUpperCase()} ${path}`);
  expect(withoutBody).toEqual([]);

  const wrong: string[] = [];
  const leaks: string[] = [];
  const probed = new Set<string>();
  for (const { method, path, op } of operations) {
    const name = `${method.toUpperCase()} ${path}`;
    if (TENANT_INDEPENDENT[name]) continue;
    probed.add(name);
    const expected = expectation(method, path);
    const got = await probe(method, path, op, false);
    if (process.env.ISOLATION_LOG) console.log(`${name} ${got.url} → ${got.status} ${got.text.slice(0, 120)}`);
    if (!expected.statuses.includes(got.status)) wrong.push(`${name}: ${got.status} (expected ${expected.statuses.join('/')}: ${expected.why}) ${got.text.slice(0, 200)}`);
    // What the request itself carried may be echoed (a 404 names the id asked for); nothing else of A's.
    const sent = [...got.values, JSON.stringify(bodyFor(method, path) ?? '')];
    for (const secret of aSecrets()) if (!sent.some((s) => s.includes(secret)) && got.text.includes(secret)) leaks.push(`${name}: answer holds ${secret}`);
    if (got.status >= 400) {
      const ghost = await probe(method, path, op, true);
      expect({ op: name, ...errorOf(got, got.values) }).toEqual({ op: name, ...errorOf(ghost, ghost.values) });
    }
  }
  expect(wrong).toEqual([]);
  expect(leaks).toEqual([]);

  // Each class names operations that exist (no stale pattern hides a route).
  for (const pattern of NOT_BY_KEY) expect([pattern, operations.some(({ path }) => pattern.test(path))]).toEqual([pattern, true]);

  // Every operation is either probed or listed as tenant-independent with its reason.
  const unaccounted = operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`).filter((n) => !probed.has(n) && !TENANT_INDEPENDENT[n]);
  expect(unaccounted).toEqual([]);
  for (const listed of Object.keys(TENANT_INDEPENDENT)) expect(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`)).toContain(listed);

  expect(await snapshotOfA()).toEqual(before);
}, 120_000);

test("B's audit log and overview hold B's only", async () => {
  const b = as(tenants[B]!.key);
  const audit = await b('GET', '/v1/audit?page_size=200');
  expect(audit.status).toBe(200);
  expect(audit.body.data.length).toBeGreaterThan(0);
  expect(new Set(audit.body.data.map((e: { tenant?: string }) => e.tenant))).toEqual(new Set([B]));
  const overview = await b('GET', '/v1/overview');
  expect(overview.status).toBe(200);
  for (const secret of aSecrets()) {
    expect(JSON.stringify(audit.body)).not.toContain(secret);
    expect(JSON.stringify(overview.body)).not.toContain(secret);
  }
  // The operator's unprefixed audit log holds both tenants' entries, each named.
  const all = await operator('GET', '/v1/audit?page_size=200');
  expect(all.body.data.some((e: { tenant?: string }) => e.tenant === A)).toBe(true);
  expect(all.body.data.some((e: { tenant?: string }) => e.tenant === B)).toBe(true);
  const ofA = (await operator('GET', `/v1/tenants/${A}/audit?page_size=200`)).body.data as { tenant?: string }[];
  expect(ofA.length).toBeGreaterThan(0);
  expect(new Set(ofA.map((e) => e.tenant))).toEqual(new Set([A]));
});

test("B's lists with A's page tokens answer B's rows only", async () => {
  const b = as(tenants[B]!.key);
  const token = tenants[A]!.alertPageToken!;
  const page = await b('GET', `/v1/alerts?page_size=100&page_token=${encodeURIComponent(token)}`);
  expect([200, 400]).toContain(page.status);
  if (page.status === 200) {
    for (const alert of page.body.data as { id: string; alert: { title: string } }[]) {
      expect(SHARED_ALERTS).toContain(alert.id);
      expect(JSON.stringify(alert)).toContain(B);
    }
  }
  for (const secret of aSecrets()) expect(JSON.stringify(page.body)).not.toContain(secret);
  // Paging B's own alerts one at a time reaches only B's, and all three of them.
  const seen: string[] = [];
  let next: string | undefined;
  do {
    const res: ApiResponse = await b('GET', `/v1/alerts?page_size=1${next ? `&page_token=${encodeURIComponent(next)}` : ''}`);
    expect(res.status).toBe(200);
    seen.push(...res.body.data.map((a: { id: string }) => a.id));
    for (const secret of aSecrets()) expect(JSON.stringify(res.body)).not.toContain(secret);
    next = res.body.next_page_token;
  } while (next && seen.length < 10);
  // B's own: the shared ids, and the alerts B's probes of the sources made in B (am-…).
  expect(seen.filter((id) => !id.startsWith('am-b0b')).sort()).toEqual([...SHARED_ALERTS].sort());
});

test("the same alert id in both tenants: B's key reads and lists B's alert, never A's", async () => {
  const b = as(tenants[B]!.key);
  for (const id of SHARED_ALERTS) {
    const res = await b('GET', `/v1/alerts/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.workflow_id).toBe(`alert:${B}/${id}`);
    expect(res.body.destinations.map((d: { destination_id: string }) => d.destination_id)).toEqual([tenants[B]!.destination]);
    for (const secret of aSecrets()) expect(JSON.stringify(res.body)).not.toContain(secret);
  }
  for (const path of ['/v1/destinations', '/v1/rules', '/v1/escalation-policies']) {
    const res = await b('GET', path);
    expect(res.body.data.map((r: { name: string }) => r.name)).toEqual([path === '/v1/destinations' ? 'hook' : path === '/v1/rules' ? 'everything' : 'policy']);
    for (const secret of aSecrets()) expect(JSON.stringify(res.body)).not.toContain(secret);
  }
});

test("the codec endpoint (not in the description) refuses a tenant's key: operator keys only (README \"Security\")", async () => {
  for (const path of ['/codec/decode', '/codec/encode']) {
    const res = await callApi(herald.url, tenants[B]!.key, 'POST', path, { payloads: [] });
    expect([401, 403]).toContain(res.status);
    expect((await callApi(herald.url, OPERATOR, 'POST', path, { payloads: [] })).status).toBe(200);
  }
});
