// The fakes refuse what the real services refuse: requests are checked against the official contracts.
import { FakePagerDuty } from '../support/fakes/pagerduty';

let pagerduty: FakePagerDuty;
beforeAll(async () => {
  pagerduty = await FakePagerDuty.start();
});
afterAll(() => pagerduty.close());

const post = (body: unknown) =>
  fetch(`${pagerduty.url()}/v2/enqueue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('PagerDuty fake: a contract-breaking event is a 400 naming the problem', async () => {
  const res = await post({ routing_key: 'R0123456789abcdef0123456789ABCDE', event_action: 'explode', payload: { summary: 's', source: 'x' } });
  expect(res.status).toBe(400);
  const body = (await res.json()) as { errors: string[] };
  expect(body.errors.join(' ')).toMatch(/event_action|allowed values/);
  expect(body.errors.join(' ')).toMatch(/severity/);
  expect(pagerduty.contractViolations.length).toBeGreaterThan(0);
});

test('PagerDuty fake: dedup semantics like the real service', async () => {
  const key = 'R0123456789abcdef0123456789ABCDE';
  const trigger = { routing_key: key, event_action: 'trigger', dedup_key: 'k1', payload: { summary: 's', source: 'x', severity: 'info' } };
  expect((await post(trigger)).status).toBe(202);
  expect((await post(trigger)).status).toBe(202);
  expect(pagerduty.alerts.get('k1')).toMatchObject({ status: 'triggered', opened: 1 });
  expect(pagerduty.alerts.get('k1')!.events).toHaveLength(2);
  expect((await post({ routing_key: key, event_action: 'resolve', dedup_key: 'k1' })).status).toBe(202);
  expect(pagerduty.alerts.get('k1')!.status).toBe('resolved');
  await post(trigger);
  expect(pagerduty.alerts.get('k1')).toMatchObject({ status: 'triggered', opened: 2 });
});
