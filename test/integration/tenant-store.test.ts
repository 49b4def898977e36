// Tenants in the store (README "Serving your customers"), on the embedded SQLite file and on a real
// PostgreSQL: rows from before migration 0022 belong to the default tenant, names are unique per
// tenant, tenant keys are found by digest only, and routing sees only the alert's tenant's rules and destinations.
import { randomBytes } from 'node:crypto';
import { Migrator, type Kysely } from 'kysely';
import { DEFAULT_CIRCUIT_POLICY } from '../../src/domain/circuit';
import { keyDigest } from '../../src/domain/key-digest';
import { chooseRoutes } from '../../src/activities/routing';
import type { Alert } from '../../src/domain/alert';
import { migrateToLatest, type Db } from '../../src/store/db';
import { DestinationStore } from '../../src/store/destinations';
import { EscalationPolicyStore } from '../../src/store/escalation-policies';
import { migrations } from '../../src/store/migrations';
import { RuleStore } from '../../src/store/rules';
import { SecretBox } from '../../src/store/secret-box';
import { TenantKeyStore } from '../../src/store/tenant-keys';
import { TenantPortalStore } from '../../src/store/tenant-portals';
import { TenantIdTakenError, TenantStore } from '../../src/store/tenants';
import { AlertStore } from '../../src/store/alerts';
import { GroupStore } from '../../src/store/groups';
import { alertKeyFor } from '../../src/domain/alert';
import type { GroupMembership } from '../../src/domain/grouping';
import { NameTakenError } from '../../src/store/unique-name';
import { STORE_BACKENDS as backends } from '../support/store-backends';

const webhook = (name: string) => ({
  name,
  type: 'webhook' as const,
  enabled: true,
  config: { url: 'https://hooks.example.com/x', method: 'POST' as const, headers: {}, auth: { type: 'none' as const }, response_validators: [] },
  retry_schedule: [0, 60],
  timeout_s: 10,
  mute_windows: [],
  circuit_breaker: DEFAULT_CIRCUIT_POLICY,
  rate_limit: null,
  filters: {},
});
const everything = (name: string, destination_ids: string[]) => ({ name, enabled: true, match: {}, destination_ids, mute_windows: [] });
const alert = (id: string): Alert => ({ id, title: 't', severity: 'critical', labels: {}, event: { type: 'generic' }, links: {}, created_at: new Date().toISOString() }) as Alert;

