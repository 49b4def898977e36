// With HERALD_CODEC_KEY, history holds only ciphertext, and the codec endpoint turns it back into the
// payloads the Temporal UI shows operators.
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { eventually } from '../support/eventually';
import { Receiver } from '../support/receiver';
import { startLoopbackServer, type LoopbackServer } from '../support/loopback-server';
import { startHerald, testConfig, type TestHerald } from '../support/herald';

const UI_TOKEN = randomBytes(24).toString('base64url');
const READ_KEY = 'codec-read-only-key-0123456789';
let herald: TestHerald;
let receiver: Receiver;
let connection: Connection;
let proxy: LoopbackServer;
beforeAll(async () => {
  const config = testConfig({ HERALD_CODEC_KEY: randomBytes(32).toString('base64'), HERALD_TEMPORAL_UI_URL: 'http://localhost:18233' });
  herald = await startHerald({ config: { ...config, uiCodecToken: UI_TOKEN, apiKeys: [...config.apiKeys, READ_KEY], apiKeyScopes: new Map([[READ_KEY, ['read']]]) } });
  receiver = await Receiver.start();
  connection = await Connection.connect({ address: process.env.HERALD_TEST_TEMPORAL_ADDRESS! });
  // A reverse proxy on the same host, as nginx or a sidecar would be: every request reaches Herald
  // from loopback, with the original caller in X-Forwarded-For.
  proxy = await startLoopbackServer(async (req, body, res) => {
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
    const upstream = await fetch(`${herald.url}${req.url}`, { method: req.method!, headers: { ...headers, 'x-forwarded-for': '203.0.113.7' }, ...(body && { body }) });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(await upstream.text());
  });
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
  await connection.close();
  await proxy.close();
});

test('history holds ciphertext only; the codec endpoint decodes it; the API still reads alerts', async () => {
  const hook = await herald.call('POST', '/v1/destinations', { name: 'codec-hook', type: 'webhook', config: { url: receiver.url() } });
  const title = 'Confidential: payroll table dropped';
  await herald.call('POST', '/v1/alerts', { id: 'codec_1', title, description: 'contains customer data', destinations: [hook.body.id] });
  const [delivered] = await receiver.waitFor(1);
  expect(JSON.parse(delivered!.body).alert.title).toBe(title); // receivers get plaintext
  await herald.call('POST', '/v1/alerts/codec_1/resolve', {});
  await receiver.waitFor(2);
  const state = await eventually(async () => {
    const res = await herald.call('GET', '/v1/alerts/codec_1');
    expect(res.body.status).toBe('resolved');
    return res.body;
  });
  expect(state.alert.title).toBe(title);

  // A client without the codec sees the raw history: every payload is binary/encrypted.
  // The resolve's first attempt ran in the workflow task: its history is whole once that task completed the workflow.
  const raw = await eventually(async () => {
    const history = await new Client({ connection, namespace: 'default' }).workflow.getHandle('alert:codec_1').fetchHistory();
    expect(history.events!.at(-1)!.workflowExecutionCompletedEventAttributes).toBeTruthy();
    return history;
  });
  const payloads: { metadata?: Record<string, Uint8Array>; data?: Uint8Array }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.data instanceof Uint8Array && o.metadata && typeof o.metadata === 'object' && 'encoding' in (o.metadata as object)) payloads.push(o as never);
      else Object.values(o).forEach(walk);
    }
  };
  walk(raw.events);
  const encodings = new Set(payloads.map((p) => Buffer.from(p.metadata!.encoding!).toString()));
  // The SDK's own bookkeeping in markers (a patch's id; a local activity's id, type and times) is
  // never encoded; the local activity's result, in the same marker, is.
  const bookkeeping = new Set<unknown>(
    raw.events!.flatMap((e) => {
      const details = e.markerRecordedEventAttributes?.details ?? {};
      return ['data', 'patch-data'].flatMap((key) => details[key]?.payloads ?? []);
    }),
  );
  // One per marker: routing's and each first attempt's (local activities).
  const markers = raw.events!.filter((e) => e.markerRecordedEventAttributes);
  expect(markers.length).toBeGreaterThanOrEqual(3);
  expect(bookkeeping.size).toBe(markers.length);
  // Search attributes stay readable for visibility queries; everything else is ciphertext.
  const dataPayloads = payloads.filter((p) => !p.metadata!.type && !bookkeeping.has(p));
  expect(dataPayloads.length).toBeGreaterThan(5);
  expect(new Set(dataPayloads.map((p) => Buffer.from(p.metadata!.encoding!).toString()))).toEqual(new Set(['binary/encrypted']));
  expect(encodings.has('json/plain')).toBe(true); // the search attributes
  const allBytes = dataPayloads.map((p) => Buffer.from(p.data!).toString('latin1')).join('');
  expect(allBytes).not.toContain('Confidential');
  expect(allBytes).not.toContain('customer data');
  const bookkeepingBytes = [...bookkeeping].map((p) => Buffer.from((p as { data: Uint8Array }).data).toString()).join('');
  expect(bookkeepingBytes).toContain('routeAlert');
  expect(bookkeepingBytes).not.toContain('Confidential');

  // The embedded UI's codec call: its own path (made at each `herald start`), with the UI's origin.
  const input = dataPayloads[0]!;
  const body = { payloads: [{ metadata: Object.fromEntries(Object.entries(input.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(input.data!).toString('base64') }] };
  const ui = `${herald.url}/codec/ui/${UI_TOKEN}`;
  const preflight = await fetch(`${ui}/decode`, { method: 'OPTIONS', headers: { origin: 'http://localhost:18233' } });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:18233');
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://localhost:18233', 'x-namespace': 'default', ...headers }, body: JSON.stringify(payload) });
  const decoded = await post(`${ui}/decode`, body);
  expect(decoded.status).toBe(200);
  const [plain] = ((await decoded.json()) as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads;
  expect(Buffer.from(plain!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
  expect(Buffer.from(plain!.data, 'base64').toString()).toContain('Confidential: payroll table dropped');
  expect((await post(`${herald.url}/codec/ui/${UI_TOKEN.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))}/decode`, body)).status).toBe(404);

  // Anyone else needs the API key, from loopback too, and through a reverse proxy on the same host.
  for (const origin of [herald.url, proxy.origin]) {
    for (const direction of ['decode', 'encode']) {
      const refused = await post(`${origin}/codec/${direction}`, body);
      expect(refused.status).toBe(401);
      expect(await refused.text()).not.toContain('payroll');
    }
    expect((await post(`${origin}/codec/decode`, body, { authorization: `Bearer ${herald.apiKey}` })).status).toBe(200);
    // Decrypting any payload is as much as reading every secret: a read key may not.
    expect((await post(`${origin}/codec/decode`, body, { authorization: `Bearer ${READ_KEY}` })).status).toBe(403);
  }

  // Encoding round-trips through the endpoint too.
  const encoded = await post(`${herald.url}/codec/encode`, { payloads: [plain] }, { authorization: `Bearer ${herald.apiKey}` });
  const [again] = ((await encoded.json()) as { payloads: { metadata: Record<string, string> }[] }).payloads;
  expect(Buffer.from(again!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');

  // The list reads the encrypted memo.
  await eventually(async () => {
    const list = await herald.call('GET', '/v1/alerts?status=resolved');
    expect(list.body.data.find((a: { id: string }) => a.id === 'codec_1')?.title).toBe(title);
  });
});
