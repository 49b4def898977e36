// The landing page: is everything all right? Open alerts by severity, destinations to look at, and how
// deliveries went over the last hour or day, each number linking to the list behind it. Refreshes
// itself every REFRESH_MS (GET /v1/overview aggregates on the server).
import { useEffect, useMemo } from 'preact/hooks';
import { api, query } from '../api';
import { Busy } from '../components/Busy';
import { ErrorNote } from '../components/ErrorNote';
import { useLoad } from '../hooks';
import { href, navigate, type Route } from '../router';
import { SEVERITIES, type Destination, type Overview } from '../types';
import { TimeChart } from './TimeChart';

const REFRESH_MS = 15_000;
const ROWS = [
  ['triggered', 'Open, not acknowledged', { status: 'triggered' }],
  ['acknowledged', 'Acknowledged', { status: 'acknowledged' }],
  ['failed_delivery', 'Delivery failed', { delivery_state: 'failed' }],
] as const;
const REASONS = { needs_attention: 'Needs attention', circuit_open: 'Circuit open', failing: 'Failing' } as const;

export function OverviewPage({ route }: { route: Route }) {
  const span = route.params.get('window') === 'day' ? 'day' : 'hour';
  const destinationId = route.params.get('destination_id') ?? undefined;
  const overview = useLoad(() => api<Overview>('GET', `/overview${query({ window: span, destination_id: destinationId })}`), [span, destinationId]);
  const destinations = useLoad(() => api<{ data: Destination[] }>('GET', '/destinations').then((r) => r.data), []);
  useEffect(() => {
    const timer = setInterval(() => void overview.reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [overview.reload]);
  const data = overview.data;
  const charts = useMemo(() => {
    if (!data) return undefined;
    const times = data.deliveries.map((p) => Date.parse(p.t));
    return {
      times,
      outcomes: [
        { label: 'Delivered', values: data.deliveries.map((p) => p.delivered), colour: '#1a7f37' },
        { label: 'Retried', values: data.deliveries.map((p) => p.retried), colour: '#9a6700' },
        { label: 'Failed', values: data.deliveries.map((p) => p.failed), colour: '#cf222e' },
      ],
      latency: [
        { label: 'p50', values: data.deliveries.map((p) => p.p50_ms ?? null), colour: '#0969da' },
        { label: 'p99', values: data.deliveries.map((p) => p.p99_ms ?? null), colour: '#8250df' },
      ],
    };
  }, [data]);
  const choose = (params: Record<string, string | undefined>) => navigate('/overview', { window: span, destination_id: destinationId, ...params });

  return (
    <main>
      <h2>Overview</h2>
      <ErrorNote error={overview.error} />
      {overview.loading && <Busy label="Loading the overview…" />}
      {data && (
        <>
          <section aria-labelledby="alerts-heading">
            <h3 id="alerts-heading">Alerts</h3>
            <table class="list compact counts">
              <thead>
                <tr>
                  <th scope="col">Alerts</th>
                  {SEVERITIES.map((s) => (
                    <th key={s} scope="col">
                      {s}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {ROWS.map(([key, label, filter]) => (
                  <tr key={key}>
                    <th scope="row">{label}</th>
                    {SEVERITIES.map((s) => (
                      <td key={s}>
                        <a href={href('/alerts', { ...filter, severity: s })} aria-label={`${data.alerts[key][s]} ${label.toLowerCase()} ${s} alerts`}>
                          {data.alerts[key][s]}
                        </a>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>

          <section aria-labelledby="attention-heading">
            <h3 id="attention-heading">Destinations to look at</h3>
            {data.destinations.attention.length === 0 ? (
              <p>None: every destination delivered what it was sent in the last hour.</p>
            ) : (
              <ul class="attention">
                {data.destinations.attention.map((d) => (
                  <li key={d.id}>
                    <a href={href(`/destinations/${encodeURIComponent(d.id)}`)}>{d.name}</a> <strong>{REASONS[d.reason]}</strong>: {d.detail}{' '}
                    <a href={href('/overview', { window: span, destination_id: d.id })}>its deliveries</a>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-labelledby="deliveries-heading">
            <h3 id="deliveries-heading">Deliveries</h3>
            <p class="chart-options">
              <label for="overview-window">Over</label>
              <select id="overview-window" value={span} onChange={(e) => choose({ window: e.currentTarget.value })}>
                <option value="hour">the last hour (1-minute buckets)</option>
                <option value="day">the last day (15-minute buckets)</option>
              </select>{' '}
              <label for="overview-destination">of</label>
              <select id="overview-destination" value={destinationId ?? ''} onChange={(e) => choose({ destination_id: e.currentTarget.value || undefined })}>
                <option value="">every destination</option>
                {(destinations.data ?? []).map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </p>
            {charts && (
              <div class="charts">
                <TimeChart title="Attempts by outcome" times={charts.times} series={charts.outcomes} unit="attempts" />
                <TimeChart title="Attempt latency" times={charts.times} series={charts.latency} unit="ms" />
              </div>
            )}
            <p>
              <a href={href('/alerts', { delivery_state: 'retrying' })}>Alerts retrying now</a> · <a href={href('/alerts', { delivery_state: 'failed' })}>Alerts whose delivery failed</a>
            </p>
          </section>
        </>
      )}
    </main>
  );
}
