// Escalation policies (README "Escalation policies"): ordered steps, each notifying more
// destinations while nobody acknowledged the alert, repeated a set number of times. Pure and free
// of Node imports: the API validates with it, the alert workflow walks its schedule.
import { z } from 'zod';
import { nonBlank } from './non-blank';

const DAY_S = 86_400;

export const escalationStepSchema = z.strictObject({
  after_s: z.number().int().min(0).max(7 * DAY_S).describe('Seconds to wait after the previous step fired (step 1: after the alert triggered, or after a repeat began)'),
  destination_ids: z.array(z.string().min(1)).min(1).max(20).describe('The destinations this step notifies'),
});

export const escalationPolicyInputSchema = z
  .strictObject({
    name: nonBlank(200),
    description: z.string().max(2000).optional(),
    steps: z.array(escalationStepSchema).min(1).max(10),
    repeat: z.number().int().min(0).max(10).default(0).describe('How many times the steps run again while nobody acknowledged'),
    repeat_after_s: z.number().int().min(60).max(7 * DAY_S).optional().describe('Seconds after the last step fired before a repeat begins; required when repeat > 0'),
    ack_timeout_s: z.number().int().min(60).max(7 * DAY_S).optional().describe('An acknowledgement without `until` returns the alert to triggered after this many seconds, and the escalation goes on'),
  })
  .refine((p) => p.repeat === 0 || p.repeat_after_s !== undefined, { path: ['repeat_after_s'], message: 'required when repeat is more than 0' });

export type EscalationPolicyInput = z.infer<typeof escalationPolicyInputSchema>;
export type EscalationPolicy = EscalationPolicyInput & { id: string; created_at: string; updated_at: string };

/** Where the escalation of one alert is: the next step to fire, in which cycle (0: the first run of the steps). */
export type EscalationCursor = { cycle: number; step: number };

/** The schedule as the workflow walks it: each step's wait in ms, how often to repeat, and the pause before a repeat. */
export type EscalationTimings = { stepWaitsMs: number[]; repeat: number; repeatAfterMs: number };

/**
 * What comes after the cursor: the next step and the wait before it, measured from when the previous
 * step fired (or the escalation resumed); undefined when every step of every cycle fired.
 */
export function nextEscalationStep(timings: EscalationTimings, cursor: EscalationCursor): { cursor: EscalationCursor; waitMs: number } | undefined {
  if (cursor.step < timings.stepWaitsMs.length) return { cursor, waitMs: timings.stepWaitsMs[cursor.step]! };
  if (cursor.cycle >= timings.repeat) return undefined;
  // A repeat begins repeatAfterMs after the last step, then waits its first step's own wait.
  return { cursor: { cycle: cursor.cycle + 1, step: 0 }, waitMs: timings.repeatAfterMs + timings.stepWaitsMs[0]! };
}

/** The cursor once the step it points at fired. */
export const afterFiring = (cursor: EscalationCursor): EscalationCursor => ({ cycle: cursor.cycle, step: cursor.step + 1 });

/** How people read a step: 1-based, with the repeat when there is one. */
export const stepLabel = ({ cycle, step }: EscalationCursor): string => `step ${step + 1}${cycle > 0 ? ` (repeat ${cycle})` : ''}`;
