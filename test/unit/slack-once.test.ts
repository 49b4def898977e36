// Slack has no idempotency key: a delivery that succeeded is recorded, so a retried activity with the
// same delivery id does not post it again, except when it runs again between Slack's acceptance and
// the record. Real SQLite store, real receiver on loopback.
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

const event = buildOutboundEvent({ id: 'a1', title: 'T', severity: 'info', labels: {}, event: { type: 'x' }, links: {}, created_at: new Date().toISOString() }, 'alert.triggered', new Date());
const ctx = (deliveryId: string) => ({ workflowId: 'alert:a1', destinationId: 'dst_s', deliveryId, attempt: 1, timeoutMs: 2000, policy: { allowPrivate: true, allowInsecure: true } });
const config = () => ({ webhook_url: slack.url('/services/T/B/C') });

test('a delivery id that was posted is not posted again; a failed one is', async () => {
  const provider = slackProvider(http, new SentMessageStore(db));
  slack.respond(() => ({ status: 500, body: 'oops' }));
  expect((await provider.send(event, config(), ctx('msg_1'))).ok).toBe(false);
  slack.respond(() => ({ status: 200, body: 'ok' }));
  expect(await provider.send(event, config(), ctx('msg_1'))).toMatchObject({ ok: true, status_code: 200 });
  expect(await provider.send(event, config(), ctx('msg_1'))).toMatchObject({ ok: true, note: 'already posted; not posted again' });
  expect(slack.requests).toHaveLength(2); // the failed post and the successful one; no third
  expect((await provider.send(event, config(), ctx('msg_2'))).status_code).toBe(200);
  expect(slack.requests).toHaveLength(3);
});

test('between Slack accepting a post and Herald recording it, a re-run posts it again', async () => {
  slack.respond(() => ({ status: 200, body: 'ok' }));
  class StoreThatFailsToRecord extends SentMessageStore {
    override async record(): Promise<void> {
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    }
  }
  const before = slack.requests.length;
  // Slack has the message, so the attempt is delivered: failing it would make the lane post again for sure.
  const unrecorded = await slackProvider(http, new StoreThatFailsToRecord(db)).send(event, config(), ctx('msg_3'));
  expect(unrecorded).toMatchObject({ ok: true, status_code: 200, note: expect.stringMatching(/^posted, but not recorded \(database is locked\)/) });

  // Had the worker died at that point instead, Temporal would run the attempt again, and nothing
  // would tell it that Slack already has the message: the one duplicate this window allows.
  const provider = slackProvider(http, new SentMessageStore(db));
  expect(await provider.send(event, config(), ctx('msg_3'))).toMatchObject({ ok: true, status_code: 200 });
  expect(await provider.send(event, config(), ctx('msg_3'))).toMatchObject({ ok: true, note: 'already posted; not posted again' });
  expect(slack.requests.length - before).toBe(2);
});
