// Held notifications survive restarts (README "Grouping", "Silences"): while a group waits its
// group_wait and while a silence holds alerts, the worker is killed (SIGKILL) and the Temporal dev
// server is stopped and started again on the same database. Afterwards the group's notification goes
// out once, at its time, with every alert, and each silenced alert is delivered once, after the
// silence's end and not before.
import path from 'node:path';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { buildCli, killHard, spawnWorker, stopGently, type CliProcess } from '../support/cli-process';
import { startDevServerOnFreePorts } from '../support/dev-server';
import { DeliveryLedger } from '../support/delivery-ledger';
import { eventually } from '../support/eventually';
import { startHerald, type TestHerald } from '../support/herald';
import { Receiver } from '../support/receiver';
import { report } from './report';

const GROUPED = 30;
const SILENCED = 10;
const GROUP_WAIT_S = 25;
const SILENCE_S = 30;

let server: DevServer;
let serverOptions: Parameters<typeof startDevServer>[0];
let herald: TestHerald;
let receiver: Receiver;
let cli: string;
let worker: CliProcess | undefined;

beforeAll(async () => {
  const base = { cliPath: process.env.TEMPORAL_CLI_PATH!, dataDir: path.join(process.env.HERALD_TEST_SCRATCH!, 'noise-temporal'), namespace: 'default', log: () => {} };
  server = await startDevServerOnFreePorts(base);
  serverOptions = { ...base, ...server.ports };
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

test('a group waiting its group_wait and alerts held by a silence survive a killed worker and a restarted Temporal', async () => {
  const hook = await herald.call('POST', '/v1/destinations', { name: 'noise-hook', type: 'webhook', config: { url: receiver.url() }, retry_schedule: [0, 1, 2, 5, 10, 30], timeout_s: 2 });
  expect(hook.status).toBe(201);
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
  const group = await eventually(async () => {
    const [g] = (await herald.call('GET', '/v1/groups?status=firing')).body.data;
    expect(g.member_count).toBe(GROUPED);
    return g;
  }, 60_000);
  await eventually(async () => {
    for (let i = 0; i < SILENCED; i++) expect((await herald.call('GET', `/v1/alerts/noise_backup_${i}`)).body.silenced?.silence_id).toBe(silence.body.id);
  }, 60_000);
  expect(receiver.requests).toHaveLength(0); // nothing yet: the group waits, the silence holds

  // Both faults inside the wait: the worker dies first, then Temporal goes away and comes back.
  const faultsAt = Date.now();
  await killHard(worker);
  await server.stop();
  server = await startDevServer(serverOptions);
  worker = await spawnWorker(cli, herald.config, server.address);
  const faultsTookMs = Date.now() - faultsAt;
  expect(Date.now()).toBeLessThan(Date.parse(group.created_at) + GROUP_WAIT_S * 1000); // the faults fell inside group_wait

  const ledger = new DeliveryLedger(receiver.requests);
  await receiver.waitUntil(
    () => ledger.count('group.triggered') === 1 && ledger.count('alert.triggered') === SILENCED,
    () => `${ledger.count('group.triggered')} group notifications and ${ledger.count('alert.triggered')} of ${SILENCED} released alerts arrived`,
    120_000,
  );
  await new Promise((r) => setTimeout(r, 3000)); // time for a duplicate to show, if one were coming

  const bodies = receiver.requests.map((r) => ({ at: r.at, body: JSON.parse(r.body) }));
  const groupNotices = bodies.filter((b) => b.body.event_type === 'group.triggered');
  expect(ledger.count('group.triggered')).toBe(1);
  expect(ledger.conflicts).toEqual([]);
  expect(groupNotices[0]!.body.group).toMatchObject({ firing_count: GROUPED, reason: 'group_wait' });
  expect(groupNotices[0]!.at).toBeGreaterThanOrEqual(Date.parse(group.created_at) + GROUP_WAIT_S * 1000 - 1000);
  const released = bodies.filter((b) => b.body.event_type === 'alert.triggered');
  expect(new Set(released.map((b) => b.body.alert.id)).size).toBe(SILENCED);
  expect(ledger.count('alert.triggered')).toBe(SILENCED);
  for (const b of released) expect(b.at).toBeGreaterThanOrEqual(Date.parse(silenceEnds));
  expect(bodies.filter((b) => !['group.triggered', 'alert.triggered'].includes(b.body.event_type))).toEqual([]);
  report('noise control: worker killed and temporal restarted during group_wait and a silence', {
    grouped_alerts: GROUPED,
    group_notifications: ledger.count('group.triggered'),
    group_notified_after_first_join_s: (groupNotices[0]!.at - Date.parse(group.created_at)) / 1000,
    silenced_alerts: SILENCED,
    released_after_silence_end_s: Math.max(...released.map((b) => b.at - Date.parse(silenceEnds))) / 1000,
    faults_took_ms: faultsTookMs,
    retried_duplicates: ledger.duplicates(),
  });
}, 300_000);
