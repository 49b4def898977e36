// Routing rules and destination filters through the API on a real dev server, with real receivers.
import { eventually } from '../support/eventually';
import { Receiver } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';

let herald: TestHerald;
let receiver: Receiver;

beforeAll(async () => {
  herald = await startHerald();
  receiver = await Receiver.start();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});
// Rules apply to every alert: each test starts with none, so one test's rules never route another's alerts.
afterEach(async () => {
  for (const { id } of (await herald.call('GET', '/v1/rules')).body.data) {
    expect((await herald.call('DELETE', `/v1/rules/${id}`)).status).toBe(204);
  }
});

async function destination(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await herald.call('POST', '/v1/destinations', { name, type: 'webhook', config: { url: receiver.url(`/${name}`) }, ...extra });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function rule(body: Record<string, unknown>): Promise<string> {
  const res = await herald.call('POST', '/v1/rules', body);
  expect(res.status).toBe(201);
  return res.body.id;
}

const paths = (alertId: string) =>
  receiver.requests.filter((r) => JSON.parse(r.body).alert.id === alertId).map((r) => `${r.path} ${r.headers['x-herald-event']}`).sort();

test('rules CRUD with validation', async () => {
  const hook = await destination('crud-hook');
  const bad = await herald.call('POST', '/v1/rules', { name: '', match: { severities: ['loud'], extra: 1 }, destination_ids: [] });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['name', 'match.severities.0', 'match', 'destination_ids']));
  const unknown = await herald.call('POST', '/v1/rules', { name: 'r', destination_ids: ['dst_missing'] });
  expect(unknown.status).toBe(422);
  expect(unknown.body.error.details).toEqual({ field: 'destination_ids', unknown: ['dst_missing'] });

  const id = await rule({ name: 'crud', match: { event_types: ['schema_change'] }, destination_ids: [hook, hook] });
  const got = await herald.call('GET', `/v1/rules/${id}`);
  expect(got.body).toMatchObject({ id, name: 'crud', enabled: true, match: { event_types: ['schema_change'] }, destination_ids: [hook] });
  expect((await herald.call('POST', '/v1/rules', { name: 'crud', destination_ids: [hook] })).status).toBe(409);
  const patched = await herald.call('PATCH', `/v1/rules/${id}`, { enabled: false });
  expect(patched.body).toMatchObject({ enabled: false, name: 'crud', match: { event_types: ['schema_change'] } });
  expect((await herald.call('GET', '/v1/rules')).body.data.map((r: { id: string }) => r.id)).toContain(id);
  expect((await herald.call('DELETE', `/v1/rules/${id}`)).status).toBe(204);
  expect((await herald.call('GET', `/v1/rules/${id}`)).status).toBe(404);
});

test('an alert reaches the union of matching rules and explicit destinations, each once; filters pick events', async () => {
  const a = await destination('rule-a');
  const b = await destination('rule-b');
  const explicit = await destination('explicit-c');
  const resolvedOnly = await destination('resolved-only', { filters: { actions: ['resolved'] } });
  const neverHere = await destination('never-here');
  const disabledRuleTarget = await destination('disabled-rule-target');

  const prod = await rule({ name: 'prod critical', match: { severities: ['critical'], asset: 'production.*', labels: { env: 'production' } }, destination_ids: [a, b] });
  const schema = await rule({ name: 'schema changes', match: { event_types: ['schema_change'] }, destination_ids: [b, resolvedOnly] });
  await rule({ name: 'warnings only', match: { severities: ['warning'] }, destination_ids: [neverHere] });
  await rule({ name: 'staging glob', match: { asset: 'staging.*' }, destination_ids: [neverHere] });
  await rule({ name: 'label mismatch', match: { labels: { env: 'staging' } }, destination_ids: [neverHere] });
  await rule({ name: 'switched off', enabled: false, match: {}, destination_ids: [disabledRuleTarget] });

  const res = await herald.call('POST', '/v1/alerts', {
    id: 'routed_1',
    title: 'Orders lost a column',
    severity: 'critical',
    labels: { env: 'production' },
    event: { type: 'schema_change', asset: { qualified_name: 'production.public.orders' } },
    destinations: [explicit, a],
  });
  expect(res.status).toBe(202);
  await receiver.waitFor(3, (r) => JSON.parse(r.body).alert.id === 'routed_1');
  const state = await eventually(async () => {
    const s = await herald.call('GET', '/v1/alerts/routed_1');
    expect(s.body.destinations.map((d: { state: string }) => d.state)).toEqual(['delivered', 'delivered', 'delivered', 'filtered']);
    return s.body;
  });
  expect(state.destinations.map((d: { name: string; rules: { name: string }[] }) => [d.name, d.rules.map((r) => r.name)])).toEqual([
    ['explicit-c', []],
    ['rule-a', ['prod critical']],
    ['rule-b', ['prod critical', 'schema changes']],
    ['resolved-only', ['schema changes']],
  ]);
  expect(state.destinations[1].rules[0].id).toBe(prod);
  expect(state.destinations[2].rules[1].id).toBe(schema);

  await herald.call('POST', '/v1/alerts/routed_1/resolve', {});
  await receiver.waitFor(7, (r) => JSON.parse(r.body).alert.id === 'routed_1');
  expect(paths('routed_1')).toEqual([
    '/explicit-c alert.resolved',
    '/explicit-c alert.triggered',
    '/resolved-only alert.resolved',
    '/rule-a alert.resolved',
    '/rule-a alert.triggered',
    '/rule-b alert.resolved',
    '/rule-b alert.triggered',
  ]);
  const final = await eventually(async () => {
    const s = await herald.call('GET', '/v1/alerts/routed_1');
    expect(s.body.destinations[3].state).toBe('delivered');
    return s.body;
  });
  expect(final.destinations[3].events.map((e: { event_type: string; state: string }) => [e.event_type, e.state])).toEqual([
    ['alert.triggered', 'filtered'],
    ['alert.resolved', 'delivered'],
  ]);
});

