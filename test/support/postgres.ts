// A throwaway PostgreSQL cluster for the store tests (src/cluster/postgres.ts), unless
// HERALD_TEST_DATABASE_URL points at one already.
import path from 'node:path';
import { startLocalPostgres } from '../../src/cluster/postgres';

export type TestPostgres = { url: string; stop(): void };

export function startPostgres(scratch: string, port: number): TestPostgres {
  const postgres = startLocalPostgres({ dir: path.join(scratch, 'postgres'), port, throwaway: true });
  postgres.createDatabase('herald_test');
  return { url: postgres.url('herald_test'), stop: () => postgres.stop() };
}
