// Escalation policies (README "Escalation policies"): ordered steps, each notifying more
// destinations while nobody acknowledged the alert, repeated a set number of times. Pure and free
// of Node imports: the API validates with it; the alert workflow walks its schedule with escalation-steps.ts.
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

/**
 * An alert's escalation as the read model keeps it (README "Escalation policies"): the policy as it
 * was when the alert was routed, and each step that fired. Bounded: at most 10 steps × 11 runs.
 */
export type EscalationRecord = {
  policy: EscalationView['policy'];
  steps: { after_s: number; destinations: { id: string; name: string }[]; skipped: { destination_id: string; reason: string }[] }[];
  fired: FiredStep[];
};

/**
 * One step that fired: `step` 1-based, `repeat` 0 in the first run; `notified`: destinations that heard
 * of the alert from it (their trigger), `reminded`: those that had heard before and got `alert.escalated`.
 */
export type FiredStep = { step: number; repeat: number; at: string; notified: string[]; reminded: string[]; reminder_sequence?: number; joined_at_sequence: number };

/** The alert's escalation as GET /v1/alerts/{id} shows it: each step, when it fired, or why it has not. */
export const escalationViewSchema = z.object({
  policy: z.object({ id: z.string(), name: z.string(), repeat: z.number().int(), repeat_after_s: z.number().int().optional(), ack_timeout_s: z.number().int().optional() }),
  state: z.enum(['escalating', 'paused', 'finished', 'stopped']).describe('`escalating`: steps are due; `paused`: acknowledged; `finished`: every step of every run fired; `stopped`: closed first'),
  steps: z.array(
    z.object({
      step: z.number().int(),
      after_s: z.number().int(),
      destinations: z.array(z.object({ id: z.string(), name: z.string() })),
      skipped: z.array(z.object({ destination_id: z.string(), reason: z.string() })),
      fired: z.array(z.object({ repeat: z.number().int(), at: z.string(), notified: z.array(z.string()), reminded: z.array(z.string()) })),
      not_fired: z.string().optional(),
    }),
  ),
});
export type EscalationView = z.infer<typeof escalationViewSchema>;

export function escalationView(record: EscalationRecord, status: string): EscalationView {
  const runs = record.policy.repeat + 1;
  const finished = record.fired.length >= record.steps.length * runs;
  const state = finished ? 'finished' : status === 'triggered' ? 'escalating' : status === 'acknowledged' ? 'paused' : 'stopped';
  const notFired = state === 'stopped' ? `the alert was ${status} before it was due` : state === 'paused' ? 'waits: the alert is acknowledged' : 'due later';
  return {
    policy: record.policy,
    state,
    steps: record.steps.map((step, i) => {
      const fired = record.fired.filter((f) => f.step === i + 1).map(({ step: _s, joined_at_sequence: _j, reminder_sequence: _r, ...f }) => f);
      return { step: i + 1, ...step, fired, ...(fired.length < runs && !finished && { not_fired: fired.length === 0 ? notFired : `${notFired} (repeat ${fired.length})` }) };
    }),
  };
}
