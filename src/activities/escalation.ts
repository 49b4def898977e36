// Firing an escalation step (README "Escalation policies"): the store decides, under the alert's
// lock, whether the alert is still triggered, and records the step's new lanes and its reminder.
import type { CloseAction } from '../domain/alert';
import type { AlertStore } from '../store/alerts';
import { ackEventsOf } from '../workflows/alert/messages';
import type { AckEvent } from '../workflows/alert/state';
import type { Route } from './routing';

export type FireStepInput = {
  alertId: string;
  policyId: string;
  policyName: string;
  /** 0-based, as the workflow counts. */
  cycle: number;
  step: number;
  at: string;
  /** The step's destinations that have no lane yet: they hear of the alert from its trigger. */
  add: Route[];
  /** The step's destinations that heard of the alert before: they get an `alert.escalated` reminder. */
  remind: string[];
};

/**
 * `lastSequence`: the alert's newest event then (the added lanes skip what came before but the
 * trigger and the newest update); `reminder`: the reminder's sequence. Not fired: the alert was
 * acknowledged or closed meanwhile, and its newest news comes back.
 */
export type FireStepResult =
  | { fired: true; lastSequence: number; reminder?: number; acks: AckEvent[] }
  | { fired: false; acks: AckEvent[]; closing?: { sequence: number; action: CloseAction } };

export function createEscalationActivities({ alerts }: { alerts: AlertStore }) {
  return {
    async fireEscalationStep(input: FireStepInput): Promise<FireStepResult> {
      const firing = await alerts.fireEscalationStep(
        input.alertId,
        {
          step: input.step + 1,
          repeat: input.cycle,
          lanes: input.add.map(({ destination_id, name, type, rules }) => ({ destination_id, name, type, rules })),
          remind: input.remind,
          section: { policy_id: input.policyId, policy_name: input.policyName, step: input.step + 1, repeat: input.cycle },
        },
        new Date(input.at),
      );
      if (!firing.fired) return { fired: false, acks: ackEventsOf(firing.acks), ...(firing.closing && { closing: firing.closing }) };
      const { step } = firing;
      return { fired: true, lastSequence: step.joined_at_sequence, ...(step.reminder_sequence !== undefined && { reminder: step.reminder_sequence }), acks: ackEventsOf(firing.acks) };
    },
  };
}
