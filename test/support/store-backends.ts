// The two stores Herald runs on, for suites that run the same tests on each: the embedded SQLite
// file and a database of its own on the test PostgreSQL cluster (test/support/postgres.ts).
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openPostgres, openSqlite, type Db } from '../../src/store/db';

export type Backend = { name: string; open(): Promise<Db> };

export const STORE_BACKENDS: Backend[] = [
  { name: 'SQLite', open: async () => openSqlite(mkdtempSync(path.join(os.tmpdir(), 'store-'))) },
  { name: 'PostgreSQL', open: async () => openPostgres(await freshDatabase()) },
];

/** A database of its own (Kysely's migrator looks for its tables in every schema, so not a schema). */
export async function freshDatabase(): Promise<string> {
  const name = `herald_${randomBytes(6).toString('hex')}`;
  const admin = openPostgres(process.env.HERALD_TEST_DATABASE_URL!);
  await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin);
  await admin.destroy();
  const url = new URL(process.env.HERALD_TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}