test('a non-matching alert goes nowhere but its explicit destinations; a filter by severity and label drops it', async () => {
  const picky = await destination('picky', { filters: { severities: ['critical'], labels: { team: 'data' } } });
  const elsewhere = await destination('elsewhere');
  await rule({ name: 'everything to picky', match: {}, destination_ids: [picky] });
  await rule({ name: 'schema changes elsewhere', match: { event_types: ['schema_change'] }, destination_ids: [elsewhere] });
  await herald.call('POST', '/v1/alerts', { id: 'routed_2', title: 'Minor', severity: 'info', labels: { team: 'data' } });
  await herald.call('POST', '/v1/alerts', { id: 'routed_3', title: 'Major', severity: 'critical', labels: { team: 'data' } });
  await receiver.waitFor(1, (r) => JSON.parse(r.body).alert.id === 'routed_3');
  const minor = await eventually(async () => {
    const s = await herald.call('GET', '/v1/alerts/routed_2');
    expect(s.body.destinations.find((d: { name: string }) => d.name === 'picky').state).toBe('filtered');
    return s.body;
  });
  expect(minor.destinations.map((d: { name: string }) => d.name)).toEqual(['picky']);
  expect(paths('routed_2')).toEqual([]);
  const major = await eventually(async () => {
    const s = await herald.call('GET', '/v1/alerts/routed_3');
    expect(s.body.destinations.map((d: { name: string; state: string }) => [d.name, d.state])).toEqual([['picky', 'delivered']]);
    return s.body;
  });
  expect(major.destinations[0].rules.map((r: { name: string }) => r.name)).toEqual(['everything to picky']);
  expect(paths('routed_3')).toEqual(['/picky alert.triggered']);
});

test('unknown rules are 404 rule_not_found; PATCH merges, then validates the whole rule', async () => {
  const hook = await destination('patch-hook');
  const other = await destination('patch-other');
  for (const [method, body] of [['GET'], ['PATCH', { enabled: false }], ['DELETE']] as const) {
    const res = await herald.call(method, '/v1/rules/rul_missing', body);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('rule_not_found');
  }

  const id = await rule({ name: 'patch me', match: { severities: ['critical'], asset: 'production.*' }, destination_ids: [hook] });
  expect(id).toMatch(/^rul_[0-9a-f]+$/);
  await rule({ name: 'taken', destination_ids: [hook] });

  const badMatch = await herald.call('PATCH', `/v1/rules/${id}`, { match: { severities: ['loud'] } });
  expect(badMatch.status).toBe(400);
  expect(badMatch.body.error.details.map((d: { path: string }) => d.path)).toEqual(['match.severities.0']);
  const unknownField = await herald.call('PATCH', `/v1/rules/${id}`, { priority: 1 });
  expect(unknownField.status).toBe(400);
  expect((await herald.call('PATCH', `/v1/rules/${id}`, { destination_ids: [] })).status).toBe(400);
  const unknownDestination = await herald.call('PATCH', `/v1/rules/${id}`, { destination_ids: [hook, 'dst_nope'] });
  expect(unknownDestination.status).toBe(422);
  expect(unknownDestination.body.error.details).toEqual({ field: 'destination_ids', unknown: ['dst_nope'] });
  const clash = await herald.call('PATCH', `/v1/rules/${id}`, { name: 'taken' });
  expect(clash.status).toBe(409);

  // None of the refused PATCHes changed anything; a good one replaces only what it names (`match` as a whole).
  const before = (await herald.call('GET', `/v1/rules/${id}`)).body;
  expect(before).toMatchObject({ name: 'patch me', enabled: true, destination_ids: [hook] });
  const ok = await herald.call('PATCH', `/v1/rules/${id}`, { match: { labels: { env: 'production' } }, destination_ids: [other, hook] });
  expect(ok.status).toBe(200);
  expect(ok.body).toMatchObject({ id, name: 'patch me', enabled: true, match: { labels: { env: 'production' } }, destination_ids: [other, hook] });
  expect(ok.body.match).not.toHaveProperty('severities');
  expect(ok.body.created_at).toBe(before.created_at);
  expect((await herald.call('GET', `/v1/rules/${id}`)).body).toEqual(ok.body);
});

