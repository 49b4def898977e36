// Destination and rule names are unique in the database, so two concurrent creates cannot both win;
// the loser's driver error becomes a NameTakenError the API answers with 409.

/** The resources whose names are unique. */
export type NamedKind = 'destination' | 'rule' | 'heartbeat' | 'escalation policy';

export class NameTakenError extends Error {
  constructor(kind: NamedKind, name: string) {
    super(`${kind === 'escalation policy' ? 'an' : 'a'} ${kind} named "${name}" already exists`);
  }
}

// By code, not message text: messages differ between drivers and versions. PostgreSQL reports every
// unique violation (names and primary keys alike) as 23505; better-sqlite3 names a primary-key clash
// differently, and ids are random, so in practice only the name constraint is ever hit.
const UNIQUE_VIOLATION_CODES = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE']);

/** Runs a write, turning the database's unique-name violation into a NameTakenError. */
export async function uniqueName(kind: NamedKind, name: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (err) {
    if (UNIQUE_VIOLATION_CODES.has(String((err as { code?: unknown }).code))) throw new NameTakenError(kind, name);
    throw err;
  }
}
