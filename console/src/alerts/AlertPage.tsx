// One alert: its payload, each destination's timeline, the actions an operator takes on it, and a link
// to its workflow in the Temporal UI. Refreshes itself while deliveries are pending.
import { canWrite, portal } from '../portal';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { Busy } from '../components/Busy';
import { Dot, stateTone } from '../components/Dot';
import { ErrorNote } from '../components/ErrorNote';
import { Json } from '../components/Json';
import { clock } from '../components/time';
import { useAction, useLoad } from '../hooks';
import { href } from '../router';
import { CLOSE_ACTIONS, isOpen } from '../../../src/domain/alert';
import type { AlertState } from '../types';
import { EscalationSteps } from './EscalationSteps';
import { LaneTimeline } from './LaneTimeline';
import { deliveriesPending, REFRESH_MS, useRefresh } from './live';

type Detail = AlertState & { links: { self: string; temporal_ui: string } };

export function AlertPage({ id }: { id: string }) {
  const path = `/alerts/${encodeURIComponent(id)}`;
  const detail = useLoad(() => api<Detail>('GET', path), [path]);
  const state = detail.data;
  const pending = !!state && deliveriesPending(state);
  const { live, kick } = useRefresh(detail.reload, pending);
  const action = useAction();
  const [closure, setClosure] = useState({ by: '', reason: '' });

  const act = async (suffix: string, body: object) => {
    if (await action.run(() => api('POST', `${path}${suffix}`, body))) kick();
  };
  const close = (verb: 'resolve' | 'dismiss') => act(`/${verb}`, { ...(closure.by && { by: closure.by }), ...(closure.reason && { reason: closure.reason }) });
  const acknowledge = (verb: 'acknowledge' | 'unacknowledge') => act(`/${verb}`, closure.by ? { by: closure.by } : {});

  return (
    <main>
      <p>
        <a href={href('/alerts')}>← Alerts</a>
      </p>
      <h2>{state?.alert.title ?? `Alert ${id}`}</h2>
      <ErrorNote error={detail.error} />
      {detail.loading && <Busy label="Loading the alert…" />}
      {state && (
        <>
          <dl class="facts">
            <dt>ID</dt>
            <dd>
              <code>{state.id}</code>
            </dd>
            <dt>Status</dt>
            <dd>
              {state.status}
              {state.acknowledgement?.by && ` by ${state.acknowledgement.by}`}
              {state.acknowledgement && ` since ${clock(state.acknowledgement.at)}`}
              {state.acknowledgement?.until && `, until ${clock(state.acknowledgement.until)}`}
            </dd>
            <dt>Severity</dt>
            <dd>{state.alert.severity}</dd>
            <dt>Event type</dt>
            <dd>{state.alert.event.type}</dd>
            <dt>Delivery</dt>
            <dd>
              <Dot tone={stateTone(state.delivery_state)} label={state.delivery_state} />
            </dd>
            <dt>Created</dt>
            <dd>{clock(state.alert.created_at)}</dd>
            {state.closure && (
              <>
                <dt>Closed</dt>
                <dd>
                  {CLOSE_ACTIONS[state.closure.action]} at {clock(state.closure.at)}
                  {state.closure.by && ` by ${state.closure.by}`}
                  {state.closure.reason && `: ${state.closure.reason}`}
                </dd>
              </>
            )}
            {state.termination && (
              <>
                <dt>Workflow ended</dt>
                <dd>
                  {state.termination.workflow_status.toLowerCase()}
                  {state.termination.at && ` at ${clock(state.termination.at)}`}
                  {state.termination.reason && `: ${state.termination.reason}`}
                </dd>
              </>
            )}
            {/* The Temporal UI is the operator's, not a portal customer's (console/src/portal.ts). */}
            {!portal && (
              <>
                <dt>Workflow</dt>
                <dd>
                  <a href={state.links.temporal_ui} target="_blank" rel="noopener noreferrer">
                    {state.workflow_id} in the Temporal UI
                  </a>
                </dd>
              </>
            )}
          </dl>
          <p role="status" class="help">
            {!live
              ? 'Up to date: nothing is pending.'
              : `Refreshing every ${REFRESH_MS / 1000} s ${pending ? 'while deliveries are pending' : 'for a while after your request'}.`}
          </p>

          {canWrite && isOpen(state.status) && (
            <fieldset class="group">
              <legend>Respond to this alert</legend>
              <p class="field">
                <label for="closure-by">By</label>
                <input id="closure-by" value={closure.by} onInput={(e) => setClosure({ ...closure, by: e.currentTarget.value })} />
              </p>
              <p class="field">
                <label for="closure-reason">Reason</label>
                <input id="closure-reason" value={closure.reason} onInput={(e) => setClosure({ ...closure, reason: e.currentTarget.value })} />
              </p>
              <p class="buttons">
                {state.status === 'acknowledged' ? (
                  <button disabled={action.busy} onClick={() => acknowledge('unacknowledge')}>
                    Unacknowledge
                  </button>
                ) : (
                  <button disabled={action.busy} onClick={() => acknowledge('acknowledge')}>
                    Acknowledge
                  </button>
                )}{' '}
                <button class="primary" disabled={action.busy} onClick={() => close('resolve')}>
                  Resolve
                </button>{' '}
                <button disabled={action.busy} onClick={() => close('dismiss')}>
                  Dismiss
                </button>
              </p>
            </fieldset>
          )}
          {action.busy && <Busy label="Sending…" />}
          <ErrorNote error={action.error} />

          {state.escalation && <EscalationSteps escalation={state.escalation} />}

          <h3>Destinations</h3>
          {state.destinations.length === 0 && <p>No destination: no rule matched and the alert named none.</p>}
          {state.destinations.map((lane) => (
            <LaneTimeline
              key={lane.destination_id}
              lane={lane}
              busy={action.busy}
              onRedeliver={() => act(`/deliveries/${encodeURIComponent(lane.destination_id)}/redeliver`, {})}
            />
          ))}
          {state.skipped_destinations.length > 0 && (
            <>
              <h3>Skipped</h3>
              <ul>
                {state.skipped_destinations.map((s) => (
                  <li key={s.destination_id}>
                    <code>{s.destination_id}</code>: {s.reason}
                  </li>
                ))}
              </ul>
            </>
          )}

          <h3>Payload</h3>
          <Json value={state.alert} label="Alert payload" />
        </>
      )}
    </main>
  );
}
