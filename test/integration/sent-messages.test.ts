// Pruning the record of sent Slack messages, on the embedded SQLite file and on a real PostgreSQL.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { migrateToLatest, openPostgres, openSqlite, type Db } from '../../src/store/db';
import { SentMessageStore } from '../../src/store/sent-messages';

type Backend = { name: string; open(): Promise<Db> };

const backends: Backend[] = [
  { name: 'SQLite', open: async () => openSqlite(mkdtempSync(path.join(os.tmpdir(), 'sent-'))) },
  { name: 'PostgreSQL', open: async () => openPostgres(await freshDatabase()) },
];

/** A database of its own, as the store suite makes one. */
async function freshDatabase(): Promise<string> {
  const name = `herald_${randomBytes(6).toString('hex')}`;
  const admin = openPostgres(process.env.HERALD_TEST_DATABASE_URL!);
  await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin);
  await admin.destroy();
  const url = new URL(process.env.HERALD_TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

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
