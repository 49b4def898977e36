// The alert's escalation policy as it runs for this alert: each step, when it fired (and whom it
// notified or reminded), or why it has not (README "Escalation policies").
import { clock } from '../components/time';
import type { AlertState } from '../types';

type Escalation = NonNullable<AlertState['escalation']>;

const STATE_WORDS: Record<Escalation['state'], string> = {
  escalating: 'escalating: the next step is due',
  paused: 'paused while the alert is acknowledged',
  finished: 'finished: every step fired',
  stopped: 'stopped: the alert closed',
};

export function EscalationSteps({ escalation }: { escalation: Escalation }) {
  const { policy } = escalation;
  const names = new Map(escalation.steps.flatMap((s) => s.destinations.map((d) => [d.id, d.name] as const)));
  const named = (ids: string[]) => ids.map((id) => names.get(id) ?? id).join(', ');
  return (
    <section aria-labelledby="escalation-heading">
      <h3 id="escalation-heading">Escalation: {policy.name}</h3>
      <p>
        {STATE_WORDS[escalation.state]}
        {policy.repeat > 0 && `; the steps run ${policy.repeat + 1} times`}.
      </p>
      <ol class="escalation">
        {escalation.steps.map((step) => (
          <li key={step.step}>
            <strong>Step {step.step}</strong> after {step.after_s} s: {step.destinations.map((d) => d.name).join(', ') || 'no destination'}
            {step.skipped.length > 0 && ` (skipped: ${step.skipped.map((s) => `${s.destination_id}: ${s.reason}`).join('; ')})`}
            <ul>
              {step.fired.map((f) => (
                <li key={f.repeat}>
                  fired at {clock(f.at)}
                  {f.repeat > 0 && ` (repeat ${f.repeat})`}
                  {f.notified.length > 0 && `, notified ${named(f.notified)}`}
                  {f.reminded.length > 0 && `, reminded ${named(f.reminded)}`}
                </li>
              ))}
              {step.not_fired && <li>not fired: {step.not_fired}</li>}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}
