// Create or edit a rule, with a preview of where an example alert would go with the rule as typed.
import { portal } from '../portal';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Busy } from '../components/Busy';
import { ErrorNote } from '../components/ErrorNote';
import { FormFields, ProblemSummary } from '../form/FormFields';
import { toBody, toValues, type Problem, type Values } from '../form/spec';
import { useAction, useLoad } from '../hooks';
import { href, navigate } from '../router';
import type { Destination, EscalationPolicy, Rule } from '../types';
import { NEW_RULE, ruleFields } from './fields';
import { RoutePreview } from './RoutePreview';

type Loaded = { rule?: Rule; rules: Rule[]; destinations: Destination[]; policies: EscalationPolicy[] };

export function RuleFormPage({ id }: { id?: string }) {
  const loaded = useLoad(async (): Promise<Loaded> => {
    const [rules, destinations, policies] = await Promise.all([
      api<{ data: Rule[] }>('GET', '/rules'),
      api<{ data: Destination[] }>('GET', '/destinations'),
      // A portal link does not reach escalation policies (src/api/request-tenant.ts PORTAL_RESOURCES): none to offer there.
      portal ? { data: [] } : api<{ data: EscalationPolicy[] }>('GET', '/escalation-policies'),
    ]);
    const rule = id ? await api<Rule>('GET', `/rules/${encodeURIComponent(id)}`) : undefined;
    return { rule, rules: rules.data, destinations: destinations.data, policies: policies.data };
  }, [id]);
  return (
    <main>
      <h2>{id ? `Edit rule ${loaded.data?.rule?.name ?? ''}` : 'New rule'}</h2>
      <ErrorNote error={loaded.error} />
      {loaded.loading && <Busy label="Loading…" />}
      {loaded.data && <Editor key={id ?? 'new'} {...loaded.data} />}
    </main>
  );
}

function Editor({ rule, rules, destinations, policies }: Loaded) {
  const fields = ruleFields(destinations, policies);
  const [values, setValues] = useState<Values>(() => toValues(fields, rule ?? NEW_RULE));
  const [unreadable, setUnreadable] = useState<Problem[]>([]);
  const action = useAction();

  const draft = toBody(fields, values).body as Partial<Rule>;
  const save = async (e: Event) => {
    e.preventDefault();
    const { body, problems } = toBody(fields, values);
    setUnreadable(problems);
    if (problems.length > 0) return;
    const saved = await action.run(() => (rule ? api('PATCH', `/rules/${encodeURIComponent(rule.id)}`, body) : api('POST', '/rules', body)));
    if (saved) navigate('/rules');
  };

  // The rules as they would be after saving: this one replaced in place, or added last.
  const edited: Rule = { enabled: true, match: {}, destination_ids: [], ...draft, id: rule?.id ?? '(new rule)', name: draft.name ?? '(this rule)' };
  const after = rule ? rules.map((r) => (r.id === rule.id ? edited : r)) : [...rules, edited];
  const error = action.error;
  const problems = [...unreadable, ...(error instanceof ApiError ? error.fields : [])];
  return (
    <>
      <form onSubmit={save} noValidate>
        <ProblemSummary problems={problems} message={error?.message} />
        {destinations.length === 0 && (
          <p>
            There are no destinations yet: <a href={href('/destinations/new')}>create one</a> first.
          </p>
        )}
        <FormFields fields={fields} values={values} problems={problems} onChange={setValues} />
        <p class="buttons">
          <button class="primary" disabled={action.busy}>
            {rule ? 'Save changes' : 'Create rule'}
          </button>{' '}
          <a href={href('/rules')}>Cancel</a>
        </p>
        {action.busy && <Busy label="Saving…" />}
      </form>
      <RoutePreview rules={after} destinations={destinations} highlight={edited.name} />
    </>
  );
}
