// The same store tests on the embedded SQLite file and on a real PostgreSQL (DATABASE_URL).
import { DEFAULT_CIRCUIT_POLICY } from '../../src/domain/circuit';
import { migrations } from '../../src/store/migrations';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { migrateToLatest, openPostgres, type Db } from '../../src/store/db';
import { freshDatabase, STORE_BACKENDS as backends } from '../support/store-backends';
import { DestinationStore } from '../../src/store/destinations';
import { RuleStore } from '../../src/store/rules';
import { SecretBox } from '../../src/store/secret-box';
import { SentMessageStore } from '../../src/store/sent-messages';
import { AlertStore } from '../../src/store/alerts';
import { AlertViews } from '../../src/store/alert-views';
import { AlertClosedError, AlertNotFoundError } from '../../src/domain/alert-errors';
import { NameTakenError, uniqueName } from '../../src/store/unique-name';
import { HeartbeatStore } from '../../src/store/heartbeats';


const webhook = (name: string) => ({
  name,
  type: 'webhook' as const,
  enabled: true,
  config: { url: 'https://hooks.example.com/x', method: 'POST' as const, headers: {}, auth: { type: 'bearer' as const, token: 'tok-secret-123' }, response_validators: [], signing_secret: `whsec_${randomBytes(32).toString('base64')}` },
  retry_schedule: [0, 60],
  timeout_s: 10,
  mute_windows: [],
  circuit_breaker: DEFAULT_CIRCUIT_POLICY, rate_limit: null,
  filters: { severities: ['critical' as const] },
});

