// Held notifications survive restarts (README "Grouping", "Silences", "Mute windows"): while a group
// waits its group_wait, while a silence holds alerts and while a mute window holds others, the worker
// is killed (SIGKILL) and the Temporal dev server is stopped and started again on the same database.
// Afterwards the group's notification goes out once, at its time, with every alert, and each silenced
// or muted alert is delivered once, after the silence's or window's end and not before.
import { buildCli, killHard, spawnWorker, stopGently, type CliProcess } from '../support/cli-process';
import { OwnDevServer } from '../support/dev-server';
import { DeliveryLedger } from '../support/delivery-ledger';
import { eventually } from '../support/eventually';
import { startHerald, type TestHerald } from '../support/herald';
import { Receiver } from '../support/receiver';
import { report } from './report';

const GROUPED = 30;
const SILENCED = 10;
const MUTED = 10;
const GROUP_WAIT_S = 25;
const SILENCE_S = 30;
const MINUTE = 60_000;

/**
 * A holding mute window open now that ends at a minute boundary (windows count in minutes) at least
 * `atLeastMs` away; two intervals when it spans midnight (UTC), as a user writes one.
 */
function windowEndingSoon(atLeastMs: number): { window: Record<string, unknown>; endsAt: number } {
  const now = Date.now();
  const start = now - (now % MINUTE);
  const endsAt = Math.ceil((now + atLeastMs) / MINUTE) * MINUTE;
  const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  const midnight = endsAt - (endsAt % 86_400_000);
  const times = midnight > start
    ? [{ times: [{ start_time: hhmm(start), end_time: '24:00' }] }, ...(endsAt > midnight ? [{ times: [{ start_time: '00:00', end_time: hhmm(endsAt) }] }] : [])]
    : [{ times: [{ start_time: hhmm(start), end_time: hhmm(endsAt) }] }];
  return { window: { name: 'fault window', action: 'hold', time_intervals: times }, endsAt };
}

let server: OwnDevServer;
let herald: TestHerald;
let receiver: Receiver;
let cli: string;
let worker: CliProcess | undefined;

beforeAll(async () => {
  server = await OwnDevServer.start('noise-temporal');
  cli = buildCli('noise-workers');
  herald = await startHerald({ worker: false, temporalAddress: server.address });
  receiver = await Receiver.start();
}, 120_000);
afterAll(async () => {
  if (worker) await stopGently(worker);
  await herald.stop();
  await server.stop();
  await receiver.close();
});

