// GET /v1/alerts lists alerts from Temporal visibility, filtered on Herald's search attributes.
import { eventually } from '../support/eventually';
import { Receiver } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';

let herald: TestHerald;
let receiver: Receiver;
const run = `r${Date.now().toString(36)}`; // the dev server is shared: keep this file's alerts apart

beforeAll(async () => {
  herald = await startHerald();
  receiver = await Receiver.start();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

test('filters by status, severity, event type, asset and destination, and pages with tokens', async () => {
  const hook = (await herald.call('POST', '/v1/destinations', { name: `list-hook-${run}`, type: 'webhook', config: { url: receiver.url() } })).body;
  const asset = `warehouse.${run}.orders`;
  const alerts = [
    { id: `${run}_a`, title: 'A', severity: 'critical', event: { type: 'schema_change', asset: { qualified_name: asset } }, destinations: [hook.id] },
    { id: `${run}_b`, title: 'B', severity: 'warning', event: { type: 'freshness_violation', asset: { qualified_name: asset } }, destinations: [hook.id] },
    { id: `${run}_c`, title: 'C', severity: 'critical', event: { type: 'schema_change', asset: { qualified_name: asset } } },
  ];
  for (const alert of alerts) expect((await herald.call('POST', '/v1/alerts', alert)).status).toBe(202);
  expect((await herald.call('POST', `/v1/alerts/${run}_c/resolve`, {})).status).toBe(202);
  await receiver.waitFor(2);

  const ids = async (query: string) => {
    const res = await herald.call('GET', `/v1/alerts?asset=${asset}&${query}`);
    expect(res.status).toBe(200);
    return (res.body.data as { id: string }[]).map((a) => a.id).sort();
  };
  await eventually(async () => expect(await ids('status=resolved')).toEqual([`${run}_c`]));
  await eventually(async () => expect(await ids('status=triggered')).toEqual([`${run}_a`, `${run}_b`]));
  expect(await ids('severity=critical')).toEqual([`${run}_a`, `${run}_c`]);
  expect(await ids('event_type=freshness_violation')).toEqual([`${run}_b`]);
  await eventually(async () => expect(await ids(`destination=list-hook-${run}`)).toEqual([`${run}_a`, `${run}_b`]));
  await eventually(async () => expect(await ids('delivery_state=delivered&severity=critical')).toEqual([`${run}_a`, `${run}_c`]));

  const listed = await herald.call('GET', `/v1/alerts?asset=${asset}&status=resolved`);
  expect(listed.body.data[0]).toMatchObject({ id: `${run}_c`, workflow_id: `alert:${run}_c`, title: 'C', status: 'resolved', severity: 'critical', event_type: 'schema_change', asset });
  expect(Date.parse(listed.body.data[0].started_at)).not.toBeNaN();

  const seen: string[] = [];
  let token: string | undefined;
  do {
    const page = await herald.call('GET', `/v1/alerts?asset=${asset}&page_size=1${token ? `&page_token=${token}` : ''}`);
    expect(page.body.data.length).toBeLessThanOrEqual(1);
    seen.push(...page.body.data.map((a: { id: string }) => a.id));
    token = page.body.next_page_token;
  } while (token);
  expect(seen.sort()).toEqual([`${run}_a`, `${run}_b`, `${run}_c`]);
});

test("lists only its own task queue's alerts: another Herald on the same namespace does not see them", async () => {
  const other = await startHerald({ worker: false });
  try {
    const asset = `warehouse.${run}.scoped`;
    expect((await herald.call('POST', '/v1/alerts', { id: `${run}_mine`, title: 'Mine', event: { type: 'schema_change', asset: { qualified_name: asset } } })).status).toBe(202);
    await eventually(async () => expect((await herald.call('GET', `/v1/alerts?asset=${asset}`)).body.data.map((a: { id: string }) => a.id)).toEqual([`${run}_mine`]));
    expect((await other.call('GET', `/v1/alerts?asset=${asset}`)).body.data).toEqual([]);
  } finally {
    await other.stop();
  }
});

test('rejects unknown filters and bad values with 400 naming them', async () => {
  const res = await herald.call('GET', "/v1/alerts?severity=apocalyptic&asset=x'y&colour=red");
  expect(res.status).toBe(400);
  expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['severity', 'asset']));
});
