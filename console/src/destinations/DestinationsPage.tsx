// Destinations: the table (searched, filtered, sorted and paged here, since the API answers the whole
// list), and the outcome of the last row action (a test send, a rotated secret, a recovery).
import { canWrite } from '../portal';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { Busy } from '../components/Busy';
import { ErrorNote } from '../components/ErrorNote';
import { useLoad } from '../hooks';
import { href } from '../router';
import { Pager, SortHeader, TableControls } from '../components/TableControls';
import { tableView, type TableSpec, type TableState } from '../components/table-view';
import { DESTINATION_TYPES, TYPE_NAMES, type Destination } from '../types';
import { DestinationRow, type RowOutcome } from './DestinationRow';
import { SecretNotice } from './SecretNotice';
import { TestResultView } from './TestResultView';

const STATES = [
  ['enabled', 'enabled'],
  ['disabled', 'disabled'],
  ['attention', 'needs attention or circuit open'],
] as const;

const SPEC: TableSpec<Destination> = {
  searchText: (d) => `${d.name} ${d.id} ${d.target} ${TYPE_NAMES[d.type]}`,
  filters: {
    type: (d, type) => d.type === type,
    state: (d, state) => (state === 'attention' ? !!d.needs_attention || (!!d.circuit && d.circuit.state !== 'closed') : d.enabled === (state === 'enabled')),
  },
  sortBy: { name: (d) => d.name, type: (d) => TYPE_NAMES[d.type] },
  pageSize: 25,
};

export function DestinationsPage() {
  const list = useLoad(() => api<{ data: Destination[] }>('GET', '/destinations'), []);
  const [outcome, setOutcome] = useState<RowOutcome>();
  const [table, setTable] = useState<TableState>({ search: '', filters: {}, sort: { key: 'name', direction: 'ascending' }, page: 1 });
  const view = list.data && tableView(list.data.data, SPEC, table);
  const filters = [
    { name: 'type', label: 'Type', options: DESTINATION_TYPES.map((t) => [t, TYPE_NAMES[t]] as const) },
    { name: 'state', label: 'State', options: STATES },
  ];
  return (
    <main>
      <h2>Destinations</h2>
      {canWrite && (
        <p>
          <a class="button primary" href={href('/destinations/new')}>
            New destination
          </a>
        </p>
      )}
      <ErrorNote error={list.error} />
      {list.loading && <Busy label="Loading destinations…" />}
      {list.data && list.data.data.length === 0 && <p>No destinations yet.</p>}
      {view && list.data!.data.length > 0 && <TableControls noun="destinations" state={table} view={view} filters={filters} onChange={setTable} />}
      {view && view.rows.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <SortHeader label="Name" sortKey="name" state={table} onChange={setTable} />
              <SortHeader label="Type" sortKey="type" state={table} onChange={setTable} />
              <th scope="col">Target</th>
              <th scope="col">Enabled</th>
              <th scope="col">Health</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {view.rows.map((d) => (
              <DestinationRow key={d.id} destination={d} onChanged={list.reload} onOutcome={setOutcome} />
            ))}
          </tbody>
        </table>
      )}
      {view && <Pager noun="destinations" state={table} view={view} onChange={setTable} />}
      {outcome?.kind === 'test' && <TestResultView result={outcome.result} title={`Test of ${outcome.name}`} />}
      {outcome?.kind === 'recovered' && (
        <p role="status" class="panel">
          {outcome.name}: {outcome.alerts} alerts told to send again their {outcome.events} failed events of the last 24 hours
          {outcome.ended > 0 && <>; {outcome.ended} alerts had ended and cannot</>}.
        </p>
      )}
      {outcome?.kind === 'secret' && (
        <SecretNotice
          secret={outcome.secret}
          note={`New signing secret of ${outcome.name}, shown once. The previous one also signs until ${new Date(outcome.previousExpiresAt).toLocaleString()}.`}
        />
      )}
    </main>
  );
}