describe.each(backends)('store on $name', (backend) => {
  let db: Db;
  let box: SecretBox;
  beforeAll(async () => {
    db = await backend.open();
    box = new SecretBox([randomBytes(32)]);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  test('migrations apply once', async () => {
    expect(await migrateToLatest(db)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(db)).toEqual([]);
  });

  test('destinations: create, read with secrets sealed, list, replace, flag, delete; names unique', async () => {
    const destinations = new DestinationStore(db, box);
    const created = await destinations.create(webhook('store-a'));
    expect(await destinations.get(created.id)).toEqual(created);
    const raw = await db.selectFrom('destinations').select('config').where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(raw.config).not.toContain('tok-secret-123');
    await expect(destinations.create(webhook('store-a'))).rejects.toThrow(NameTakenError);
    const b = await destinations.create(webhook('store-b'));
    expect((await destinations.getMany([created.id, b.id, 'dst_missing'])).map((d) => d.name).sort()).toEqual(['store-a', 'store-b']);
    await destinations.flag(b.id, 'receiver answered 410 Gone');
    expect((await destinations.get(b.id))!.needs_attention).toBe('receiver answered 410 Gone');
    const replaced = await destinations.replace(b.id, { ...webhook('store-b2'), enabled: false });
    expect(replaced).toMatchObject({ name: 'store-b2', enabled: false, needs_attention: null, created_at: b.created_at });
    await expect(destinations.replace(b.id, webhook('store-a'))).rejects.toThrow(NameTakenError);
    expect(await destinations.delete(b.id)).toBe(true);
    expect(await destinations.delete(b.id)).toBe(false);
    expect((await destinations.list()).map((d) => d.name)).toEqual(['store-a']);
  });

  test("routing's rule index: read once per revision, and every write through any handle moves the revision", async () => {
    // Two handles stand for two processes (an API that changes rules, a worker that routes).
    const routing = new RuleStore(db);
    const api = new RuleStore(db);
    const subject = { severity: 'critical', labels: { team: 'index' }, event: { type: 'volume' } };
    const names = async () => (await routing.enabledIndex()).matching(subject).map((r) => r.name);
    const before = await names();
    const first = await routing.enabledIndex();
    expect(await routing.enabledIndex()).toBe(first); // nothing changed: the same index, no second read

    const a = await api.create({ name: 'index-a', enabled: true, match: { labels: { team: 'index' } }, destination_ids: ['dst_1'], mute_windows: [] });
    expect(await names()).toEqual([...before, 'index-a']);
    await api.replace(a.id, { ...a, enabled: false });
    expect(await names()).toEqual(before);
    await api.replace(a.id, { ...a, enabled: true, match: { labels: { team: 'other' } } });
    expect(await names()).toEqual(before);
    const b = await api.create({ name: 'index-b', enabled: true, match: { event_types: ['volume'] }, destination_ids: ['dst_1'], mute_windows: [] });
    expect(await names()).toEqual([...before, 'index-b']);
    await api.delete(b.id);
    expect(await names()).toEqual(before);
    // A write refused for its name changes nothing, the revision included.
    const revision = async () => (await db.selectFrom('revisions').select('revision').where('name', '=', 'rules').executeTakeFirstOrThrow()).revision;
    const was = await revision();
    await expect(api.create({ name: 'index-a', enabled: true, match: {}, destination_ids: [], mute_windows: [] })).rejects.toThrow(NameTakenError);
    expect(await revision()).toBe(was);
    await api.delete(a.id);
  });

  test('rules and sent messages', async () => {
    const rules = new RuleStore(db);
    const rule = await rules.create({ name: 'r1', enabled: true, match: { asset: 'prod.*' }, destination_ids: ['dst_1'], mute_windows: [] });
    await rules.create({ name: 'r2', enabled: false, match: {}, destination_ids: ['dst_2'], mute_windows: [] });
    expect((await rules.list({ enabledOnly: true })).map((r) => r.name)).toEqual(['r1']);
    await expect(rules.create({ name: 'r1', enabled: true, match: {}, destination_ids: [], mute_windows: [] })).rejects.toThrow(NameTakenError);
    expect(await rules.replace(rule.id, { ...rule, match: { labels: { env: 'prod' } } })).toMatchObject({ match: { labels: { env: 'prod' } } });
    await expect(rules.replace(rule.id, { ...rule, name: 'r2' })).rejects.toThrow(NameTakenError);
    expect(await rules.delete(rule.id)).toBe(true);

    // Another constraint's violation is not a name conflict: it reaches the caller as the driver raised it.
    const nullName = uniqueName('rule', 'r3', () => sql`INSERT INTO rules (id, name) VALUES ('rul_null', NULL)`.execute(db));
    // Read the message, not `rejects.toThrow`: the driver's error class may come from another test
    // file's module registry in the same jest worker, and jest then does not see it as an Error.
    const raised = await nullName.then(() => undefined, (err: unknown) => err as Error);
    expect(raised?.message).toMatch(/null/i);
    expect(raised).not.toBeInstanceOf(NameTakenError);

    const sent = new SentMessageStore(db);
    expect(await sent.wasSent('msg_1')).toBe(false);
    await sent.record('msg_1', 'dst_1');
    await sent.record('msg_1', 'dst_1'); // a second record is harmless
    expect(await sent.wasSent('msg_1')).toBe(true);
  });

  test('the read model: events numbered one at a time, outcomes written once however often, views from rows', async () => {
    const alerts = new AlertStore(db);
    const views = new AlertViews(db, 'q1');
    const alert = { id: 'rm_1', title: 'Read model', severity: 'critical' as const, labels: { env: 'prod' }, event: { type: 'schema_change' }, links: {}, created_at: '2026-12-01T10:00:00.000Z' };
    expect(await alerts.accept(alert, 'q1')).toEqual({ created: true, status: 'triggered' });
    expect(await alerts.accept({ ...alert, title: 'changed' }, 'q1')).toEqual({ created: false, status: 'triggered' });
    expect((await alerts.keptEvent('rm_1', 0))!.event.alert.title).toBe('Read model');

    // Concurrent appends get distinct, gapless sequence numbers, and the document holds them all.
    const appended = await Promise.all(Array.from({ length: 10 }, (_, i) => alerts.appendUpdate('rm_1', { labels: { [`k${i}`]: 'v' } })));
    expect(appended.map((a) => a.sequence).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(Object.keys((await alerts.document('rm_1'))!.labels)).toHaveLength(11);
    expect((await alerts.keptEvent('rm_1', 10))!.event.event_type).toBe('alert.updated');

    await alerts.recordRouting('rm_1', [{ destination_id: 'dst_a', name: 'a', type: 'webhook', rules: [] }], [{ destination_id: 'dst_x', reason: 'destination does not exist' }]);
    await alerts.recordRouting('rm_1', [{ destination_id: 'dst_a', name: 'a', type: 'webhook', rules: [] }], [{ destination_id: 'dst_x', reason: 'destination does not exist' }]);
    const outcome = (sequence: number, state: 'delivered' | 'retrying' | 'failed', attempt: number) => ({
      alertId: 'rm_1', destinationId: 'dst_a', sequence, eventType: sequence === 0 ? ('alert.triggered' as const) : ('alert.updated' as const),
      deliveryId: `msg_${sequence}`, state, coalesced: sequence === 10 ? 8 : 0,
      attempt: { attempt, started_at: '2026-12-01T10:00:01.000Z', status_code: state === 'delivered' ? 200 : 500, duration_ms: 5 },
    });
    await alerts.recordOutcome(outcome(0, 'retrying', 1));
    await alerts.recordOutcome(outcome(0, 'retrying', 1)); // a retried activity writes the same rows
    await alerts.recordOutcome(outcome(0, 'delivered', 2));
    await alerts.recordOutcome(outcome(1, 'failed', 1));
    expect((await alerts.lanes('rm_1'))[0]!.state).toBe('failed');
    await alerts.recordOutcome(outcome(10, 'delivered', 1)); // supersedes the failed update 1
    await alerts.recordOutcome(outcome(10, 'delivered', 1));

    let state = (await views.get('rm_1'))!;
    expect(state).toMatchObject({ status: 'triggered', delivery_state: 'delivered', skipped_destinations: [{ destination_id: 'dst_x' }] });
    expect(state.destinations).toHaveLength(1);
    expect(state.destinations[0]).toMatchObject({ state: 'delivered', coalesced_updates: 8 });
    expect(state.destinations[0]!.events.map((e) => [e.sequence, e.state, e.attempts.map((a) => a.attempt)])).toEqual([
      [0, 'delivered', [1, 2]],
      [1, 'superseded', [1]],
      [10, 'delivered', [1]],
    ]);

    // A close: the lane owes it, the first close wins, the document keeps everything.
    expect(await alerts.appendClose('rm_1', 'resolve', { by: 'x' })).toEqual({ sequence: 11, event_type: 'alert.resolved', acks: [] });
    await expect(alerts.appendClose('rm_1', 'dismiss', {})).rejects.toThrow(AlertClosedError);
    await expect(alerts.appendUpdate('rm_1', {})).rejects.toThrow(AlertClosedError);
    await expect(alerts.appendUpdate('rm_missing', {})).rejects.toThrow(AlertNotFoundError);
    expect(await alerts.closingEvent('rm_1')).toEqual({ sequence: 11, event_type: 'alert.resolved', action: 'resolve', acks: [] });
    state = (await views.get('rm_1'))!;
    expect(state).toMatchObject({ status: 'resolved', delivery_state: 'pending', closure: { action: 'resolve', by: 'x' } });
    expect(await alerts.unannounced('q1', new Date(Date.now() + 1000))).toEqual([{ id: 'rm_1', last_sequence: 11, action: 'resolve', acks: [] }]);
    await alerts.markAnnounced('rm_1', 11);
    expect(await alerts.unannounced('q1', new Date(Date.now() + 1000))).toEqual([]);

    // An alert routed nowhere is delivered, and its later events owe nothing: it stays delivered.
    // (On a queue of its own, so the lists below see only theirs.)
    await alerts.accept({ ...alert, id: 'rm_nowhere' }, 'q_nowhere');
    await alerts.recordRouting('rm_nowhere', [], []);
    await alerts.appendUpdate('rm_nowhere', { labels: { k: 'v' } });
    await alerts.appendClose('rm_nowhere', 'resolve', {});
    expect(await new AlertViews(db, 'q_nowhere').get('rm_nowhere')).toMatchObject({ status: 'resolved', delivery_state: 'delivered', destinations: [] });

    // Lists and counts read rows of this Herald's queue only, newest first, page by page.
    for (const id of ['rm_2', 'rm_3']) await alerts.accept({ ...alert, id, severity: 'info', created_at: `2026-12-01T11:0${id.at(-1)}:00.000Z` }, 'q1');
    await alerts.accept({ ...alert, id: 'rm_other' }, 'q2');
    const first = await views.list({}, 2);
    expect(first.data.map((a) => a.id)).toEqual(['rm_3', 'rm_2']);
    expect((await views.list({}, 2, first.next_page_token)).data.map((a) => a.id)).toEqual(['rm_1']);
    expect((await views.list({ destination: 'a' }, 10)).data.map((a) => [a.id, a.destinations])).toEqual([['rm_1', ['a', 'dst_a']]]);
    expect((await views.list({ severity: 'info', status: 'triggered' }, 10)).data.map((a) => a.id)).toEqual(['rm_3', 'rm_2']);
    expect(await views.counts()).toEqual({ open: 2, failed: 0, retrying: 0 });
    expect(await views.get('rm_other')).toBeUndefined();

    await alerts.recordTermination('rm_2', { workflow_status: 'TERMINATED', reason: 'operator' });
    expect((await views.get('rm_2'))).toMatchObject({ status: 'terminated', termination: { reason: 'operator' } });
    expect(await alerts.openAlertIds('q1', ['rm_2', 'rm_3'])).toEqual(['rm_3']);
    await alerts.dropEventBodies('rm_1');
    expect(await alerts.keptEvent('rm_1', 0)).toBeUndefined();
    await alerts.forget('rm_3');
    expect(await alerts.exists('rm_3')).toBe(false);
  });

  test('acknowledgements: numbered with the other events, the same one again appends nothing, an ack timeout takes back only the one it was set for', async () => {
    const alerts = new AlertStore(db);
    const views = new AlertViews(db, 'q1');
    const alert = { id: 'ack_s1', title: 'Ack', severity: 'error' as const, labels: {}, event: { type: 'freshness' }, links: {}, created_at: '2026-12-01T10:00:00.000Z' };
    await alerts.accept(alert, 'q1');
    const first = await alerts.appendAck('ack_s1', 'acknowledge', { by: 'alice', until: '2026-12-01T12:00:00.000Z' }, new Date('2026-12-01T10:01:00.000Z'));
    expect(first).toEqual({ appended: true, event: { sequence: 1, event_type: 'alert.acknowledged', acks: [{ sequence: 1, action: 'acknowledge', by: 'alice', until: '2026-12-01T12:00:00.000Z', at: '2026-12-01T10:01:00.000Z' }] } });
    expect(await alerts.appendAck('ack_s1', 'acknowledge', { by: 'alice', until: '2026-12-01T12:00:00.000Z' })).toMatchObject({ appended: false, newest: { sequence: 1 } });
    expect((await alerts.row('ack_s1'))!.last_sequence).toBe(1); // nothing was numbered for it
    expect((await views.get('ack_s1'))!).toMatchObject({ status: 'acknowledged', acknowledgement: { by: 'alice', at: '2026-12-01T10:01:00.000Z', until: '2026-12-01T12:00:00.000Z' } });
    expect((await alerts.appendUpdate('ack_s1', { description: 'later' })).sequence).toBe(2);
    expect((await alerts.keptEvent('ack_s1', 2))!.event.alert).toMatchObject({ status: 'acknowledged', acknowledged_by: 'alice' });

    // Acknowledged again with another until: a new acknowledgement; the timeout of the first takes back nothing.
    await alerts.appendAck('ack_s1', 'acknowledge', { by: 'alice', until: '2026-12-01T13:00:00.000Z' });
    expect(await alerts.appendAck('ack_s1', 'unacknowledge', { by: 'ack-timeout', ifAcknowledgedAt: 1 })).toMatchObject({ appended: false, newest: { sequence: 3 } });
    const taken = await alerts.appendAck('ack_s1', 'unacknowledge', { by: 'ack-timeout', ifAcknowledgedAt: 3 });
    expect(taken).toMatchObject({ appended: true, event: { sequence: 4, event_type: 'alert.unacknowledged' } });
    expect((await alerts.keptEvent('ack_s1', 4))!.event.alert).toMatchObject({ status: 'triggered', unacknowledged_by: 'ack-timeout' });
    expect((await alerts.row('ack_s1'))!.status).toBe('triggered');
    expect(await alerts.appendAck('ack_s1', 'unacknowledge', {})).toMatchObject({ appended: false });

    // Closing an acknowledged alert: the close says nothing of who was on it; later acknowledgements are refused.
    await alerts.appendAck('ack_s1', 'acknowledge', { by: 'bob' });
    expect(await alerts.appendClose('ack_s1', 'resolve', { by: 'bob' })).toMatchObject({ sequence: 6 });
    expect((await alerts.keptEvent('ack_s1', 6))!.event.alert).toMatchObject({ status: 'resolved' });
    expect((await alerts.keptEvent('ack_s1', 6))!.event.alert.acknowledged_by).toBeUndefined();
    await expect(alerts.appendAck('ack_s1', 'acknowledge', { by: 'carol' })).rejects.toThrow(AlertClosedError);
    await expect(alerts.appendAck('ack_missing', 'acknowledge', {})).rejects.toThrow(AlertNotFoundError);
  });

  test('escalation steps: each fires once however often it is asked, only while triggered; a reminder for destinations already notified', async () => {
    const alerts = new AlertStore(db);
    const views = new AlertViews(db, 'q1');
    const alert = { id: 'esc_s1', title: 'Escalate', severity: 'critical' as const, labels: {}, event: { type: 'freshness' }, links: {}, created_at: '2026-12-01T10:00:00.000Z' };
    await alerts.accept(alert, 'q1');
    const lane = (id: string) => ({ destination_id: id, name: id, type: 'webhook', rules: [] });
    await alerts.recordRouting('esc_s1', [lane('dst_first')], []);
    const policy = { id: 'esc_p', name: 'on-call', repeat: 1, repeat_after_s: 600 };
    await alerts.recordEscalation('esc_s1', {
      policy,
      steps: [
        { after_s: 0, destinations: [{ id: 'dst_first', name: 'dst_first' }], skipped: [] },
        { after_s: 300, destinations: [{ id: 'dst_second', name: 'dst_second' }], skipped: [] },
      ],
      fired: [],
    });
    const section = (step: number, repeat: number) => ({ policy_id: 'esc_p', policy_name: 'on-call', step, repeat });
    const step2 = { step: 2, repeat: 0, lanes: [lane('dst_second')], remind: [], section: section(2, 0) };
    const fired = await alerts.fireEscalationStep('esc_s1', step2, new Date('2026-12-01T10:05:00.000Z'));
    expect(fired).toMatchObject({ fired: true, step: { step: 2, repeat: 0, notified: ['dst_second'], reminded: [], joined_at_sequence: 0 } });
    expect(await alerts.fireEscalationStep('esc_s1', step2)).toEqual(fired); // a retried activity: the same answer, nothing added
    expect((await alerts.lanes('esc_s1')).map((l) => l.destination_id)).toEqual(['dst_first', 'dst_second']);
    expect((await alerts.row('esc_s1'))!.last_sequence).toBe(0);

    // A repeat's step 1 reminds the destination that already heard: one alert.escalated event.
    const reminder = await alerts.fireEscalationStep('esc_s1', { step: 1, repeat: 1, lanes: [], remind: ['dst_first'], section: section(1, 1) });
    expect(reminder).toMatchObject({ fired: true, step: { reminded: ['dst_first'], reminder_sequence: 1, joined_at_sequence: 1 } });
    expect((await alerts.keptEvent('esc_s1', 1))!.event).toMatchObject({ event_type: 'alert.escalated', escalation: section(1, 1) });
    expect((await alerts.row('esc_s1'))!.announced_sequence).toBe(1); // the answer told the workflow

    // Acknowledged: the next step does not fire, and says why.
    await alerts.appendAck('esc_s1', 'acknowledge', { by: 'alice' });
    expect(await alerts.fireEscalationStep('esc_s1', { step: 2, repeat: 1, lanes: [], remind: ['dst_second'], section: section(2, 1) })).toMatchObject({ fired: false, status: 'acknowledged' });
    expect((await alerts.row('esc_s1'))!.last_sequence).toBe(2);
    const view = (await views.get('esc_s1'))!.escalation!;
    expect(view.state).toBe('paused');
    expect(view.steps.map((s) => [s.step, s.fired.map((f) => f.repeat), s.not_fired])).toEqual([
      [1, [1], 'waits: the alert is acknowledged (repeat 1)'],
      [2, [0], 'waits: the alert is acknowledged (repeat 1)'],
    ]);
  });

  test('rules keep auto_resolve_after_s; heartbeats keep their settings, token hash and newest ping', async () => {
    const rules = new RuleStore(db);
    const rule = await rules.create({ name: `auto-${randomBytes(3).toString('hex')}`, enabled: true, match: {}, destination_ids: ['dst_a'], mute_windows: [], auto_resolve_after_s: 3600 });
    expect((await rules.get(rule.id))!.auto_resolve_after_s).toBe(3600);
    const { auto_resolve_after_s: _dropped, ...withoutSetting } = rule;
    await rules.replace(rule.id, withoutSetting);
    expect(await rules.get(rule.id)).not.toHaveProperty('auto_resolve_after_s');

    const heartbeats = new HeartbeatStore(db, 'q1');
    const name = `hb-${randomBytes(3).toString('hex')}`;
    const input = { name, interval_s: 60, grace_s: 10, alert: { severity: 'error' as const, labels: {} }, destination_ids: [] };
    const created = await heartbeats.create(input, 'hb_token', '2026-12-01T10:01:10.000Z', new Date('2026-12-01T10:00:00.000Z'));
    expect(created).toMatchObject({ name, status: 'new', interval_s: 60, misses: 0, deadline_at: '2026-12-01T10:01:10.000Z' });
    await expect(heartbeats.create(input, 'other', '2026-12-01T10:01:10.000Z')).rejects.toThrow(NameTakenError);
    expect(await heartbeats.tokenMatches(name, 'hb_token')).toBe(true);
    expect(await heartbeats.tokenMatches(name, 'hb_tokex')).toBe(false);
    expect(await new HeartbeatStore(db, 'q2').get(name)).toBeUndefined(); // another Herald's
    await heartbeats.recordPing(name, '2026-12-01T10:05:00.000Z', '2026-12-01T10:06:10.000Z');
    await heartbeats.recordPing(name, '2026-12-01T10:04:00.000Z', '2026-12-01T10:05:10.000Z'); // older: changes nothing
    expect(await heartbeats.get(name)).toMatchObject({ last_ping_at: '2026-12-01T10:05:00.000Z', deadline_at: '2026-12-01T10:06:10.000Z' });
    await heartbeats.markDown(name, `heartbeat-${name}-1`, 1);
    expect(await heartbeats.get(name)).toMatchObject({ status: 'down', alert_id: `heartbeat-${name}-1`, misses: 1 });
    await heartbeats.markUp(name);
    expect(await heartbeats.get(name)).not.toHaveProperty('alert_id');
    expect(await heartbeats.delete(name)).toBe(true);
  });
});

test('PostgreSQL migrations race safely when several processes start at once', async () => {
  const url = await freshDatabase();
  const dbs = [openPostgres(url), openPostgres(url), openPostgres(url)];
  try {
    const applied = await Promise.all(dbs.map((d) => migrateToLatest(d)));
    expect(applied.flat().sort()).toEqual(Object.keys(migrations).sort());
  } finally {
    await Promise.all(dbs.map((d) => d.destroy()));
  }
});

test('Herald’s API and worker on PostgreSQL: a destination, an alert, a delivery', async () => {
  const { startHerald } = await import('../support/herald');
  const { Receiver } = await import('../support/receiver');
  const receiver = await Receiver.start();
  const herald = await startHerald({ env: { DATABASE_URL: await freshDatabase() } });
  try {
    const destination = await herald.call('POST', '/v1/destinations', { name: 'pg-hook', type: 'webhook', config: { url: receiver.url(), auth: { type: 'bearer', token: 'pg-bearer-token' } } });
    expect(destination.status).toBe(201);
    expect((await herald.call('POST', '/v1/alerts', { id: 'pg_1', title: 'On PostgreSQL', destinations: [destination.body.id] })).status).toBe(202);
    const [got] = await receiver.waitFor(1);
    expect(got!.headers.authorization).toBe('Bearer pg-bearer-token');
    expect(JSON.parse(got!.body).alert.id).toBe('pg_1');
  } finally {
    await herald.stop();
    await receiver.close();
  }
});
