// Destinations: the table, and the outcome of the last row action (a test send, a rotated secret, a recovery).
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