test('a group waiting its group_wait, alerts held by a silence and by a mute window survive a killed worker and a restarted Temporal', async () => {
  const hook = await herald.call('POST', '/v1/destinations', { name: 'noise-hook', type: 'webhook', config: { url: receiver.url() }, retry_schedule: [0, 1, 2, 5, 10, 30], timeout_s: 2 });
  expect(hook.status).toBe(201);
  // The window must outlast the faults below (about 15 s from here): it ends 40 to 100 s from now.
  const mute = windowEndingSoon(40_000);
  const mutedHook = await herald.call('POST', '/v1/destinations', { name: 'muted-hook', type: 'webhook', config: { url: receiver.url('/muted') }, retry_schedule: [0, 1, 2, 5, 10, 30], timeout_s: 2, mute_windows: [mute.window] });
  expect(mutedHook.status).toBe(201);
  const rule = await herald.call('POST', '/v1/rules', {
    name: 'grouped nodes',
    match: { labels: { team: 'nodes' } },
    destination_ids: [hook.body.id],
    group: { by: ['alertname'], group_wait_s: GROUP_WAIT_S, group_interval_s: 300, repeat_interval_s: 3600 },
  });
  expect(rule.status).toBe(201);
  const silenceEnds = new Date(Date.now() + SILENCE_S * 1000).toISOString();
  const silence = await herald.call('POST', '/v1/silences', { matchers: [{ name: 'team', value: 'backups' }], ends_at: silenceEnds, created_by: 'fault test' });
  expect(silence.status).toBe(201);
  worker = await spawnWorker(cli, herald.config, server.address);

  for (let i = 0; i < GROUPED; i++) {
    expect((await herald.call('POST', '/v1/alerts', { id: `noise_node_${i}`, title: 'Node down', labels: { team: 'nodes', alertname: 'NodeDown', instance: `node-${i}` } })).status).toBe(202);
  }
  for (let i = 0; i < SILENCED; i++) {
    expect((await herald.call('POST', '/v1/alerts', { id: `noise_backup_${i}`, title: `Backup ${i} failed`, labels: { team: 'backups' }, destinations: [hook.body.id] })).status).toBe(202);
  }
  for (let i = 0; i < MUTED; i++) {
    expect((await herald.call('POST', '/v1/alerts', { id: `noise_muted_${i}`, title: `Job ${i} failed`, labels: { team: 'jobs' }, destinations: [mutedHook.body.id] })).status).toBe(202);
  }
  const group = await eventually(async () => {
    const [g] = (await herald.call('GET', '/v1/groups?status=firing')).body.data;
    expect(g.member_count).toBe(GROUPED);
    return g;
  }, 60_000);
  await eventually(async () => {
    for (let i = 0; i < SILENCED; i++) expect((await herald.call('GET', `/v1/alerts/noise_backup_${i}`)).body.silenced?.silence_id).toBe(silence.body.id);
    for (let i = 0; i < MUTED; i++) expect((await herald.call('GET', `/v1/alerts/noise_muted_${i}`)).body.destinations[0].state).toBe('held');
  }, 60_000);
  expect(receiver.requests).toHaveLength(0); // nothing yet: the group waits, the silence and the window hold

  // Both faults inside the wait: the worker dies first, then Temporal goes away and comes back.
  const faultsAt = Date.now();
  await killHard(worker);
  await server.stop();
  await server.startAgain();
  worker = await spawnWorker(cli, herald.config, server.address);
  const faultsTookMs = Date.now() - faultsAt;
  expect(Date.now()).toBeLessThan(Date.parse(group.created_at) + GROUP_WAIT_S * 1000); // the faults fell inside group_wait
  expect(Date.now()).toBeLessThan(mute.endsAt); // and inside the mute window

  const ledger = new DeliveryLedger(receiver.requests);
  await receiver.waitUntil(
    () => ledger.count('group.triggered') === 1 && ledger.count('alert.triggered') === SILENCED + MUTED,
    () => `${ledger.count('group.triggered')} group notifications and ${ledger.count('alert.triggered')} of ${SILENCED + MUTED} released alerts arrived`,
    180_000,
  );
  await new Promise((r) => setTimeout(r, 3000)); // time for a duplicate to show, if one were coming

  const bodies = receiver.requests.map((r) => ({ at: r.at, body: JSON.parse(r.body) }));
  const groupNotices = bodies.filter((b) => b.body.event_type === 'group.triggered');
  expect(ledger.count('group.triggered')).toBe(1);
  expect(ledger.conflicts).toEqual([]);
  expect(groupNotices[0]!.body.group).toMatchObject({ firing_count: GROUPED, reason: 'group_wait' });
  expect(groupNotices[0]!.at).toBeGreaterThanOrEqual(Date.parse(group.created_at) + GROUP_WAIT_S * 1000 - 1000);
  const triggered = bodies.filter((b) => b.body.event_type === 'alert.triggered');
  const released = triggered.filter((b) => b.body.alert.id.startsWith('noise_backup_'));
  const unmuted = triggered.filter((b) => b.body.alert.id.startsWith('noise_muted_'));
  expect(new Set(released.map((b) => b.body.alert.id)).size).toBe(SILENCED);
  expect(new Set(unmuted.map((b) => b.body.alert.id)).size).toBe(MUTED);
  expect(ledger.count('alert.triggered')).toBe(SILENCED + MUTED);
  for (const b of released) expect(b.at).toBeGreaterThanOrEqual(Date.parse(silenceEnds));
  for (const b of unmuted) expect(b.at).toBeGreaterThanOrEqual(mute.endsAt);
  expect(bodies.filter((b) => !['group.triggered', 'alert.triggered'].includes(b.body.event_type))).toEqual([]);
  report('noise control: worker killed and temporal restarted during group_wait, a silence and a mute window', {
    grouped_alerts: GROUPED,
    group_notifications: ledger.count('group.triggered'),
    group_notified_after_first_join_s: (groupNotices[0]!.at - Date.parse(group.created_at)) / 1000,
    silenced_alerts: SILENCED,
    released_after_silence_end_s: Math.max(...released.map((b) => b.at - Date.parse(silenceEnds))) / 1000,
    muted_alerts: MUTED,
    unmuted_after_window_end_s: Math.max(...unmuted.map((b) => b.at - mute.endsAt)) / 1000,
    faults_took_ms: faultsTookMs,
    retried_duplicates: ledger.duplicates(),
  });
}, 300_000);
