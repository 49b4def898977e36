// The typed query layer over the embedded SQLite file (DESIGN.md §1). Kysely keeps the queries
// dialect-neutral so PostgreSQL can sit behind the same repositories.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool } from 'pg';
import { migrations } from './migrations';

export type DestinationRow = {
  id: string;
  name: string;
  type: string;
  enabled: number;
  config: string;
  retry_schedule: string;
  timeout_s: number;
  filters: string;
  needs_attention: string | null;
  created_at: string;
  updated_at: string;
};

export type RuleRow = {
  id: string;
  name: string;
  enabled: number;
  match: string;
  destination_ids: string;
  created_at: string;
  updated_at: string;
};

export type Schema = {
  destinations: DestinationRow;
  rules: RuleRow;
  sent_messages: { delivery_id: string; destination_id: string; sent_at: string };
};

export type Db = Kysely<Schema>;

/** PostgreSQL for scale-out: any number of api and worker processes share it. */
export function openPostgres(url: string): Db {
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: url, max: 10 }) }) });
}

export function openSqlite(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new Database(path.join(dataDir, 'herald.db'));
  // WAL lets the API and worker of one `start` process read while the other writes.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/** Safe when several processes start at once: Kysely's migrator takes a lock first. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
