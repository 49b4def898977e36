// Destinations' circuits (README "Circuit breaker"): the only code that reads or writes
// destination_circuits. Every worker shares them through the store; each change is judged under the
// row's lock (src/domain/circuit.ts says what changes), so two workers never both probe.
import { admit, afterAttempt, closedCircuit, type Admission, type AttemptVerdict, type Circuit, type CircuitPolicy, type CircuitState, type Transition } from '../domain/circuit';
import type { Db, DestinationCircuitRow } from './db';

/** How long a lane whose attempt was refused (and is not the next prober) waits before looking again, unless released first. */
export const CIRCUIT_BACKSTOP_MS = 5 * 60_000;

export type RecordedTransition = { transition: NonNullable<Transition>; outageSince: string; circuit: Circuit };

export class CircuitStore {
  constructor(private readonly db: Db) {}

  /** The circuit as it stands; a destination that never failed has a closed one. */
  async get(destinationId: string, at = new Date()): Promise<Circuit> {
    const row = await this.db.selectFrom('destination_circuits').selectAll().where('destination_id', '=', destinationId).executeTakeFirst();
    return row ? circuitOf(row) : closedCircuit(at);
  }

  async getMany(destinationIds: readonly string[]): Promise<Map<string, Circuit>> {
    if (destinationIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('destination_circuits').selectAll().where('destination_id', 'in', [...destinationIds]).execute();
    return new Map(rows.map((row) => [row.destination_id, circuitOf(row)]));
  }

  /** May this attempt be sent? `seen`: the circuit as read just before (a closed one needs no lock). */
  async admit(destinationId: string, deliveryId: string, at: Date, probeLeaseMs: number, seen: Circuit): Promise<Admission> {
    if (seen.state === 'closed') return { admit: true, probe: false };
    return this.change(destinationId, at, (circuit) => {
      const judged = admit(circuit, deliveryId, at, probeLeaseMs, CIRCUIT_BACKSTOP_MS);
      return { next: judged.next, result: judged.admission };
    });
  }

  /**
   * Writes down what an attempt says of the destination's health; returns the transition it made, with
   * the outage it belongs to (when it began) and the circuit after it.
   */
  async recordAttempt(destinationId: string, verdict: AttemptVerdict, error: string | undefined, at: Date, policy: CircuitPolicy, probeLeaseMs: number, seen: Circuit): Promise<RecordedTransition | undefined> {
    if (verdict === 'neutral' || (verdict === 'success' && seen.state === 'closed' && seen.consecutive_failures === 0)) return undefined; // the healthy path writes nothing
    return this.change(destinationId, at, (circuit) => {
      const { next, transition } = afterAttempt(circuit, verdict, error, at, policy, probeLeaseMs);
      const outageSince = circuit.outage_since ?? next.outage_since ?? circuit.since;
      return { next, result: transition && { transition, outageSince, circuit: next } };
    });
  }

  /** Back to closed by hand: the destination was changed (a PATCH), so whatever failed may work now. */
  async reset(destinationId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('destination_circuits').where('destination_id', '=', destinationId).where('state', '!=', 'closed').executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async forget(destinationId: string): Promise<void> {
    await this.db.deleteFrom('destination_circuits').where('destination_id', '=', destinationId).execute();
  }

  /** Destinations by circuit state, for the metrics. */
  async countByState(): Promise<Record<CircuitState, number>> {
    const rows = await this.db.selectFrom('destination_circuits').select(['state']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('state').execute();
    const counts: Record<CircuitState, number> = { closed: 0, open: 0, half_open: 0 };
    for (const row of rows) counts[row.state as CircuitState] = Number(row.n);
    return counts;
  }

  /** Reads the circuit under its row's lock, lets `decide` judge it, writes what it returns. */
  private async change<T>(destinationId: string, at: Date, decide: (circuit: Circuit) => { next: Circuit | undefined; result: T }): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      // A write first, so SQLite takes its write lock before the read (PostgreSQL: the row's lock).
      const fresh = closedCircuit(at);
      await trx
        .insertInto('destination_circuits')
        .values(rowOf(destinationId, fresh))
        .onConflict((oc) => oc.column('destination_id').doUpdateSet((eb) => ({ state: eb.ref('destination_circuits.state') })))
        .execute();
      const row = await trx.selectFrom('destination_circuits').selectAll().where('destination_id', '=', destinationId).executeTakeFirstOrThrow();
      const { next, result } = decide(circuitOf(row));
      if (next) {
        const { destination_id: _id, ...values } = rowOf(destinationId, next);
        await trx.updateTable('destination_circuits').set(values).where('destination_id', '=', destinationId).execute();
      }
      return result;
    });
  }
}

function circuitOf(row: DestinationCircuitRow): Circuit {
  return {
    state: row.state as CircuitState,
    since: row.since,
    consecutive_failures: Number(row.consecutive_failures),
    cooldown_s: Number(row.cooldown_s),
    ...(row.last_error !== null && { last_error: row.last_error }),
    ...(row.next_probe_at !== null && { next_probe_at: row.next_probe_at }),
    ...(row.prober !== null && { prober: row.prober }),
    ...(row.probe_until !== null && { probe_until: row.probe_until }),
    ...(row.outage_since !== null && { outage_since: row.outage_since }),
  };
}

function rowOf(destinationId: string, c: Circuit): DestinationCircuitRow {
  return {
    destination_id: destinationId,
    state: c.state,
    since: c.since,
    consecutive_failures: c.consecutive_failures,
    last_error: c.last_error ?? null,
    next_probe_at: c.next_probe_at ?? null,
    cooldown_s: c.cooldown_s,
    prober: c.prober ?? null,
    probe_until: c.probe_until ?? null,
    outage_since: c.outage_since ?? null,
  };
}
