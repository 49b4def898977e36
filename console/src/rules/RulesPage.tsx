// Routing rules: which alerts go to which destinations; searched, filtered, sorted and paged here
// (the API answers the whole list, in its order, which is the order rules are matched in).
import { canWrite } from '../portal';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { Busy } from '../components/Busy';
import { ConfirmButton } from '../components/ConfirmButton';
import { Dot } from '../components/Dot';
import { ErrorNote } from '../components/ErrorNote';
import { useAction, useLoad } from '../hooks';
import { href } from '../router';
import { IconButton } from '../components/IconButton';
import { Pager, SortHeader, TableControls } from '../components/TableControls';
import { tableView, type TableSpec, type TableState } from '../components/table-view';
import type { Destination, Rule } from '../types';

type Listed = Rule & { position: number; destinations: string };

const SPEC: TableSpec<Listed> = {
  searchText: (r) => `${r.name} ${r.id} ${describeMatch(r.match)} ${r.destinations}`,
  filters: { state: (r, state) => r.enabled === (state === 'enabled') },
  sortBy: { position: (r) => r.position, name: (r) => r.name },
  pageSize: 25,
};
const FILTERS = [{ name: 'state', label: 'State', options: [['enabled', 'enabled'], ['disabled', 'disabled']] as const }];

export function RulesPage() {
  const [table, setTable] = useState<TableState>({ search: '', filters: {}, sort: { key: 'position', direction: 'ascending' }, page: 1 });
  const list = useLoad(
    async () => {
      const [rules, destinations] = await Promise.all([
        api<{ data: Rule[] }>('GET', '/rules'),
        api<{ data: Destination[] }>('GET', '/destinations'),
      ]);
      const names = new Map(destinations.data.map((d) => [d.id, d.name]));
      const listed = rules.data.map((r, position) => ({ ...r, position, destinations: r.destination_ids.map((id) => names.get(id) ?? `${id} (deleted)`).join(', ') }));
      return { rules: listed };
    },
    [],
  );
  const view = list.data && tableView(list.data.rules, SPEC, table);
  return (
    <main>
      <h2>Rules</h2>
      <p>An alert goes to the destinations it names and to those of every enabled rule it matches.</p>
      {canWrite && (
        <p>
          <a class="button primary" href={href('/rules/new')}>
            New rule
          </a>
        </p>
      )}
      <ErrorNote error={list.error} />
      {list.loading && <Busy label="Loading rules…" />}
      {list.data && list.data.rules.length === 0 && <p>No rules yet.</p>}
      {view && list.data!.rules.length > 0 && <TableControls noun="rules" state={table} view={view} filters={FILTERS} onChange={setTable} />}
      {view && view.rows.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <SortHeader label="#" sortKey="position" state={table} onChange={setTable} />
              <SortHeader label="Name" sortKey="name" state={table} onChange={setTable} />
              <th scope="col">Enabled</th>
              <th scope="col">Matches</th>
              <th scope="col">Destinations</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {view.rows.map((rule) => (
              <RuleRow key={rule.id} rule={rule} onChanged={list.reload} />
            ))}
          </tbody>
        </table>
      )}
      {view && <Pager noun="rules" state={table} view={view} onChange={setTable} />}
    </main>
  );
}

function RuleRow({ rule, onChanged }: { rule: Listed; onChanged: () => void }) {
  const action = useAction();
  const path = `/rules/${encodeURIComponent(rule.id)}`;
  return (
    <tr>
      <td>{rule.position + 1}</td>
      <th scope="row">
        <a href={href(path)}>{rule.name}</a>
      </th>
      <td>
        <Dot tone={rule.enabled ? 'on' : 'off'} label={rule.enabled ? 'enabled' : 'disabled'} />
      </td>
      <td>{describeMatch(rule.match)}</td>
      <td>{rule.destinations}</td>
      <td>
        <div class="row-actions" hidden={!canWrite}>
          <IconButton
            icon="power"
            label={`${rule.enabled ? 'Disable' : 'Enable'} ${rule.name}`}
            disabled={action.busy}
            onClick={() => action.run(() => api('PATCH', path, { enabled: !rule.enabled })).then(onChanged)}
          />
          <ConfirmButton text="Delete" icon="trash" label={`Delete ${rule.name}`} disabled={action.busy} onConfirm={() => action.run(() => api('DELETE', path)).then(onChanged)}>
            <p>
              Delete the rule <strong>{rule.name}</strong>? Open alerts keep their destinations; new alerts no longer match it.
            </p>
          </ConfirmButton>
        </div>
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
