// Create or edit a destination. The API checks the body with its zod schemas; its 400 field paths
// come back beside the inputs. "Send test" sends the unsaved form (new) or the saved destination (edit:
// the form only holds masked secrets).
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Busy } from '../components/Busy';
import { ErrorNote } from '../components/ErrorNote';
import { FormFields, ProblemSummary } from '../form/FormFields';
import { toBody, toValues, type Problem, type Values } from '../form/spec';
import { useAction, useLoad } from '../hooks';
import { href, navigate } from '../router';
import { DESTINATION_TYPES, TYPE_NAMES, type Destination, type DestinationType, type TestResult } from '../types';
import { destinationFields, NEW_DESTINATION } from './fields';
import { SecretNotice } from './SecretNotice';
import { TestResultView } from './TestResultView';

export function DestinationFormPage({ id }: { id?: string }) {
  const existing = useLoad(async () => (id ? api<Destination>('GET', `/destinations/${encodeURIComponent(id)}`) : undefined), [id]);
  return (
    <main>
      <h2>{id ? `Edit ${existing.data?.name ?? 'destination'}` : 'New destination'}</h2>
      <ErrorNote error={existing.error} />
      {existing.loading && <Busy label="Loading…" />}
      {!existing.loading && !existing.error && <Editor key={id ?? 'new'} existing={existing.data} />}
    </main>
  );
}

function Editor({ existing }: { existing?: Destination }) {
  const [type, setType] = useState<DestinationType>(existing?.type ?? 'webhook');
  const fields = destinationFields(type);
  const [values, setValues] = useState<Values>(() => toValues(fields, existing ?? NEW_DESTINATION));
  const [unreadable, setUnreadable] = useState<Problem[]>([]);
  const [busyLabel, setBusyLabel] = useState('');
  const [test, setTest] = useState<TestResult>();
  const [created, setCreated] = useState<Destination>();
  const action = useAction();
  const path = existing && `/destinations/${encodeURIComponent(existing.id)}`;

  /** The request body, or undefined when an input cannot be read (its problem is then shown). */
  const body = () => {
    const { body, problems } = toBody(fields, values);
    setUnreadable(problems);
    return problems.length === 0 ? body : undefined;
  };
  const run = async <T,>(label: string, call: () => Promise<T>) => {
    setBusyLabel(label);
    return action.run(call);
  };

  const changeType = (next: DestinationType) => {
    // Keep what all types share (name, delivery, filters); start the type's own settings afresh.
    const shared = Object.entries(values).filter(([p]) => !p.startsWith('config.'));
    setValues({ ...toValues(destinationFields(next), NEW_DESTINATION), ...Object.fromEntries(shared) });
    setType(next);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const input = body();
    if (!input) return;
    const saved = await run('Saving…', () => (path ? api<Destination>('PATCH', path, input) : api<Destination>('POST', '/destinations', { type, ...input })));
    if (saved && path) navigate('/destinations');
    else if (saved) setCreated(saved);
  };

  const sendTest = async () => {
    const input = path ? {} : body();
    if (!input) return;
    setTest(undefined);
    const result = await run('Sending a test event…', () => (path ? api<TestResult>('POST', `${path}/test`) : api<TestResult>('POST', '/destinations/test', { type, ...input })));
    if (result) setTest(result);
  };

  if (created) {
    const secret = (created.config as { signing_secret?: string }).signing_secret;
    return (
      <>
        <p role="status">Destination {created.name} was created.</p>
        {secret && <SecretNotice secret={secret} note="Its signing secret, shown once: receivers verify deliveries with it." />}
        <p>
          <a class="button" href={href('/destinations')}>
            Back to destinations
          </a>
        </p>
      </>
    );
  }

  const error = action.error;
  const problems = [...unreadable, ...(error instanceof ApiError ? error.fields : [])];
  return (
    <form onSubmit={save} noValidate>
      <ProblemSummary problems={problems} message={error?.message} />
      {!existing && (
        <p class="field">
          <label for="field-type">Type</label>
          <select id="field-type" value={type} onChange={(e) => changeType(e.currentTarget.value as DestinationType)}>
            {DESTINATION_TYPES.map((t) => (
              <option key={t} value={t}>
                {TYPE_NAMES[t]}
              </option>
            ))}
          </select>
        </p>
      )}
      <FormFields fields={fields} values={values} problems={problems} onChange={setValues} />
      <p class="buttons">
        <button class="primary" disabled={action.busy}>
          {existing ? 'Save changes' : 'Create destination'}
        </button>{' '}
        <button type="button" disabled={action.busy} onClick={sendTest}>
          {existing ? 'Send test (saved settings)' : 'Send test'}
        </button>{' '}
        <a href={href('/destinations')}>Cancel</a>
      </p>
      {action.busy && <Busy label={busyLabel} />}
      {test && <TestResultView result={test} title="Test result" />}
    </form>
  );
}
