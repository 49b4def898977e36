// Pruning the record of sent Slack messages, on the embedded SQLite file and on a real PostgreSQL.
import { migrateToLatest, type Db } from '../../src/store/db';
import { SentMessageStore } from '../../src/store/sent-messages';
import { STORE_BACKENDS as backends } from '../support/store-backends';

describe.each(backends)('sent messages on $name', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await backend.open();
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  test('prune forgets exactly the messages sent before the cut-off and counts them', async () => {
    const sent = new SentMessageStore(db);
    const at = (iso: string, id: string) => db.insertInto('sent_messages').values({ delivery_id: id, destination_id: 'dst_1', sent_at: new Date(iso).toISOString() }).execute();
    await at('2025-12-31T23:59:59.999Z', 'old_1');
    await at('2026-01-01T00:00:00.000Z', 'at_cut');
    await at('2026-01-01T00:00:00.001Z', 'new_1');
    await at('2019-06-30T12:00:00.000Z', 'old_2');
    await sent.record('now_1', 'dst_2'); // recorded by the store itself: now
    const cut = new Date('2026-01-01T00:00:00.000Z');

    expect(await sent.prune(cut)).toBe(2);
    for (const [id, kept] of [['old_1', false], ['old_2', false], ['at_cut', true], ['new_1', true], ['now_1', true]] as const) {
      expect(await sent.wasSent(id)).toBe(kept);
    }
    expect(await sent.prune(cut)).toBe(0); // nothing more to forget
    expect(await sent.prune(new Date(Date.now() + 60_000))).toBe(3);
    expect(await sent.wasSent('now_1')).toBe(false);
  });
});
