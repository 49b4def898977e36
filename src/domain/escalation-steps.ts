// The walk through an escalation policy's steps, as the alert workflow takes it (README "Escalation
// policies"). Kept apart from the policy's schemas (escalation.ts): workflow code imports this, and
// every module a workflow imports runs again for each alert it starts (no zod in the sandbox).
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
