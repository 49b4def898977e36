// The group store on SQLite and PostgreSQL: joins land in the open episode (a join after the resolve
// opens the next one), a retried join finds its place, and compose says exactly what changed.
import { AlertStore } from '../../src/store/alerts';
import type { Alert } from '../../src/domain/alert';
import type { GroupMembership } from '../../src/domain/grouping';
import { migrateToLatest, type Db } from '../../src/store/db';
import { GroupStore } from '../../src/store/groups';
import { STORE_BACKENDS } from '../support/store-backends';

const membership: GroupMembership = {
  key_id: 'grp_store_test',
  origin: { kind: 'rule', rule_id: 'rul_1', name: 'Databases' },
  key: { service: 'api' },
  policy: { by: ['service'], group_wait_s: 30, group_interval_s: 300, repeat_interval_s: 3600 },
  destination_ids: ['dst_1'],
};

const alert = (id: string, severity: Alert['severity'] = 'warning'): Alert => ({
  id,
  title: `Alert ${id}`,
  severity,
  labels: { service: 'api', host: id },
  event: { type: 'prometheus_alert', asset: { qualified_name: `host-${id}` } },
  links: {},
  created_at: new Date().toISOString(),
});

describe.each(STORE_BACKENDS)('group store on $name', (backend) => {
  let db: Db;
  let alerts: AlertStore;
  let groups: GroupStore;

  beforeAll(async () => {
    db = await backend.open();
    await migrateToLatest(db);
    alerts = new AlertStore(db);
    groups = new GroupStore(db, 'store-test');
  });
  afterAll(async () => {
    await db.destroy();
  });

  async function joined(id: string, severity: Alert['severity'] = 'warning'): Promise<string> {
    await alerts.accept(alert(id, severity), 'store-test');
    return (await groups.join(id, membership)).groupId;
  }

  test('an episode from the first join to the resolve, told exactly what changed', async () => {
    await alerts.accept(alert('s_a'), 'store-test');
    expect(await groups.join('s_a', membership)).toEqual({ groupId: 'grp_store_test.1', tell: true }); // starts the group's workflow
    const group = 'grp_store_test.1';
    await alerts.accept(alert('s_b', 'critical'), 'store-test');
    expect(await groups.join('s_b', membership)).toEqual({ groupId: group, tell: false }); // the workflow will see it when it composes
    expect(await groups.join('s_b', membership)).toEqual({ groupId: group, tell: true }); // a retried join tells again
    expect((await groups.openEpisode('grp_store_test'))!.id).toBe(group);

    expect(await groups.compose(group, 'group_wait')).toEqual({ outcome: 'notified', sequence: 0, event_type: 'group.triggered' });
    const first = (await groups.notificationBody(group, 0))!;
    expect(first.group).toMatchObject({ id: group, key: { service: 'api' }, reason: 'group_wait', firing_count: 2, resolved_count: 0, truncated: false });
    expect(first.group!.alerts.map((a) => [a.id, a.status, a.asset])).toEqual([
      ['s_a', 'firing', 'host-s_a'],
      ['s_b', 'firing', 'host-s_b'],
    ]);
    expect(first.alert).toMatchObject({ id: group, severity: 'critical', title: 'api (2 firing)', labels: { service: 'api' }, rule_name: 'Databases' });

    expect(await groups.compose(group, 'group_interval')).toEqual({ outcome: 'unchanged' });
    expect(await groups.compose(group, 'repeat_interval')).toEqual({ outcome: 'notified', sequence: 1, event_type: 'group.updated' });

    expect(await groups.leave('s_a', [group])).toEqual(['grp_store_test']); // the first change since the compose
    await alerts.accept(alert('s_c'), 'store-test');
    expect(await groups.join('s_c', membership)).toEqual({ groupId: group, tell: false });
    expect(await groups.compose(group, 'group_interval')).toEqual({ outcome: 'notified', sequence: 2, event_type: 'group.updated' });
    const update = (await groups.notificationBody(group, 2))!;
    expect(update.group!.alerts.map((a) => a.id)).toEqual(['s_b', 's_c']);
    expect(update.group!.resolved_alerts.map((a) => a.id)).toEqual(['s_a']);
    expect(update.group).toMatchObject({ firing_count: 2, resolved_count: 1 });

    expect(await groups.leave('s_b', [group])).toEqual(['grp_store_test']);
    expect(await groups.leave('s_c', [group])).toEqual([]);
    await groups.leave('s_c', [group]); // a retried leave changes nothing
    expect(await groups.compose(group, 'group_interval')).toEqual({ outcome: 'notified', sequence: 3, event_type: 'group.resolved' });
    const end = (await groups.notificationBody(group, 3))!;
    expect(end.alert).toMatchObject({ status: 'resolved', title: 'api (2 resolved)' });
    expect(end.group!.resolved_alerts.map((a) => a.id)).toEqual(['s_b', 's_c']);
    expect(await groups.openEpisode('grp_store_test')).toBeUndefined();

    // A join after the resolve opens the key's next episode.
    expect(await joined('s_d')).toBe('grp_store_test.2');
    const detail = (await groups.get(group))!;
    expect(detail).toMatchObject({ status: 'resolved', firing_count: 0, member_count: 3 });
    expect(detail.notifications.map((n) => n.event_type)).toEqual(['group.triggered', 'group.updated', 'group.updated', 'group.resolved']);
    expect((await groups.list({ limit: 10 })).map((g) => g.id)).toEqual(['grp_store_test.2', group]);
    expect(await groups.groupsOf('s_d')).toEqual([{ id: 'grp_store_test.2', name: 'Databases', status: 'firing' }]);
  });

  test('an episode whose alerts all left before its first notification ends without one', async () => {
    const quiet = { ...membership, key_id: 'grp_quiet' };
    await alerts.accept(alert('s_q'), 'store-test');
    const { groupId: group } = await groups.join('s_q', quiet);
    await groups.leave('s_q', [group]);
    expect(await groups.compose(group, 'group_wait')).toEqual({ outcome: 'ended' });
    expect((await groups.get(group))!.notifications).toEqual([]);
  });

  test('a settling group is composed only once its members have been still for settle_s', async () => {
    const settling = { ...membership, key_id: 'grp_settle', policy: { ...membership.policy, settle_s: 2 } };
    await alerts.accept(alert('st_1'), 'store-test');
    const { groupId } = await groups.join('st_1', settling, new Date('2026-12-02T10:00:00Z'));
    expect(await groups.compose(groupId, 'group_wait', new Date('2026-12-02T10:00:01Z'))).toEqual({ outcome: 'settling', until: '2026-12-02T10:00:02.000Z' });
    expect(await groups.compose(groupId, 'group_wait', new Date('2026-12-02T10:00:02Z'))).toMatchObject({ outcome: 'notified', event_type: 'group.triggered' });
  });

  test('first joins of a new episode at the same time share it', async () => {
    const racing = { ...membership, key_id: 'grp_race' };
    const ids = ['r_1', 'r_2', 'r_3', 'r_4', 'r_5', 'r_6'];
    for (const id of ids) await alerts.accept(alert(id), 'store-test');
    const joins = await Promise.all(ids.map((id) => groups.join(id, racing)));
    expect(new Set(joins.map((j) => j.groupId))).toEqual(new Set(['grp_race.1']));
    expect(joins.filter((j) => j.tell)).toHaveLength(1); // one signal-with-start for the lot
    expect((await groups.get('grp_race.1'))!).toMatchObject({ member_count: 6, firing_count: 6 });
  });
});
