// A destination's circuit breaker (README "Circuit breaker"), shared by every alert and worker
// through the store: after `failure_threshold` failed attempts in a row the circuit opens and lanes
// to the destination wait instead of sending; once `cooldown_s` has passed one attempt at a time
// may go through as a probe (half-open); its success closes the circuit, its failure opens it again
// for twice as long (at most `max_cooldown_s`). When a probe fails after the outage has lasted
// `disable_after_s`, the destination is disabled (it needs attention). Pure: the store applies these
// transitions atomically.
import { z } from 'zod';

export const circuitPolicySchema = z.strictObject({
  failure_threshold: z.number().int().min(0).max(10_000).default(20).describe('Failed attempts in a row (across all alerts) that open the circuit; 0 never opens it'),
  cooldown_s: z.number().int().min(1).max(3600).default(30).describe('How long the circuit stays open before a probe'),
  max_cooldown_s: z.number().int().min(1).max(86_400).default(120).describe('The longest open period, as failed probes double it'),
  disable_after_s: z
    .number()
    .int()
    .min(0)
    .max(90 * 86_400)
    .default(5 * 86_400)
    .describe('After an outage this long (the circuit open all along, every probe failed) the destination is disabled until changed; 0 never disables'),
});
export type CircuitPolicy = z.infer<typeof circuitPolicySchema>;
export const DEFAULT_CIRCUIT_POLICY: CircuitPolicy = circuitPolicySchema.parse({});

export const CIRCUIT_STATES = ['closed', 'open', 'half_open'] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

export type Circuit = {
  state: CircuitState;
  /** When the circuit entered its state. */
  since: string;
  /** While not closed: when the outage began (the circuit first opened; failed probes keep it). */
  outage_since?: string;
  consecutive_failures: number;
  last_error?: string;
  /** While open: when a probe may go. */
  next_probe_at?: string;
  /** The open period now in force (doubles with each failed probe). */
  cooldown_s: number;
  /** The delivery id allowed to probe, and until when its probe counts as in flight. */
  prober?: string;
  probe_until?: string;
};

export const closedCircuit = (at: Date): Circuit => ({ state: 'closed', since: at.toISOString(), consecutive_failures: 0, cooldown_s: 0 });

/** Whether an attempt may be sent: always through a closed circuit; through an open one only as the probe. */
export type Admission = { admit: true; probe: boolean } | { admit: false; until: string; probe_owner: boolean };

/**
 * Judged for one attempt (`deliveryId`) at `at`, with `probeLeaseMs` the longest an attempt can take.
 * Returns the circuit to write when it changes (the attempt became the probe, or was named the next prober).
 */
export function admit(circuit: Circuit, deliveryId: string, at: Date, probeLeaseMs: number, backstopMs: number): { admission: Admission; next?: Circuit } {
  if (circuit.state === 'closed') return { admission: { admit: true, probe: false } };
  const now = at.getTime();
  const probeDue = circuit.next_probe_at !== undefined && Date.parse(circuit.next_probe_at) <= now;
  const probeInFlight = circuit.state === 'half_open' && circuit.probe_until !== undefined && Date.parse(circuit.probe_until) > now;
  const mine = circuit.prober === deliveryId;
  const proberGone = circuit.prober === undefined || (circuit.probe_until !== undefined && Date.parse(circuit.probe_until) <= now);
  if (probeDue && (!probeInFlight || mine) && (mine || proberGone)) {
    const next: Circuit = { ...circuit, state: 'half_open', prober: deliveryId, probe_until: new Date(now + probeLeaseMs).toISOString() };
    return { admission: { admit: true, probe: true }, next };
  }
  const probeAt = circuit.next_probe_at ?? new Date(now).toISOString();
  if (!probeInFlight && (mine || proberGone)) {
    // This attempt probes when the cooldown is over; until then the lease runs to that time and a little after.
    const next: Circuit = { ...circuit, prober: deliveryId, probe_until: new Date(Math.max(Date.parse(probeAt), now) + probeLeaseMs).toISOString() };
    return { admission: { admit: false, until: probeAt, probe_owner: true }, next };
  }
  // Someone else probes: wait to be told the circuit closed, or look again after the backstop.
  const after = Math.max(Date.parse(probeAt), circuit.probe_until ? Date.parse(circuit.probe_until) : 0, now) + backstopMs;
  return { admission: { admit: false, until: new Date(after).toISOString(), probe_owner: false } };
}

/** What an attempt's outcome means to the circuit. `neutral`: the receiver answered, but that says nothing of its health (a 4xx). */
export type AttemptVerdict = 'success' | 'failure' | 'neutral';

/** `disabled`: a failed probe after `disable_after_s` of outage; the destination needs attention now. */
export type Transition = 'opened' | 'reopened' | 'closed' | 'disabled' | undefined;

/** The circuit after an attempt, and the transition it made (for operational events and releasing held lanes). */
export function afterAttempt(circuit: Circuit, verdict: AttemptVerdict, error: string | undefined, at: Date, policy: CircuitPolicy, probeLeaseMs: number): { next: Circuit; transition: Transition } {
  const now = at.toISOString();
  if (verdict === 'neutral') return { next: circuit, transition: undefined };
  if (verdict === 'success') {
    if (circuit.state === 'closed' && circuit.consecutive_failures === 0) return { next: circuit, transition: undefined };
    return { next: closedCircuit(at), transition: circuit.state === 'closed' ? undefined : 'closed' };
  }
  const failures = circuit.consecutive_failures + 1;
  const failed = { ...circuit, consecutive_failures: failures, ...(error !== undefined && { last_error: error }) };
  if (circuit.state === 'half_open') {
    // The probe failed: open again, twice as long; the same attempt probes next if it comes back in time.
    const cooldown = Math.min(Math.max(circuit.cooldown_s, policy.cooldown_s) * 2, policy.max_cooldown_s);
    const probeAt = at.getTime() + cooldown * 1000;
    const outageSince = circuit.outage_since ?? circuit.since;
    const disable = policy.disable_after_s > 0 && at.getTime() - Date.parse(outageSince) >= policy.disable_after_s * 1000;
    return {
      next: { ...failed, state: 'open', since: now, outage_since: outageSince, cooldown_s: cooldown, next_probe_at: new Date(probeAt).toISOString(), probe_until: new Date(probeAt + probeLeaseMs).toISOString() },
      transition: disable ? 'disabled' : 'reopened',
    };
  }
  if (circuit.state === 'closed' && policy.failure_threshold > 0 && failures >= policy.failure_threshold) {
    const cooldown = Math.min(policy.cooldown_s, policy.max_cooldown_s);
    const { prober: _p, probe_until: _u, ...rest } = failed;
    return { next: { ...rest, state: 'open', since: now, outage_since: now, cooldown_s: cooldown, next_probe_at: new Date(at.getTime() + cooldown * 1000).toISOString() }, transition: 'opened' };
  }
  return { next: failed, transition: undefined };
}
