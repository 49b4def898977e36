// Alert groups (README "Grouping"): the list, newest first, and one group with its alerts, its
// notifications and how each went to each destination.
import { api, query } from '../api';
import { Busy } from '../components/Busy';
import { ErrorNote } from '../components/ErrorNote';
import { useLoad } from '../hooks';
import { href } from '../router';

type Group = {
  id: string;
  name: string;
  key: Record<string, string>;
  status: 'firing' | 'resolved';
  firing_count: number;
  member_count: number;
  notifications: number;
  created_at: string;
  resolved_at?: string;
};

type GroupDetail = Omit<Group, 'notifications'> & {
  policy: { by: string[]; group_wait_s: number; group_interval_s: number; repeat_interval_s: number; settle_s?: number };
  members: { alert_id: string; title: string; severity: string; status: string; joined_at: string }[];
  notifications: { sequence: number; event_type: string; reason: string; firing_count: number; resolved_count: number; created_at: string; deliveries: { destination_id: string; state: string; attempts: number }[] }[];
  destinations: { destination_id: string; name: string; type: string; state: string; incident?: { reference?: string; url?: string; status: string } }[];
};

const keyText = (key: Record<string, string>) => Object.entries(key).map(([k, v]) => `${k}=${v}`).join(', ') || '—';

export function GroupsPage() {
  const groups = useLoad(() => api<{ data: Group[] }>('GET', `/groups${query({ page_size: '100' })}`), []);
  return (
    <main>
      <h2>Groups</h2>
      <p>Alerts that a grouping rule or the sender's grouping put together: their destinations get one notification for all of them.</p>
      <ErrorNote error={groups.error} />
      {groups.loading && <Busy label="Loading groups…" />}
      {groups.data && groups.data.data.length === 0 && <p>No group yet: give a rule a grouping policy, or send Alertmanager notifications with ?group=sender.</p>}
      {groups.data && groups.data.data.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Key</th>
              <th scope="col">Status</th>
              <th scope="col">Firing / alerts</th>
              <th scope="col">Notifications</th>
              <th scope="col">Since</th>
            </tr>
          </thead>
          <tbody>
            {groups.data.data.map((g) => (
              <tr key={g.id}>
                <td>
                  <a href={href(`/groups/${encodeURIComponent(g.id)}`)}>{g.name}</a>
                </td>
                <td>{keyText(g.key)}</td>
                <td>{g.status}</td>
                <td>
                  {g.firing_count} / {g.member_count}
                </td>
                <td>{g.notifications}</td>
                <td>{new Date(g.created_at).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

export function GroupPage({ id }: { id: string }) {
  const group = useLoad(() => api<GroupDetail>('GET', `/groups/${encodeURIComponent(id)}`), [id]);
  const g = group.data;
  return (
    <main>
      <p>
        <a href={href('/groups')}>← Groups</a>
      </p>
      <ErrorNote error={group.error} />
      {group.loading && <Busy label="Loading the group…" />}
      {g && (
        <>
          <h2>
            {g.name}: {keyText(g.key)}
          </h2>
          <p>
            {g.status}, {g.firing_count} of {g.member_count} alerts firing. Grouped by <code>{g.policy.by.join(', ')}</code>; wait {g.policy.group_wait_s} s, interval {g.policy.group_interval_s} s, repeat {g.policy.repeat_interval_s} s
            {g.policy.settle_s !== undefined && `, settle ${g.policy.settle_s} s`}.
          </p>
          <h3>Destinations</h3>
          <ul>
            {g.destinations.map((d) => (
              <li key={d.destination_id}>
                {d.name} ({d.type}): {d.state}
                {d.incident && (
                  <>
                    {' '}
                    — incident {d.incident.url ? <a href={d.incident.url}>{d.incident.reference ?? 'open'}</a> : (d.incident.reference ?? '')} {d.incident.status}
                  </>
                )}
              </li>
            ))}
          </ul>
          <h3>Notifications</h3>
          <table class="list">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Event</th>
                <th scope="col">Why</th>
                <th scope="col">Firing / resolved</th>
                <th scope="col">Deliveries</th>
                <th scope="col">At</th>
              </tr>
            </thead>
            <tbody>
              {g.notifications.map((n) => (
                <tr key={n.sequence}>
                  <td>{n.sequence}</td>
                  <td>{n.event_type}</td>
                  <td>{n.reason}</td>
                  <td>
                    {n.firing_count} / {n.resolved_count}
                  </td>
                  <td>{n.deliveries.map((d) => `${g.destinations.find((x) => x.destination_id === d.destination_id)?.name ?? d.destination_id}: ${d.state}`).join('; ') || 'pending'}</td>
                  <td>{new Date(n.created_at).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Alerts</h3>
          <ul>
            {g.members.map((m) => (
              <li key={m.alert_id}>
                <a href={href(`/alerts/${encodeURIComponent(m.alert_id)}`)}>{m.title}</a> ({m.severity}) — {m.status}
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
