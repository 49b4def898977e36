// One destination in the table, with its actions: enable/disable, send a test, rotate the secret, delete.
import { canWrite } from '../portal';
import { api } from '../api';
import { Busy } from '../components/Busy';
import { ConfirmButton } from '../components/ConfirmButton';
import { Dot } from '../components/Dot';
import { clock } from '../components/time';
import { ErrorNote } from '../components/ErrorNote';
import { useAction } from '../hooks';
import { href } from '../router';
import { TYPE_NAMES, type Destination, type TestResult } from '../types';
import { Health } from './Health';
import { IconButton } from '../components/IconButton';

export type RowOutcome =
  | { kind: 'test'; name: string; result: TestResult }
  | { kind: 'secret'; name: string; secret: string; previousExpiresAt: string }
  | { kind: 'recovered'; name: string; alerts: number; events: number; ended: number };

type Props = { destination: Destination; onChanged: () => void; onOutcome: (outcome: RowOutcome) => void };

export function DestinationRow({ destination: d, onChanged, onOutcome }: Props) {
  const action = useAction();
  const path = `/destinations/${encodeURIComponent(d.id)}`;

  const toggle = () => action.run(() => api('PATCH', path, { enabled: !d.enabled })).then(onChanged);
  const remove = () => action.run(() => api('DELETE', path)).then(onChanged);
  const test = async () => {
    const result = await action.run(() => api<TestResult>('POST', `${path}/test`));
    if (result) onOutcome({ kind: 'test', name: d.name, result });
  };
  /** Bulk recovery of the last day (README "Bulk recovery"). */
  const recover = async () => {
    const since = new Date(Date.now() - 24 * 3600_000).toISOString();
    const done = await action.run(() => api<{ alerts_queued: number; events_queued: number; alerts_ended: number }>('POST', `${path}/recover`, { since, by: 'console' }));
    if (done) onOutcome({ kind: 'recovered', name: d.name, alerts: done.alerts_queued, events: done.events_queued, ended: done.alerts_ended });
  };
  const rotate = async () => {
    const rotated = await action.run(() => api<{ signing_secret: string; previous_secret_expires_at: string }>('POST', `${path}/secret/rotate`));
    if (rotated) onOutcome({ kind: 'secret', name: d.name, secret: rotated.signing_secret, previousExpiresAt: rotated.previous_secret_expires_at });
  };

  return (
    <tr>
      <th scope="row">
        <a href={href(path)}>{d.name}</a>
        {d.needs_attention && <small class="error">needs attention: {d.needs_attention}</small>}
        {d.circuit && d.circuit.state !== 'closed' && (
          <small class="error">
            circuit {d.circuit.state === 'open' ? 'open' : 'half-open (probing)'} since {clock(d.circuit.since)}
            {d.circuit.last_error && <>: {d.circuit.last_error}</>}
            {d.circuit.next_probe_at && d.circuit.state === 'open' && <>; next probe {clock(d.circuit.next_probe_at)}</>}
          </small>
        )}
      </th>
      <td>{TYPE_NAMES[d.type]}</td>
      <td>
        <code>{d.target}</code>
      </td>
      <td>
        <Dot tone={d.enabled ? 'on' : 'off'} label={d.enabled ? 'enabled' : 'disabled'} />
      </td>
      <td>
        <Health destinationId={d.id} />
      </td>
      <td>
        <div class="row-actions" hidden={!canWrite}>
          <IconButton icon="play" label={`Send test to ${d.name}`} disabled={action.busy} onClick={test} />
          <IconButton icon="power" label={`${d.enabled ? 'Disable' : 'Enable'} ${d.name}`} disabled={action.busy} onClick={toggle} />
          {d.type === 'webhook' && (
            <ConfirmButton text="Rotate" icon="key" label={`Rotate signing secret of ${d.name}`} disabled={action.busy} onConfirm={rotate}>
              <p>
                Make a new signing secret for <strong>{d.name}</strong>? For 24 hours both the new and the old secret sign every delivery.
              </p>
            </ConfirmButton>
          )}
          <ConfirmButton text="Recover" icon="redo" label={`Recover the failed deliveries of ${d.name}`} disabled={action.busy} onConfirm={recover}>
            <p>
              Send again every event that failed at <strong>{d.name}</strong> in the last 24 hours? Each alert sends its own in order.
            </p>
          </ConfirmButton>
          <ConfirmButton text="Delete" icon="trash" label={`Delete ${d.name}`} disabled={action.busy} onConfirm={remove}>
            <p>
              Delete <strong>{d.name}</strong>? Open alerts fail their remaining deliveries to it, and rules that name it skip it.
            </p>
          </ConfirmButton>
        </div>
        {action.busy && <Busy label="Working…" />}
        <ErrorNote error={action.error} />
      </td>
    </tr>
  );
}
