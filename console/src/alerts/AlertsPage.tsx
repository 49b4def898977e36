// Alerts, newest first, filtered on the read model's columns and paged with the API's page tokens.
// While the page shows open alerts it refreshes itself, in place: the same filters and page token.
import { useEffect } from 'preact/hooks';
import { api, query } from '../api';
import { Busy } from '../components/Busy';
import { Dot, stateTone } from '../components/Dot';
import { ErrorNote } from '../components/ErrorNote';
import { clock } from '../components/time';
import { useLoad } from '../hooks';
import { href, type Route } from '../router';
import type { AlertPage, Destination } from '../types';
import { AlertFilters, FILTER_NAMES } from './AlertFilters';

const PAGE_SIZE = '25';
const LIST_REFRESH_MS = 5000;

export function AlertsPage({ route }: { route: Route }) {
  const filters = Object.fromEntries(FILTER_NAMES.map((name) => [name, route.params.get(name) ?? undefined]));
  const pageToken = route.params.get('page_token') ?? undefined;
  const destinations = useLoad(() => api<{ data: Destination[] }>('GET', '/destinations').then((r) => r.data), []);
  const page = useLoad(
    () => api<AlertPage>('GET', `/alerts${query({ ...filters, page_size: PAGE_SIZE, page_token: pageToken })}`),
    [route.params.toString()],
  );
  const names = new Map((destinations.data ?? []).map((d) => [d.id, d.name]));
  const showsOpen = !!page.data?.data.some((a) => a.status === 'triggered' || a.status === 'acknowledged');
  useEffect(() => {
    if (!showsOpen) return;
    const timer = setInterval(() => void page.reload(), LIST_REFRESH_MS);
    return () => clearInterval(timer);
  }, [showsOpen, page.reload]);
  return (
    <main>
      <h2>Alerts</h2>
      <AlertFilters key={route.params.toString()} filters={filters} destinations={destinations.data ?? []} />
      <ErrorNote error={page.error} />
      {page.loading && <Busy label="Loading alerts…" />}
      {page.data && page.data.data.length === 0 && <p>No alerts match.</p>}
      {showsOpen && (
        <p role="status" class="help">
          Refreshing every {LIST_REFRESH_MS / 1000} s while open alerts are shown.
        </p>
      )}
      {page.data && page.data.data.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Alert</th>
              <th scope="col">Status</th>
              <th scope="col">Severity</th>
              <th scope="col">Event type</th>
              <th scope="col">Delivery</th>
              <th scope="col">Destinations</th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {page.data.data.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  <a href={href(`/alerts/${encodeURIComponent(a.id)}`)}>{a.title ?? a.id}</a>
                  <br />
                  <small>{a.id}</small>
                </th>
                <td>{a.status}</td>
                <td>{a.severity}</td>
                <td>{a.event_type}</td>
                <td>
                  <Dot tone={stateTone(a.delivery_state)} label={a.delivery_state ?? 'unknown'} />
                </td>
                <td>{destinationNames(a.destinations, names)}</td>
                <td>{clock(a.started_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav aria-label="Pages" class="buttons">
        {pageToken && <a href={href('/alerts', filters)}>First page</a>}{' '}
        {page.data?.next_page_token && <a href={href('/alerts', { ...filters, page_token: page.data.next_page_token })}>Next page</a>}
      </nav>
    </main>
  );
}

/** The API lists each destination by name and by id (so either filters): show each name once. */
const destinationNames = (listed: string[], names: Map<string, string>) => [...new Set(listed.map((id) => names.get(id) ?? id))].join(', ');
