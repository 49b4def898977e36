// Bad input gets a clear JSON error naming the field, and nothing starts; a Temporal that is down
// gets a 503 with Retry-After, never a 202, and the trigger is kept until its workflow starts.
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { startAlertReconciler } from '../../src/api/alert-reconciler';
import { freeLoopbackPort } from '../../src/free-port';
import { AlertStore } from '../../src/store/alerts';
import { openSqlite, type Db } from '../../src/store/db';
import { AlertWorkflows } from '../../src/temporal/alert-workflows';
import { eventually } from '../support/eventually';
import { Receiver, type Received } from '../support/receiver';
import { callApi, startHerald, type TestHerald } from '../support/herald';

describe('API errors', () => {
  let herald: TestHerald;
  let receiver: Receiver;
  let destinationId: string;

  beforeAll(async () => {
    herald = await startHerald();
    receiver = await Receiver.start();
    const res = await herald.call('POST', '/v1/destinations', { name: 'errors-hook', type: 'webhook', config: { url: receiver.url() } });
    destinationId = res.body.id;
  });
  afterAll(async () => {
    await herald.stop();
    await receiver.close();
  });

  it('requires an API key on /v1 but not on /healthz', async () => {
    expect((await callApi(herald.url, 'wrong-key-wrong-key', 'GET', '/v1/destinations')).status).toBe(401);
    const noKey = await fetch(`${herald.url}/v1/destinations`);
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect((await fetch(`${herald.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${herald.url}/readyz`)).status).toBe(200);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const res = await herald.call('POST', '/v1/alerts', '{"title": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });

  it('names every missing or mistyped field', async () => {
    const res = await herald.call('POST', '/v1/alerts', { severity: 'apocalyptic', labels: { env: 3 }, destinations: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['title', 'severity', 'labels.env', 'destinations']));
    expect(res.body.error.message).toContain('title');
  });

  it('refuses a body that is not a JSON object', async () => {
    const res = await herald.call('POST', '/v1/alerts', '[1,2]');
    expect(res.status).toBe(400);
    const text = await fetch(`${herald.url}/v1/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${herald.apiKey}`, 'content-type': 'text/plain' },
      body: 'title=x',
    });
    expect(text.status).toBe(400);
  });

  it('answers 422 for an unknown destination id and starts nothing', async () => {
    const res = await herald.call('POST', '/v1/alerts', { id: 'alert_unknown_dest', title: 'x', destinations: [destinationId, 'dst_nope'] });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'unknown_destination', details: { field: 'destinations', unknown: ['dst_nope'] } });
    expect((await herald.call('GET', '/v1/alerts/alert_unknown_dest')).status).toBe(404);
  });

  it('answers 413 for a body over 1 MiB', async () => {
    const res = await herald.call('POST', '/v1/alerts', { title: 'big', description: 'x'.repeat(1024 * 1024 + 10) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('answers 404 for unknown alerts on read, resolve and dismiss', async () => {
    for (const [method, path] of [['GET', '/v1/alerts/nope'], ['POST', '/v1/alerts/nope/resolve'], ['POST', '/v1/alerts/nope/dismiss']] as const) {
      const res = await herald.call(method, path, method === 'POST' ? {} : undefined);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('alert_not_found');
    }
  });

  it('validates destinations: fields, header injection, policy, duplicate names', async () => {
    const bad = await herald.call('POST', '/v1/destinations', {
      name: '',
      type: 'webhook',
      config: { url: 'not a url', headers: { 'X-Evil': 'a\r\nInjected: 1' }, method: 'DELETE' },
      timeout_s: 31,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['name', 'config.url', 'config.headers.X-Evil', 'config.method', 'timeout_s']),
    );
    const unknownType = await herald.call('POST', '/v1/destinations', { name: 'x', type: 'carrier-pigeon', config: {} });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.error.details[0].path).toBe('type');
    const dup = await herald.call('POST', '/v1/destinations', { name: 'errors-hook', type: 'webhook', config: { url: receiver.url() } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('name_taken');
  });

  it('refuses private and plain-http targets unless the operator allows them', async () => {
    const strict = await startHerald({ env: { HERALD_ALLOW_PRIVATE_TARGETS: 'false', HERALD_ALLOW_INSECURE_TARGETS: 'false' }, worker: false });
    try {
      const http = await strict.call('POST', '/v1/destinations', { name: 'h', type: 'webhook', config: { url: 'http://hooks.example.com/x' } });
      expect(http.status).toBe(400);
      expect(http.body.error.details[0]).toMatchObject({ path: 'config.url', message: expect.stringContaining('https') });
      const loopback = await strict.call('POST', '/v1/destinations', { name: 'l', type: 'webhook', config: { url: 'https://127.0.0.1/x' } });
      expect(loopback.status).toBe(400);
      expect(loopback.body.error.details[0].message).toMatch(/loopback/);
      const metadata = await strict.call('POST', '/v1/destinations', { name: 'm', type: 'webhook', config: { url: 'https://169.254.169.254/latest' } });
      expect(metadata.status).toBe(400);
      const ok = await strict.call('POST', '/v1/destinations', { name: 'ok', type: 'webhook', config: { url: 'https://hooks.example.com/x' } });
      expect(ok.status).toBe(201);
    } finally {
      await strict.stop();
    }
  });

  it('answers 503 with Retry-After when Temporal is unreachable, never 202, and keeps the trigger until its workflow starts', async () => {
    const port = await freeLoopbackPort(); // nothing listens here
    const down = await startHerald({ worker: false, temporalAddress: `127.0.0.1:${port}` });
    let back: TestHerald | undefined;
    let connection: Connection | undefined;
    let db: Db | undefined;
    try {
      const created = await down.call('POST', '/v1/destinations', { name: 'd', type: 'webhook', config: { url: receiver.url() } });
      const trigger = (on: TestHerald, id: string) => on.call('POST', '/v1/alerts', { id, title: `Alert ${id}`, destinations: [created.body.id] });
      for (const id of ['kept_retried', 'kept_not_retried', 'kept_updated']) {
        const res = await trigger(down, id);
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        expect(res.body.error.code).toBe('temporal_unavailable');
      }
      // Kept behind the 503 (the start may have reached Temporal all the same): the store answers for it.
      const kept = await down.call('GET', '/v1/alerts/kept_retried');
      expect(kept.status).toBe(200);
      expect(kept.body).toMatchObject({ id: 'kept_retried', status: 'triggered' });
      expect((await fetch(`${down.url}/readyz`)).status).toBe(503);
      await down.stop();

      // The same Herald again, Temporal reachable. The retried trigger starts its workflow.
      back = await startHerald({ config: down.config });
      const again = await trigger(back, 'kept_retried');
      expect(again.status).toBe(202);
      // An update for a trigger whose start is owed starts the workflow, then tells it.
      const update = await back.call('POST', '/v1/alerts/kept_updated/events', { description: 'news while unstarted' });
      expect(update.status).toBe(202);
      const updated = await receiver.waitFor(1, (r) => JSON.parse(r.body).alert.id === 'kept_updated' && r.headers['x-herald-event'] === 'alert.updated');
      expect(JSON.parse(updated[0]!.body).alert.description).toBe('news while unstarted');
      // Nobody retries the last: the reconciler's pass starts it.
      connection = await Connection.connect({ address: process.env.HERALD_TEST_TEMPORAL_ADDRESS! });
      db = openSqlite(back.config.dataDir);
      const workflows = new AlertWorkflows(new Client({ connection }), connection, back.config.taskQueue, back.config.alertMaxLifetimeMs);
      const reconciler = startAlertReconciler({ alerts: new AlertStore(db), workflows, logger: pino({ level: 'silent' }) }, { everyMs: 3_600_000, announceAfterMs: 0 });
      try {
        expect(await reconciler.once()).toBeGreaterThanOrEqual(1);
        expect(await reconciler.once()).toBe(0); // made once, owed no more
      } finally {
        await reconciler.stop();
      }
      const triggers = (id: string) => (r: Received) => JSON.parse(r.body).alert.id === id;
      await receiver.waitFor(1, triggers('kept_retried'));
      await receiver.waitFor(1, triggers('kept_not_retried'));
      for (const id of ['kept_retried', 'kept_not_retried', 'kept_updated']) {
        expect(receiver.requests.filter((r) => triggers(id)(r) && r.headers['x-herald-event'] === 'alert.triggered')).toHaveLength(1);
        await eventually(async () => expect((await back!.call('GET', `/v1/alerts/${id}`)).body).toMatchObject({ status: 'triggered', delivery_state: 'delivered' }));
      }
    } finally {
      await back?.stop();
      await db?.destroy();
      await connection?.close();
    }
  });
});