describe.each(backends)('tenants in the store on $name', (backend) => {
  let db: Db;
  let box: SecretBox;
  beforeAll(async () => {
    db = await backend.open();
    box = new SecretBox([randomBytes(32)]);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  test('rows from before the tenants migration belong to the default tenant, their columns kept', async () => {
    const names = Object.keys(migrations);
    const before = names[names.indexOf('0022_tenants') - 1]!;
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const { error } = await migrator.migrateTo(before);
    expect(error).toBeUndefined();
    // Rows as the code before 0022 wrote them (no tenant_id column yet), every column set.
    const at = '2026-12-01T10:00:00.000Z';
    const config = { url: 'https://hooks.example.com/old', method: 'POST', headers: {}, auth: { type: 'none' }, response_validators: [] };
    const old = db as unknown as Kysely<any>; // the schema type is of today's tables
    await old.insertInto('destinations').values({ id: 'dst_old', name: 'before-tenants', type: 'webhook', enabled: 1, config: box.seal(JSON.stringify(config)), retry_schedule: '[0,60]', timeout_s: 10, filters: '{"severities":["critical"]}', needs_attention: 'gone', mute_windows: '[]', circuit_breaker: '{}', rate_limit: 'null', created_at: at, updated_at: at }).execute();
    await old.insertInto('rules').values({ id: 'rul_old', name: 'before-tenants', enabled: 1, match: '{}', destination_ids: '["dst_old"]', grouping: null, mute_windows: '[]', auto_resolve_after_s: 600, escalation_policy_id: 'esc_old', created_at: at, updated_at: at }).execute();
    await old.insertInto('escalation_policies').values({ id: 'esc_old', name: 'before-tenants', settings: JSON.stringify({ steps: [{ after_s: 0, destination_ids: ['dst_old'] }], repeat: 0 }), created_at: at, updated_at: at }).execute();

    expect(await migrateToLatest(db)).toEqual(names.slice(names.indexOf('0022_tenants')));
    expect(await new TenantStore(db).list()).toEqual([expect.objectContaining({ id: 'default', name: 'Default', ingest_per_second: null, max_destinations: null, retention_days: null })]);
    expect(await new DestinationStore(db, box).forTenant('default').get('dst_old')).toMatchObject({ name: 'before-tenants', config, filters: { severities: ['critical'] }, needs_attention: 'gone', created_at: at });
    expect(await new RuleStore(db).forTenant('default').get('rul_old')).toMatchObject({ destination_ids: ['dst_old'], auto_resolve_after_s: 600, escalation_policy_id: 'esc_old' });
    expect(await new EscalationPolicyStore(db).forTenant('default').get('esc_old')).toMatchObject({ name: 'before-tenants', repeat: 0 });
    for (const table of ['destinations', 'rules', 'escalation_policies'] as const) {
      expect((await db.selectFrom(table).select('tenant_id').execute()).map((r) => r.tenant_id)).toEqual(['default']);
    }
  });

  test('tenants: ids given or made, taken ids refused, rows owned counted', async () => {
    const tenants = new TenantStore(db);
    const acme = await tenants.create({ id: `acme-${backend.name.toLowerCase()}`, name: 'Acme', max_destinations: 5 });
    const made = await tenants.create({ name: 'Made up' });
    expect(made.id).toMatch(/^ten_[0-9a-f]{20}$/);
    await expect(tenants.create({ id: acme.id, name: 'again' })).rejects.toThrow(TenantIdTakenError);
    expect(await tenants.update(acme.id, { retention_days: 30 })).toMatchObject({ id: acme.id, name: 'Acme', max_destinations: 5, retention_days: 30 });
    expect(await tenants.update('nobody', { name: 'x' })).toBeUndefined();
    expect(await tenants.ownedRows(acme.id)).toEqual({});
    await new DestinationStore(db, box).forTenant(acme.id).create(webhook('owned'));
    expect(await tenants.ownedRows(acme.id)).toEqual({ destinations: 1 });
    expect(await tenants.delete(made.id)).toBe(true);
    expect(await tenants.get(made.id)).toBeUndefined();
  });

  test('names are unique per tenant; a tenant store never sees, changes or deletes another tenant\'s rows', async () => {
    const tenants = new TenantStore(db);
    const [a, b] = await Promise.all([tenants.create({ name: 'A' }), tenants.create({ name: 'B' })]);
    const all = new DestinationStore(db, box);
    const [da, db_] = [all.forTenant(a.id), all.forTenant(b.id)];
    const inA = await da.create(webhook('Slack'));
    const inB = await db_.create(webhook('Slack')); // the same name in another tenant
    await expect(da.create(webhook('Slack'))).rejects.toThrow(NameTakenError);
    expect((await da.list()).map((d) => d.id)).toEqual([inA.id]);
    expect(await da.get(inB.id)).toBeUndefined();
    expect(await da.getMany([inA.id, inB.id])).toEqual([inA]);
    expect(await da.replace(inB.id, webhook('taken over'))).toBeUndefined();
    expect(await da.delete(inB.id)).toBe(false);
    expect(await db_.get(inB.id)).toMatchObject({ name: 'Slack' });
    expect(await all.get(inB.id)).toMatchObject({ id: inB.id }); // workers reach any destination by id

    const rules = new RuleStore(db);
    const ra = await rules.forTenant(a.id).create(everything('route all', [inA.id]));
    await rules.forTenant(b.id).create(everything('route all', [inB.id]));
    await expect(rules.forTenant(a.id).create(everything('route all', []))).rejects.toThrow(NameTakenError);
    expect(await rules.forTenant(b.id).get(ra.id)).toBeUndefined();
    expect(await rules.forTenant(b.id).delete(ra.id)).toBe(false);
    expect((await rules.forTenant(a.id).list()).map((r) => r.id)).toEqual([ra.id]);
  });

  test("routing: an alert goes only by its tenant's rules, to its tenant's destinations", async () => {
    const tenants = new TenantStore(db);
    const [a, b] = await Promise.all([tenants.create({ name: 'A' }), tenants.create({ name: 'B' })]);
    const destinations = new DestinationStore(db, box);
    const rules = new RuleStore(db);
    const inA = await destinations.forTenant(a.id).create(webhook('a-hook'));
    const inB = await destinations.forTenant(b.id).create(webhook('b-hook'));
    await rules.forTenant(a.id).create(everything('a routes all', [inA.id]));
    await rules.forTenant(b.id).create(everything('b routes all', [inB.id]));
    // A rule naming another tenant's destination (the API refuses one; the store might hold one): skipped as missing.
    await rules.forTenant(a.id).create(everything('a names b', [inB.id]));

    const routing = { rules: new RuleStore(db), destinations };
    const routed = await chooseRoutes(routing, alert('same-id'), [], a.id);
    expect(routed.routes.map((r) => [r.destination_id, r.rules.map((x) => x.name)])).toEqual([[inA.id, ['a routes all']]]);
    expect(routed.skipped).toEqual([{ destination_id: inB.id, reason: 'destination does not exist' }]);
    // Named by the alert itself: the same.
    expect((await chooseRoutes(routing, alert('same-id'), [inA.id], b.id)).skipped).toEqual([{ destination_id: inA.id, reason: 'destination does not exist' }]);
    expect((await chooseRoutes(routing, alert('same-id'), [], b.id)).routes.map((r) => r.destination_id)).toEqual([inB.id]);
    // The default tenant's routing sees neither.
    const byDefault = await chooseRoutes(routing, alert('same-id'), [], 'default');
    expect(byDefault.routes.map((r) => r.destination_id)).not.toEqual(expect.arrayContaining([inA.id]));
    expect(byDefault.routes.map((r) => r.destination_id)).not.toEqual(expect.arrayContaining([inB.id]));
  });

  test('purge: every row the tenant owns and those hanging off them go, with its keys; another tenant\'s stay', async () => {
    const tenants = new TenantStore(db);
    const t = await tenants.create({ name: 'Purged' });
    const other = await tenants.create({ name: 'Kept' });
    await new TenantKeyStore(db).create(t.id, ['admin']);
    const dst = await new DestinationStore(db, box).forTenant(t.id).create(webhook('mine'));
    const kept = await new DestinationStore(db, box).forTenant(other.id).create(webhook('mine'));
    await new RuleStore(db).forTenant(t.id).create(everything('all', [dst.id]));
    const alerts = new AlertStore(db);
    const mine = alertKeyFor(t.id, 'a');
    const theirs = alertKeyFor(other.id, 'a');
    await alerts.accept(alert('a'), 'tq', { key: mine, tenant: t.id });
    await alerts.accept(alert('a'), 'tq', { key: theirs, tenant: other.id });
    expect(await tenants.openAlertKeys(t.id)).toEqual([mine]);
    expect(await tenants.workLeft(t.id)).toEqual({ open_alerts: 1, finishing_alerts: 0, groups: 0 });
    await alerts.appendClose(mine, 'dismiss', {});
    expect(await tenants.openAlertKeys(t.id)).toEqual([]);
    // Closed, but its workflow has not finished (it still has event bodies to send).
    expect(await tenants.workLeft(t.id)).toEqual({ open_alerts: 0, finishing_alerts: 1, groups: 0 });
    await alerts.dropEventBodies(mine);
    expect(await tenants.workLeft(t.id)).toEqual({ open_alerts: 0, finishing_alerts: 0, groups: 0 });
    expect(Object.keys(await tenants.ownedRows(t.id)).sort()).toEqual(['alerts', 'destinations', 'rules']);
    // DELETE marks it first: its keys go, its paths answer as a missing tenant's, GET still shows it.
    const marked = await tenants.startDeleting(t.id, new Date('2026-12-05T12:00:00.000Z'));
    expect(marked).toMatchObject({ id: t.id, deleting_since: '2026-12-05T12:00:00.000Z' });
    expect(await tenants.exists(t.id)).toBe(false);
    expect(await db.selectFrom('tenant_keys').select('tenant_id').where('tenant_id', '=', t.id).execute()).toEqual([]);
    expect((await tenants.startDeleting(t.id, new Date('2026-12-06T00:00:00.000Z')))?.deleting_since).toBe('2026-12-05T12:00:00.000Z'); // the first mark stays

    expect(await tenants.purge(t.id)).toBe(true);
    expect(await tenants.get(t.id)).toBeUndefined();
    expect(await tenants.ownedRows(t.id)).toEqual({});
    expect(await db.selectFrom('alert_events').select('alert_id').where('alert_id', '=', mine).execute()).toEqual([]);
    expect(await db.selectFrom('tenant_keys').select('tenant_id').where('tenant_id', '=', t.id).execute()).toEqual([]);
    expect(await alerts.exists(theirs)).toBe(true);
    expect(await new DestinationStore(db, box).forTenant(other.id).get(kept.id)).toBeDefined();
    expect(await tenants.purge(t.id)).toBe(false);
  });

  test("retention: a tenant's alerts closed before the cutoff go with their rows, and its older attempts; nothing else", async () => {
    const tenants = new TenantStore(db);
    const t = await tenants.create({ name: 'Retention', retention_days: 7 });
    const alerts = new AlertStore(db);
    const old = new Date(Date.now() - 10 * 86_400_000);
    const keys = { closedOld: alertKeyFor(t.id, 'closed-old'), closedNew: alertKeyFor(t.id, 'closed-new'), open: alertKeyFor(t.id, 'open') };
    for (const [name, key] of Object.entries(keys)) await alerts.accept(alert(name), 'tq', { key, tenant: t.id });
    await alerts.accept(alert(`other-${t.id}`), 'tq'); // the default tenant's, closed long ago too
    await alerts.appendClose(keys.closedOld, 'resolve', {}, old);
    await alerts.appendClose(`other-${t.id}`, 'resolve', {}, old);
    await alerts.appendClose(keys.closedNew, 'resolve', {});
    const attempt = (alert_id: string, started_at: Date) => ({ alert_id, destination_id: 'dst_1', sequence: 0, attempt: 0, started_at: started_at.toISOString(), status_code: 200, duration_ms: 1, error: null, note: null, response_excerpt: null, validators: null });
    await db.insertInto('delivery_attempts').values([attempt(keys.closedOld, old), attempt(keys.open, old), { ...attempt(keys.open, new Date()), attempt: 1 }, attempt(`other-${t.id}`, old)]).execute();

    expect(await tenants.withRetention()).toContainEqual({ id: t.id, retention_days: 7 });
    expect(await tenants.pruneRetention(t.id, new Date(Date.now() - 7 * 86_400_000))).toEqual({ alerts: 1, attempts: 1 });
    expect(await alerts.exists(keys.closedOld)).toBe(false);
    expect(await db.selectFrom('alert_events').select('alert_id').where('alert_id', '=', keys.closedOld).execute()).toEqual([]);
    expect(await alerts.exists(keys.closedNew)).toBe(true);
    expect(await alerts.exists(keys.open)).toBe(true);
    expect(await alerts.exists(`other-${t.id}`)).toBe(true);
    const left = await db.selectFrom('delivery_attempts').select(['alert_id', 'attempt']).where('alert_id', 'in', [keys.closedOld, keys.open, `other-${t.id}`]).execute();
    expect(left.sort((a, b) => a.alert_id.localeCompare(b.alert_id))).toEqual([{ alert_id: keys.open, attempt: 1 }, { alert_id: `other-${t.id}`, attempt: 0 }].sort((a, b) => a.alert_id.localeCompare(b.alert_id)));
  });

  test("an alert is kept under its tenant's key, and the group it opens is its tenant's", async () => {
    const tenants = new TenantStore(db);
    const t = await tenants.create({ name: 'Grouping' });
    const alerts = new AlertStore(db);
    const key = alertKeyFor(t.id, 'same-id');
    expect(await alerts.accept(alert('same-id'), 'tq', { key, tenant: t.id })).toEqual({ created: true, status: 'triggered' });
    expect(await alerts.accept(alert('same-id'), 'tq')).toEqual({ created: true, status: 'triggered' }); // the default tenant's own
    expect(await alerts.documentAndTenant(key)).toMatchObject({ tenant: t.id, alert: { id: 'same-id' } }); // the document keeps the id its tenant gave
    expect(await alerts.documentAndTenant('same-id')).toMatchObject({ tenant: 'default' });
    const groups = new GroupStore(db, 'tq');
    const membership: GroupMembership = { key_id: `grp_${t.id}`, origin: { kind: 'rule', rule_id: 'rul_1', name: 'r' }, key: {}, policy: { by: [], group_wait_s: 30, group_interval_s: 300, repeat_interval_s: 3600 }, destination_ids: ['dst_1'] };
    const { groupId } = await groups.join(key, membership);
    expect((await db.selectFrom('alert_groups').select('tenant_id').where('id', '=', groupId).executeTakeFirstOrThrow()).tenant_id).toBe(t.id);
    expect(await tenants.ownedRows(t.id)).toEqual({ alerts: 1, alert_groups: 1 });
  });

  test("tenant keys: the key shown once, kept as a digest, found only by the whole key, revoked by its tenant only", async () => {
    const tenants = new TenantStore(db);
    const [a, b] = await Promise.all([tenants.create({ name: 'A' }), tenants.create({ name: 'B' })]);
    const keys = new TenantKeyStore(db);
    const created = await keys.create(a.id, ['read', 'ingest', 'read']);
    expect(created).toMatchObject({ tenant_id: a.id, scopes: ['read', 'ingest'], prefix: created.key.slice(0, 12) });
    expect(created.key).toMatch(/^hrk_[A-Za-z0-9_-]{43}$/);
    const stored = await db.selectFrom('tenant_keys').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(created.key);
    expect(stored.digest).toBe(keyDigest(created.key).toString('hex'));

    expect(await keys.find(keyDigest(created.key))).toEqual({ id: created.id, tenant_id: a.id, scopes: ['read', 'ingest'] });
    expect(await keys.find(keyDigest(`${created.key}x`))).toBeUndefined();
    expect(await keys.list(a.id)).toEqual([{ id: created.id, tenant_id: a.id, scopes: ['read', 'ingest'], prefix: created.prefix, created_at: created.created_at }]);
    expect(await keys.list(b.id)).toEqual([]);
    expect(await keys.delete(b.id, created.id)).toBe(false); // another tenant's key id
    expect(await keys.delete(a.id, created.id)).toBe(true);
    expect(await keys.find(keyDigest(created.key))).toBeUndefined();

    // Deleting a tenant revokes its keys.
    const other = await keys.create(b.id, ['admin']);
    await tenants.delete(b.id);
    expect(await keys.find(keyDigest(other.key))).toBeUndefined();
  });

  test('portal links expire by the store\'s clock; portal settings are kept per tenant (README "A portal for each customer")', async () => {
    const tenants = new TenantStore(db);
    const t = await tenants.create({ name: 'Portal' });
    let now = new Date('2030-01-01T00:00:00Z');
    const keys = new TenantKeyStore(db, () => now);
    const link = await keys.createPortalLink(t.id, 60, true);
    expect(link).toMatchObject({ tenant_id: t.id, expires_at: '2030-01-01T00:01:00.000Z', read_only: true });
    expect(await keys.find(keyDigest(link.secret))).toEqual({ id: link.id, tenant_id: t.id, scopes: ['read'], portal: true });
    expect(await keys.portalLink(link.id)).toEqual({ id: link.id, tenant_id: t.id, expires_at: link.expires_at, read_only: true });
    expect(await keys.list(t.id)).toEqual([]);
    expect(await keys.delete(t.id, link.id)).toBe(false); // not a key the tenant's key list shows
    now = new Date('2030-01-01T00:01:00Z');
    expect(await keys.find(keyDigest(link.secret))).toBeUndefined();
    expect(await keys.portalLink(link.id)).toBeUndefined();
    // The worker's prune deletes links expired before its cutoff, never an ordinary key or a live link.
    const ordinary = await keys.create(t.id, ['admin']);
    const live = await keys.createPortalLink(t.id, 3600, false);
    expect(await keys.prune(new Date('2030-01-01T00:00:59Z'))).toBe(0);
    expect(await keys.prune(new Date('2030-01-01T00:01:01Z'))).toBe(1);
    const left = await db.selectFrom('tenant_keys').select('id').where('tenant_id', '=', t.id).orderBy('id').execute();
    expect(left.map((r) => r.id).sort()).toEqual([ordinary.id, live.id].sort());

    const portals = new TenantPortalStore(db);
    expect(await portals.get(t.id)).toEqual({ portal_origins: [], portal_theme: null });
    expect(await portals.set(t.id, { portal_origins: ['https://a.example'] })).toEqual({ portal_origins: ['https://a.example'], portal_theme: null });
    expect(await portals.set(t.id, { portal_theme: { primary_color: '#000000' } })).toEqual({ portal_origins: ['https://a.example'], portal_theme: { primary_color: '#000000' } });
    expect(await portals.get(t.id)).toEqual({ portal_origins: ['https://a.example'], portal_theme: { primary_color: '#000000' } });
    await portals.delete(t.id);
    expect(await portals.get(t.id)).toEqual({ portal_origins: [], portal_theme: null });
  });
});
