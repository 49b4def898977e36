// Slack has no idempotency key: a delivery that succeeded is recorded, so a retried activity with the
// same delivery id does not post it again. Real SQLite store, real receiver on loopback.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpClient } from '../../src/destinations/http-client';
import { slackProvider } from '../../src/destinations/slack';
import { buildOutboundEvent } from '../../src/domain/events';
import { migrateToLatest, openSqlite, type Db } from '../../src/store/db';
import { SentMessageStore } from '../../src/store/sent-messages';
import { Receiver } from '../support/receiver';

let db: Db;
let http: HttpClient;
let slack: Receiver;
beforeAll(async () => {
  db = openSqlite(mkdtempSync(path.join(os.tmpdir(), 'slack-once-')));
  await migrateToLatest(db);
  http = new HttpClient();
  slack = await Receiver.start();
});
afterAll(async () => {
  await http.close();
  await db.destroy();
  await slack.close();
});

test('a delivery id that was posted is not posted again; a failed one is', async () => {
  const provider = slackProvider(http, new SentMessageStore(db));
  const event = buildOutboundEvent({ id: 'a1', title: 'T', severity: 'info', labels: {}, event: { type: 'x' }, links: {}, created_at: new Date().toISOString() }, 'alert.triggered', new Date());
  const ctx = (deliveryId: string) => ({ workflowId: 'alert:a1', destinationId: 'dst_s', deliveryId, attempt: 1, timeoutMs: 2000, policy: { allowPrivate: true, allowInsecure: true } });
  const config = { webhook_url: slack.url('/services/T/B/C') };

  slack.respond(() => ({ status: 500, body: 'oops' }));
  expect((await provider.send(event, config, ctx('msg_1'))).ok).toBe(false);
  slack.respond(() => ({ status: 200, body: 'ok' }));
  expect(await provider.send(event, config, ctx('msg_1'))).toMatchObject({ ok: true, status_code: 200 });
  expect(await provider.send(event, config, ctx('msg_1'))).toMatchObject({ ok: true, note: 'already posted; not posted again' });
  expect(slack.requests).toHaveLength(2); // the failed post and the successful one; no third
  expect((await provider.send(event, config, ctx('msg_2'))).status_code).toBe(200);
  expect(slack.requests).toHaveLength(3);
});
