// Routing rules: which alerts go to which destinations.
import { api } from '../api';
import { Busy } from '../components/Busy';
import { ConfirmButton } from '../components/ConfirmButton';
import { Dot } from '../components/Dot';
import { ErrorNote } from '../components/ErrorNote';
import { useAction, useLoad } from '../hooks';
import { href } from '../router';
import type { Destination, Rule } from '../types';

export function RulesPage() {
  const list = useLoad(
    async () => {
      const [rules, destinations] = await Promise.all([
        api<{ data: Rule[] }>('GET', '/rules'),
        api<{ data: Destination[] }>('GET', '/destinations'),
      ]);
      return { rules: rules.data, names: new Map(destinations.data.map((d) => [d.id, d.name])) };
    },
    [],
  );
  return (
    <main>
      <h2>Rules</h2>
      <p>An alert goes to the destinations it names and to those of every enabled rule it matches.</p>
      <p>
        <a class="button primary" href={href('/rules/new')}>
          New rule
        </a>
      </p>
      <ErrorNote error={list.error} />
      {list.loading && <Busy label="Loading rules…" />}
      {list.data && list.data.rules.length === 0 && <p>No rules yet.</p>}
      {list.data && list.data.rules.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Enabled</th>
              <th scope="col">Matches</th>
              <th scope="col">Destinations</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.data.rules.map((rule) => (
              <RuleRow key={rule.id} rule={rule} names={list.data!.names} onChanged={list.reload} />
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

function RuleRow({ rule, names, onChanged }: { rule: Rule; names: Map<string, string>; onChanged: () => void }) {
  const action = useAction();
  const path = `/rules/${encodeURIComponent(rule.id)}`;
  return (
    <tr>
      <th scope="row">
        <a href={href(path)}>{rule.name}</a>
      </th>
      <td>
        <Dot tone={rule.enabled ? 'on' : 'off'} label={rule.enabled ? 'enabled' : 'disabled'} />
      </td>
      <td>{describeMatch(rule.match)}</td>
      <td>{rule.destination_ids.map((id) => names.get(id) ?? `${id} (deleted)`).join(', ')}</td>
      <td class="actions">
        <button
          type="button"
          disabled={action.busy}
          aria-label={`${rule.enabled ? 'Disable' : 'Enable'} ${rule.name}`}
          onClick={() => action.run(() => api('PATCH', path, { enabled: !rule.enabled })).then(onChanged)}
        >
          {rule.enabled ? 'Disable' : 'Enable'}
        </button>
        <ConfirmButton text="Delete" label={`Delete ${rule.name}`} disabled={action.busy} onConfirm={() => action.run(() => api('DELETE', path)).then(onChanged)}>
          <p>
            Delete the rule <strong>{rule.name}</strong>? Open alerts keep their destinations; new alerts no longer match it.
          </p>
        </ConfirmButton>
        <ErrorNote error={action.error} />
      </td>
    </tr>
  );
}

function describeMatch(match: Rule['match']): string {
  const parts = [
    match.event_types?.length && `event type ${match.event_types.join(' or ')}`,
    match.severities?.length && `severity ${match.severities.join(' or ')}`,
    match.asset && `asset ${match.asset}`,
    ...Object.entries(match.labels ?? {}).map(([k, v]) => `${k}=${v}`),
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'every alert';
}
