// Destinations: the table, and the outcome of the last row action (a test send or a rotated secret).
import { useState } from 'preact/hooks';
import { api } from '../api';
import { Busy } from '../components/Busy';
import { ErrorNote } from '../components/ErrorNote';
import { useLoad } from '../hooks';
import { href } from '../router';
import type { Destination } from '../types';
import { DestinationRow, type RowOutcome } from './DestinationRow';
import { SecretNotice } from './SecretNotice';
import { TestResultView } from './TestResultView';

export function DestinationsPage() {
  const list = useLoad(() => api<{ data: Destination[] }>('GET', '/destinations'), []);
  const [outcome, setOutcome] = useState<RowOutcome>();
  return (
    <main>
      <h2>Destinations</h2>
      <p>
        <a class="button primary" href={href('/destinations/new')}>
          New destination
        </a>
      </p>
      <ErrorNote error={list.error} />
      {list.loading && <Busy label="Loading destinations…" />}
      {list.data && list.data.data.length === 0 && <p>No destinations yet.</p>}
      {list.data && list.data.data.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Target</th>
              <th scope="col">Enabled</th>
              <th scope="col">Health</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.data.data.map((d) => (
              <DestinationRow key={d.id} destination={d} onChanged={list.reload} onOutcome={setOutcome} />
            ))}
          </tbody>
        </table>
      )}
      {outcome?.kind === 'test' && <TestResultView result={outcome.result} title={`Test of ${outcome.name}`} />}
      {outcome?.kind === 'secret' && (
        <SecretNotice
          secret={outcome.secret}
          note={`New signing secret of ${outcome.name}, shown once. The previous one also signs until ${new Date(outcome.previousExpiresAt).toLocaleString()}.`}
        />
      )}
    </main>
  );
}
