// The operator CLI (`herald alerts …`, `herald destinations …`, src/operator-cli) against a running
// Herald: tables and --json from the API's answers, closes that reach the receiver, and exit codes a
// script can act on.
import { freeLoopbackPort } from '../../src/free-port';
import { runOperatorCli } from '../../src/operator-cli/main';
import { eventually } from '../support/eventually';
import { startHerald, type TestHerald } from '../support/herald';
import { Receiver } from '../support/receiver';

let herald: TestHerald;
let receiver: Receiver;
let destinationId: string;
beforeAll(async () => {
  herald = await startHerald();
  receiver = await Receiver.start();
  const created = await herald.call('POST', '/v1/destinations', { name: 'cli-hook', type: 'webhook', config: { url: receiver.url() } });
  destinationId = created.body.id;
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

async function cli(args: string[], env: NodeJS.ProcessEnv = { HERALD_URL: herald.url, HERALD_API_KEY: herald.apiKey }) {
  let out = '';
  let err = '';
  const code = await runOperatorCli(args, env, (t) => (out += t), (t) => (err += t));
  return { code, out, err };
}

test('alerts list, show and resolve: what the API holds, as a table or its JSON', async () => {
  await herald.call('POST', '/v1/alerts', { id: 'cli_1', title: 'Disk full on db-1', severity: 'critical', destinations: [destinationId] });
  await receiver.waitFor(1);

  const listed = await eventually(async () => {
    const r = await cli(['alerts', 'list', '--status', 'triggered']);
    expect(r.out).toContain('cli_1');
    return r;
  });
  expect(listed.code).toBe(0);
  expect(listed.out.split('\n')[0]).toMatch(/^ID\s+STATUS\s+DELIVERY\s+SEVERITY\s+STARTED\s+TITLE$/);
  expect(listed.out).toMatch(/cli_1\s+triggered\s+\w+\s+critical\s+\S+\s+Disk full on db-1/);

  const json = await cli(['alerts', 'list', '--json', '--severity', 'critical']);
  expect(JSON.parse(json.out).data.map((a: { id: string }) => a.id)).toContain('cli_1');

  const shown = await eventually(async () => {
    const r = await cli(['alerts', 'show', 'cli_1']);
    expect(r.out).toMatch(/cli-hook\s+webhook\s+alert\.triggered\s+delivered\s+1\s+200/);
    return r;
  });
  expect(shown.out).toContain('Temporal UI: http');

  const resolved = await cli(['alerts', 'resolve', 'cli_1', '--reason', 'disk cleaned', '--by', 'ops']);
  expect(resolved).toEqual({ code: 0, out: 'cli_1: resolve accepted\n', err: '' });
  const [, resolve] = await receiver.waitFor(2);
  expect(JSON.parse(resolve!.body)).toMatchObject({ event_type: 'alert.resolved' });

  // A second close is refused by Herald: exit 1 with its error code.
  const again = await cli(['alerts', 'dismiss', 'cli_1']);
  expect(again.code).toBe(1);
  expect(again.err).toMatch(/^herald alerts dismiss: Herald answered 409 \(\w+: /);
});

test('alerts ack and unack reach the receiver once each; an acknowledgement repeated changes nothing', async () => {
  await herald.call('POST', '/v1/alerts', { id: 'cli_ack', title: 'Queue backlog', severity: 'warning', destinations: [destinationId] });
  await eventually(async () => expect(receiver.requests.filter((r) => JSON.parse(r.body).alert?.id === 'cli_ack')).toHaveLength(1));

  expect(await cli(['alerts', 'ack', 'cli_ack', '--by', 'alice'])).toEqual({ code: 0, out: 'cli_ack: acknowledged\n', err: '' });
  expect(await cli(['alerts', 'ack', 'cli_ack', '--by', 'alice'])).toEqual({ code: 0, out: 'cli_ack: already acknowledged, nothing sent\n', err: '' });
  const events = await eventually(async () => {
    const got = receiver.requests.filter((r) => JSON.parse(r.body).alert?.id === 'cli_ack').map((r) => JSON.parse(r.body));
    expect(got).toHaveLength(2);
    return got;
  });
  expect(events[1]).toMatchObject({ event_type: 'alert.acknowledged', alert: { status: 'acknowledged', acknowledged_by: 'alice' } });

  expect(await cli(['alerts', 'unack', 'cli_ack', '--by', 'bob'])).toEqual({ code: 0, out: 'cli_ack: triggered again\n', err: '' });
  await eventually(async () => {
    const got = receiver.requests.filter((r) => JSON.parse(r.body).alert?.id === 'cli_ack').map((r) => JSON.parse(r.body).event_type);
    expect(got).toEqual(['alert.triggered', 'alert.acknowledged', 'alert.unacknowledged']);
  });
  const badUntil = await cli(['alerts', 'ack', 'cli_ack', '--until', 'tomorrow']);
  expect([badUntil.code, badUntil.err]).toEqual([1, expect.stringMatching(/Herald answered 400 .*until/)]);
});

test('destinations list and test', async () => {
  const listed = await cli(['destinations', 'list']);
  expect(listed.code).toBe(0);
  expect(listed.out).toMatch(new RegExp(`${destinationId}\\s+cli-hook\\s+webhook\\s+yes\\s+`));
  expect(listed.out).not.toMatch(/whsec_/);

  const tested = await cli(['destinations', 'test', destinationId]);
  expect(tested.code).toBe(0);
  expect(tested.out).toMatch(/^delivered in \d+ ms, HTTP 200\n$/);

  receiver.respond(() => ({ status: 500, body: 'down' }));
  const failed = await cli(['destinations', 'test', destinationId, '--json']);
  receiver.respond(() => ({ status: 200, body: 'ok' }));
  expect(failed.code).toBe(1);
  expect(JSON.parse(failed.out)).toMatchObject({ success: false, status_code: 500 });
});

test('exit codes: 2 for a wrong command line, 1 for a refusal, 3 when Herald is not there', async () => {
  expect((await cli(['alerts', 'list', '--status', 'open'])).code).toBe(2);
  expect((await cli(['alerts', 'show'])).code).toBe(2);
  expect((await cli(['alerts', 'list', '--colour'])).code).toBe(2);
  expect((await cli(['alerts', 'frobnicate'])).code).toBe(2);
  expect((await cli(['alerts', 'list'], { HERALD_URL: herald.url })).err).toMatch(/HERALD_API_KEY is not set/);
  const help = await cli(['alerts', '--help']);
  expect([help.code, help.out]).toEqual([0, expect.stringContaining('alerts resolve <id>')]);
  expect(help.out).not.toContain('silences add');
  // A command's own --help shows that command only.
  const ackHelp = await cli(['alerts', 'ack', '--help']);
  expect(ackHelp.code).toBe(0);
  expect(ackHelp.out.split('\n').filter((l) => l.startsWith('  '))).toEqual([expect.stringMatching(/^  alerts ack <id> \[--by B\] \[--until T\]/)]);
  expect((await cli(['--help'])).out).toContain('groups list');

  const missing = await cli(['alerts', 'show', 'no_such_alert']);
  expect([missing.code, missing.err]).toEqual([1, expect.stringMatching(/Herald answered 404/)]);
  const wrongKey = await cli(['destinations', 'list'], { HERALD_URL: herald.url, HERALD_API_KEY: 'not-a-key' });
  expect([wrongKey.code, wrongKey.err]).toEqual([1, expect.stringMatching(/Herald answered 401/)]);

  // A loopback port nothing listens on: unreachable.
  const port = await freeLoopbackPort();
  const down = await cli(['alerts', 'list'], { HERALD_URL: `http://127.0.0.1:${port}`, HERALD_API_KEY: 'k' });
  expect([down.code, down.err]).toEqual([3, expect.stringContaining(`cannot reach Herald at http://127.0.0.1:${port}`)]);
});

test('silences add, list and expire; groups list', async () => {
  const bad = await cli(['silences', 'add', '--matcher', 'no operator', '--hours', '1', '--by', 'oncall']);
  expect(bad.code).toBe(2);
  expect(bad.err).toContain('--matcher "no operator" must read');
  const refused = await cli(['silences', 'add', '--matcher', 'instance=~(', '--hours', '1', '--by', 'oncall']);
  expect(refused.code).toBe(1); // Herald refuses a regular expression that does not compile
  expect(refused.err).toContain('matchers.0.value');

  const created = await cli(['silences', 'add', '--matcher', 'alertname=Backup', '--matcher', 'instance=~db.*', '--hours', '2', '--by', 'oncall@example.com', '--comment', 'migration']);
  expect(created.code).toBe(0);
  const id = /^(sil_[0-9a-f]+): active until /.exec(created.out)![1]!;
  const listed = await cli(['silences', 'list', '--state', 'active']);
  expect(listed.out).toContain(id);
  expect(listed.out).toContain('alertname=Backup, instance=~db.*');
  const json = JSON.parse((await cli(['silences', 'list', '--json'])).out);
  expect(json.data.find((s: { id: string }) => s.id === id).matchers).toEqual([
    { name: 'alertname', op: '=', value: 'Backup' },
    { name: 'instance', op: '=~', value: 'db.*' },
  ]);
  const expired = await cli(['silences', 'expire', id]);
  expect(expired).toMatchObject({ code: 0, out: `${id}: expired; 0 held alerts told to look again\n` });
  expect((await cli(['silences', 'list', '--state', 'expired'])).out).toContain(id);

  const groups = await cli(['groups', 'list', '--status', 'firing']);
  expect(groups.code).toBe(0);
  expect(groups.out.split('\n')[0]).toMatch(/^ID\s+STATUS\s+FIRING\s+ALERTS\s+SENT\s+NAME\s+KEY/);
  expect((await cli(['groups', 'list', '--status', 'nope'])).code).toBe(2);
});
