// Kysely's SQLite driver prepares every query's statement afresh; Herald's queries are a few hundred
// fixed texts, so each is prepared once and reused (preparing was about a twentieth of the worker's
// main thread in a bench profile). A statement still iterating (a streamed select) is busy: then a
// fresh one is prepared for the caller, as the driver would have.
import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** More distinct texts than Herald has; the oldest goes first past it (an IN list of varying length is a new text). */
const MAX_STATEMENTS = 1000;

export function reusingStatements(sqlite: Database.Database): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => {
      statements.clear();
      sqlite.close();
    },
    prepare(sql: string): SqliteStatement {
      const kept = statements.get(sql);
      if (kept && !kept.busy) return kept;
      const statement = sqlite.prepare(sql);
      if (kept) return statement;
      if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value!);
      statements.set(sql, statement);
      return statement;
    },
  };
}
