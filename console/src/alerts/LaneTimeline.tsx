// One destination's part of an alert: each event in order, every attempt with its time, status code,
// latency and error, the wait before each retry, the next attempt, and the incident it keeps.
import { Dot, stateTone } from '../components/Dot';
import { clock, duration } from '../components/time';
import type { Attempt, EventDelivery, LaneView } from '../types';

/** Provider links are shown only when they are plain web addresses. */
const webUrl = (url?: string) => (url && /^https?:\/\//i.test(url) ? url : undefined);

type Props = { lane: LaneView; busy: boolean; onRedeliver: () => void };

export function LaneTimeline({ lane, busy, onRedeliver }: Props) {
  const incidentUrl = webUrl(lane.incident?.url);
  return (
    <section class="panel lane" aria-label={`Deliveries to ${lane.name}`}>
      <h4>
        {lane.name} <small>({lane.type})</small> <Dot tone={stateTone(lane.state)} label={lane.state} />
      </h4>
      <p class="help">{lane.rules.length > 0 ? `Routed by ${lane.rules.map((r) => r.name).join(', ')}` : 'Named by the alert'}</p>
      {lane.incident && (
        <p>
          Incident: {lane.incident.provider}{' '}
          {incidentUrl ? <a href={incidentUrl} target="_blank" rel="noopener noreferrer">{lane.incident.reference ?? lane.incident.id}</a> : (lane.incident.reference ?? lane.incident.id)} (
          {lane.incident.status})
        </p>
      )}
      {lane.state === 'failed' && (
        <p>
          <button type="button" disabled={busy} onClick={onRedeliver}>
            Redeliver failed events to {lane.name}
          </button>
        </p>
      )}
      {lane.events.map((event, i) => (
        <EventAttempts key={i} event={event} />
      ))}
    </section>
  );
}

function EventAttempts({ event }: { event: EventDelivery }) {
  return (
    <table class="attempts">
      <caption>
        {event.event_type}: <Dot tone={stateTone(event.state)} label={event.state} />
        {event.state === 'held' && event.muted_by && event.next_attempt_at && <> by mute window “{event.muted_by}” until {clock(event.next_attempt_at)}</>}
        {event.state === 'muted' && event.muted_by && <>: dropped by mute window “{event.muted_by}”</>}
        {event.state !== 'held' && event.next_attempt_at && <> · next attempt at {clock(event.next_attempt_at)}</>}
      </caption>
      {event.attempts.length > 0 && (
        <>
          <thead>
            <tr>
              <th scope="col">Attempt</th>
              <th scope="col">Time</th>
              <th scope="col">Waited</th>
              <th scope="col">Status</th>
              <th scope="col">Latency</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {event.attempts.map((attempt, i) => (
              <tr key={attempt.attempt}>
                <td>{attempt.attempt}</td>
                <td>{clock(attempt.started_at)}</td>
                <td>{i > 0 ? duration(waitBefore(event.attempts[i - 1]!, attempt)) : ''}</td>
                <td>{attempt.status_code ?? '—'}</td>
                <td>{attempt.duration_ms !== undefined ? duration(attempt.duration_ms) : ''}</td>
                <td>{outcome(attempt)}</td>
              </tr>
            ))}
          </tbody>
        </>
      )}
    </table>
  );
}

/** The timer between two attempts: from the end of one to the start of the next. */
const waitBefore = (previous: Attempt, next: Attempt) =>
  Math.max(0, Date.parse(next.started_at) - Date.parse(previous.started_at) - (previous.duration_ms ?? 0));

function outcome(attempt: Attempt): string {
  const failed = attempt.validators?.filter((v) => !v.passed).map((v) => `validator ${v.path} got ${JSON.stringify(v.actual)}`) ?? [];
  return [attempt.error, attempt.note, ...failed].filter(Boolean).join('; ') || 'ok';
}
