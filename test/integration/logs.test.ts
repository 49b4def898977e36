// Structured JSON logs: every line about an alert carries its alert id and workflow id; no secret
// reaches a log line.
import { Receiver } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';
import { eventually } from '../support/eventually';

let herald: TestHerald;
let receiver: Receiver;
const lines: string[] = [];

beforeAll(async () => {
  herald = await startHerald({ logLines: lines });
  receiver = await Receiver.start();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

test('alert lines carry alert_id and workflow_id; secrets never appear', async () => {
  const hook = await herald.call('POST', '/v1/destinations', {
    name: 'log-hook',
    type: 'webhook',
    config: { url: receiver.url(), auth: { type: 'bearer', token: 'log-test-bearer-secret' } },
  });
  await herald.call('POST', '/v1/alerts', { id: 'log_1', title: 'Logged', destinations: [hook.body.id] });
  await receiver.waitFor(1);
  await herald.call('POST', '/v1/alerts/log_1/resolve', {});
  await receiver.waitFor(2);
  await herald.call('GET', '/v1/alerts/log_1');

  const parsed = await eventually(async () => {
    const all = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(all.filter((l) => l.msg === 'delivery attempt')).toHaveLength(2);
    return all;
  });
  const attempts = parsed.filter((l) => l.msg === 'delivery attempt');
  for (const line of attempts) {
    expect(line).toMatchObject({ alert_id: 'log_1', workflow_id: 'alert:log_1', destination_id: hook.body.id, destination_type: 'webhook', ok: true, status_code: 200 });
  }
  expect(attempts.map((l) => l.event_type)).toEqual(['alert.triggered', 'alert.resolved']);
  const requests = parsed.filter((l) => l.msg === 'request' && String(l.path).startsWith('/v1/alerts/log_1'));
  expect(requests.length).toBeGreaterThanOrEqual(2);
  for (const line of requests) expect(line).toMatchObject({ alert_id: 'log_1', workflow_id: 'alert:log_1' });

  const everything = lines.join('\n');
  expect(everything).not.toContain('log-test-bearer-secret');
  expect(everything).not.toContain(hook.body.config.signing_secret);
  expect(everything).not.toContain(herald.apiKey);
});