test('destination filters are validated, stored, shown and patched', async () => {
  const bad = await herald.call('POST', '/v1/destinations', {
    name: 'bad-filters',
    type: 'webhook',
    config: { url: receiver.url('/bad-filters') },
    filters: { actions: ['opened'], severities: ['loud'], colour: 'red' },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(
    expect.arrayContaining(['filters.actions.0', 'filters.severities.0', 'filters']),
  );

  const plain = await destination('no-filters');
  expect((await herald.call('GET', `/v1/destinations/${plain}`)).body.filters).toEqual({});
  const filters = { event_types: ['schema_change'], actions: ['triggered', 'resolved'], severities: ['critical'], labels: { team: 'data' } };
  const id = await destination('with-filters', { filters });
  expect((await herald.call('GET', `/v1/destinations/${id}`)).body.filters).toEqual(filters);
  const patched = await herald.call('PATCH', `/v1/destinations/${id}`, { filters: { actions: ['dismissed'] } });
  expect(patched.status).toBe(200);
  expect(patched.body.filters).toEqual({ actions: ['dismissed'] });
  expect((await herald.call('PATCH', `/v1/destinations/${id}`, { filters: { actions: ['closed'] } })).status).toBe(400);
  expect((await herald.call('GET', `/v1/destinations/${id}`)).body.filters).toEqual({ actions: ['dismissed'] });
});

test('a disabled rule routes nothing until enabled; a rule naming a disabled or deleted destination leaves it skipped', async () => {
  const later = await destination('enabled-later');
  const off = await destination('disabled-dest', { enabled: false });
  const gone = await destination('deleted-dest');
  const freshness = await rule({ name: 'freshness', enabled: false, match: { event_types: ['freshness'] }, destination_ids: [later] });
  await rule({ name: 'freshness extras', match: { event_types: ['freshness'] }, destination_ids: [off, gone] });
  expect((await herald.call('DELETE', `/v1/destinations/${gone}`)).status).toBe(204);
  const stale = (id: string) => ({ id, title: 'Orders are stale', severity: 'warning', event: { type: 'freshness' } });

  expect((await herald.call('POST', '/v1/alerts', stale('routed_off'))).status).toBe(202);
  const routedOff = await eventually(async () => {
    const s = await herald.call('GET', '/v1/alerts/routed_off');
    expect(s.body.skipped_destinations).toHaveLength(2);
    return s.body;
  });
  expect(routedOff.skipped_destinations).toEqual(
    expect.arrayContaining([
      { destination_id: off, reason: 'destination is disabled' },
      { destination_id: gone, reason: 'destination does not exist' },
    ]),
  );
  expect(routedOff.destinations.map((d: { name: string }) => d.name)).not.toContain('enabled-later');

  expect((await herald.call('PATCH', `/v1/rules/${freshness}`, { enabled: true })).body.enabled).toBe(true);
  expect((await herald.call('POST', '/v1/alerts', stale('routed_on'))).status).toBe(202);
  await receiver.waitFor(1, (r) => r.path === '/enabled-later' && JSON.parse(r.body).alert.id === 'routed_on');
  const routedOn = await eventually(async () => {
    const s = await herald.call('GET', '/v1/alerts/routed_on');
    expect(s.body.destinations.find((d: { name: string }) => d.name === 'enabled-later')?.state).toBe('delivered');
    return s.body;
  });
  expect(routedOn.destinations.find((d: { name: string }) => d.name === 'enabled-later').rules).toEqual([{ id: freshness, name: 'freshness' }]);
  expect(receiver.requests.filter((r) => r.path === '/enabled-later').map((r) => JSON.parse(r.body).alert.id)).toEqual(['routed_on']);
});

test('filters judge each event by the alert as that event carries it: an update that raises the severity gets through', async () => {
  const criticalOnly = await destination('critical-only', { filters: { severities: ['critical'] } });
  await herald.call('POST', '/v1/alerts', { id: 'escalated', title: 'Rows missing', severity: 'warning', destinations: [criticalOnly] });
  await eventually(async () => {
    const s = await herald.call('GET', '/v1/alerts/escalated');
    expect(s.body.destinations[0].events.map((e: { state: string }) => e.state)).toEqual(['filtered']);
  });
  expect((await herald.call('POST', '/v1/alerts/escalated/events', { severity: 'critical' })).status).toBe(202);
  await herald.call('POST', '/v1/alerts/escalated/resolve', {});
  await receiver.waitFor(2, (r) => JSON.parse(r.body).alert.id === 'escalated');
  const state = await eventually(async () => {
    const s = await herald.call('GET', '/v1/alerts/escalated');
    expect(s.body.destinations[0].state).toBe('delivered');
    return s.body;
  });
  expect(state.destinations[0].events.map((e: { event_type: string; state: string }) => [e.event_type, e.state])).toEqual([
    ['alert.triggered', 'filtered'],
    ['alert.updated', 'delivered'],
    ['alert.resolved', 'delivered'],
  ]);
  expect(state.delivery_state).toBe('delivered');
  expect(paths('escalated')).toEqual(['/critical-only alert.resolved', '/critical-only alert.updated']);
});

test('mute windows on destinations and rules: validated by field, stored, shown and patched; a drop window drops, a hold window holds until it is removed', async () => {
  const always = (name: string, action: 'hold' | 'drop') => ({ name, action, time_intervals: [{}] });
  const bad = await herald.call('POST', '/v1/destinations', {
    name: 'bad-windows',
    type: 'webhook',
    config: { url: receiver.url('/bad-windows') },
    mute_windows: [{ name: 'w', action: 'snooze', time_intervals: [{ weekdays: ['funday'], times: [{ start_time: '25:00', end_time: '09:00' }], location: 'Mars/Olympus' }] }],
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(
    expect.arrayContaining(['mute_windows.0.action', 'mute_windows.0.time_intervals.0.weekdays.0', 'mute_windows.0.time_intervals.0.times.0.start_time', 'mute_windows.0.time_intervals.0.location']),
  );

  const muted = await destination('muted-hook', { mute_windows: [always('always drop', 'drop')] });
  expect((await herald.call('GET', `/v1/destinations/${muted}`)).body.mute_windows).toEqual([always('always drop', 'drop')]);
  const windowed = await rule({ name: 'windowed', match: { labels: { team: 'night' } }, destination_ids: [muted], mute_windows: [{ name: 'weekends', time_intervals: [{ weekdays: ['saturday:sunday'], location: 'Europe/Berlin' }] }] });
  expect((await herald.call('GET', `/v1/rules/${windowed}`)).body.mute_windows).toEqual([{ name: 'weekends', action: 'hold', time_intervals: [{ weekdays: ['saturday:sunday'], location: 'Europe/Berlin' }] }]);
  expect((await herald.call('PATCH', `/v1/rules/${windowed}`, { mute_windows: [{ name: 'x', time_intervals: [{ months: ['13'] }] }] })).status).toBe(400);
  expect((await herald.call('PATCH', `/v1/rules/${windowed}`, { mute_windows: [] })).body.mute_windows).toEqual([]);

  expect((await herald.call('POST', '/v1/alerts', { id: 'muted_1', title: 'Dropped', severity: 'critical', destinations: [muted] })).status).toBe(202);
  await eventually(async () => {
    const { body } = await herald.call('GET', '/v1/alerts/muted_1');
    expect(body.destinations[0]).toMatchObject({ state: 'muted', events: [{ sequence: 0, state: 'muted', muted_by: 'always drop' }] });
  });

  // A hold window that never ends holds the alert until the window is removed: then it goes at once.
  expect((await herald.call('PATCH', `/v1/destinations/${muted}`, { mute_windows: [always('freeze', 'hold')] })).status).toBe(200);
  expect((await herald.call('POST', '/v1/alerts', { id: 'muted_2', title: 'Held', severity: 'critical', destinations: [muted] })).status).toBe(202);
  await eventually(async () => {
    const { body } = await herald.call('GET', '/v1/alerts/muted_2');
    expect(body.destinations[0]).toMatchObject({ state: 'held', events: [{ sequence: 0, state: 'held', muted_by: 'freeze', next_attempt_at: expect.any(String) }] });
  });
  expect(receiver.requests.filter((r) => ['muted_1', 'muted_2'].includes(JSON.parse(r.body).alert.id))).toEqual([]);
  expect((await herald.call('PATCH', `/v1/destinations/${muted}`, { mute_windows: [] })).body.mute_windows).toEqual([]);
  await receiver.waitFor(1, (r) => JSON.parse(r.body).alert.id === 'muted_2');
  await eventually(async () => expect((await herald.call('GET', '/v1/alerts/muted_2')).body.destinations[0].state).toBe('delivered'));
  expect(receiver.requests.filter((r) => JSON.parse(r.body).alert.id === 'muted_1')).toEqual([]); // dropped stays dropped
});
