// "Where would this alert go?": an example alert run through the rules as they would be after saving.
import { useState } from 'preact/hooks';
import { Dot } from '../components/Dot';
import { FormFields } from '../form/FormFields';
import { toBody, toValues, type Values } from '../form/spec';
import type { Subject } from '../../../src/domain/routing';
import type { Destination, Rule } from '../types';
import { EXAMPLE_ALERT, EXAMPLE_FIELDS } from './fields';
import { preview } from './preview';

type Props = { rules: Rule[]; destinations: Destination[]; highlight: string };

export function RoutePreview({ rules, destinations, highlight }: Props) {
  const [values, setValues] = useState<Values>(() => toValues(EXAMPLE_FIELDS, EXAMPLE_ALERT));
  const { body, problems } = toBody(EXAMPLE_FIELDS, values);
  // The inbound alert's defaults (src/domain/alert.ts): severity warning, no labels, event type generic.
  const example = body as Partial<Subject>;
  const alert: Subject = { severity: 'warning', labels: {}, ...example, event: { type: 'generic', ...example.event } };
  const reached = problems.length === 0 ? preview(rules, destinations, alert) : [];
  return (
    <section class="panel" aria-labelledby="preview-title">
      <h3 id="preview-title">Preview: where would this alert go?</h3>
      <FormFields fields={EXAMPLE_FIELDS} values={values} problems={problems} onChange={setValues} />
      <div aria-live="polite">
        {reached.length === 0 ? (
          <p>No rule matches: the alert would reach only the destinations it names itself.</p>
        ) : (
          <ul class="preview">
            {reached.map((r) => (
              <li key={r.destination_id}>
                <Dot tone={r.sent ? 'ok' : 'off'} label={r.name} />{' '}
                {r.sent ? 'receives alert.triggered' : `is skipped: ${r.reason}`}, via {r.rules.map((n) => (n === highlight ? `${n} (this rule)` : n)).join(', ')}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
