// Silences (README "Silences"): the list with each one's state, a form to add one, and Expire.
import { useState } from 'preact/hooks';
import { api, query } from '../api';
import { Busy } from '../components/Busy';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorNote } from '../components/ErrorNote';
import { useAction, useLoad } from '../hooks';

type Matcher = { name: string; op: '=' | '!=' | '=~' | '!~'; value: string };
type Silence = { id: string; matchers: Matcher[]; asset?: string; starts_at: string; ends_at: string; created_by: string; comment: string; state: string; expire_on_resolve: boolean };

/** "name op value" per line, e.g. `alertname = DiskFull` or `instance =~ db.*`. */
function parseMatchers(text: string): Matcher[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const found = /^(\S+)\s*(=~|!~|!=|=)\s*(.*)$/.exec(line);
      return found ? { name: found[1]!, op: found[2] as Matcher['op'], value: found[3]! } : { name: line, op: '=', value: '' };
    });
}

export function SilencesPage() {
  const silences = useLoad(() => api<{ data: Silence[] }>('GET', `/silences${query({})}`), []);
  const action = useAction();
  const [matchers, setMatchers] = useState('');
  const [hours, setHours] = useState('2');
  const [by, setBy] = useState('');
  const [comment, setComment] = useState('');
  const [onResolve, setOnResolve] = useState(false);

  const create = async (e: Event) => {
    e.preventDefault();
    const created = await action.run(() =>
      api('POST', '/silences', { matchers: parseMatchers(matchers), ends_at: new Date(Date.now() + Number(hours) * 3600_000).toISOString(), created_by: by, comment, expire_on_resolve: onResolve }),
    );
    if (created) {
      setMatchers('');
      setComment('');
      await silences.reload();
    }
  };

  return (
    <main>
      <h2>Silences</h2>
      <p>An alert that a silence matches when it triggers is held: nothing of it is sent until the silence ends, and then only if it still fires.</p>
      <form onSubmit={create} aria-label="New silence">
        <fieldset>
          <legend>New silence</legend>
          <label>
            Matchers <small>one per line: name = value, !=, =~ or !~ (a regular expression)</small>
            <textarea value={matchers} onInput={(e) => setMatchers((e.target as HTMLTextAreaElement).value)} rows={3} placeholder="alertname = DiskFull" />
          </label>
          <label>
            For (hours)
            <input type="number" min="0.1" step="0.1" value={hours} onInput={(e) => setHours((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Created by
            <input value={by} onInput={(e) => setBy((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Comment
            <input value={comment} onInput={(e) => setComment((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            <input type="checkbox" checked={onResolve} onChange={(e) => setOnResolve((e.target as HTMLInputElement).checked)} /> Expire once every alert it held has resolved
          </label>
          <p class="buttons">
            <button class="primary" disabled={action.busy}>
              Create silence
            </button>
          </p>
        </fieldset>
      </form>
      <ErrorNote error={action.error ?? silences.error} />
      {silences.loading && <Busy label="Loading silences…" />}
      {silences.data && silences.data.data.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Matchers</th>
              <th scope="col">State</th>
              <th scope="col">Ends</th>
              <th scope="col">By</th>
              <th scope="col">Comment</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {silences.data.data.map((s) => (
              <tr key={s.id}>
                <td>
                  <code>{[...s.matchers.map((m) => `${m.name}${m.op}${m.value}`), ...(s.asset ? [`asset~${s.asset}`] : [])].join(', ')}</code>
                </td>
                <td>{s.state}</td>
                <td>{new Date(s.ends_at).toLocaleString()}</td>
                <td>{s.created_by}</td>
                <td>{s.comment || '—'}</td>
                <td>
                  {s.state !== 'expired' && (
                    <ConfirmButton text="Expire" label={`Expire silence ${s.id}`} onConfirm={() => void action.run(() => api('DELETE', `/silences/${encodeURIComponent(s.id)}`)).then(() => silences.reload())}>
                      <p>Expire this silence now? The alerts it holds are delivered at once if they still fire.</p>
                    </ConfirmButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
