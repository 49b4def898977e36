// A destination's health in its table row: the last hour's attempts and success ratio, p99 latency and
// the newest error, from one call (GET /v1/destinations/{id}/health, README "Destination health").
import { api } from '../api';
import { Dot } from '../components/Dot';
import { clock } from '../components/time';
import { useLoad } from '../hooks';
import type { DestinationHealth } from '../types';

export function Health({ destinationId }: { destinationId: string }) {
  const { data, error, loading } = useLoad(() => api<DestinationHealth>('GET', `/destinations/${encodeURIComponent(destinationId)}/health`), [destinationId]);
  if (loading) return <span class="help">…</span>;
  if (error || !data) return <span class="help">unknown</span>;
  const hour = data.windows.last_hour;
  const day = data.windows.last_day;
  if (day.attempts === 0) return <span class="help">nothing sent yet</span>;
  const window = hour.attempts > 0 ? hour : day;
  const ratio = window.success_ratio ?? 0;
  const newest = data.last_errors[0];
  return (
    <span title={newest ? `last error ${clock(newest.at)}: ${newest.error}` : 'no errors'}>
      <Dot tone={ratio >= 0.99 ? 'ok' : ratio >= 0.5 ? 'wait' : 'bad'} label={`${(ratio * 100).toFixed(ratio === 1 ? 0 : 1)}%`} /> of {window.attempts} in the last {hour.attempts > 0 ? 'hour' : 'day'}
      {window.latency_ms && <small> · p99 {window.latency_ms.p99} ms</small>}
    </span>
  );
}
