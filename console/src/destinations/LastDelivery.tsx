// A destination's last delivery: its lane in the newest alert routed to it (the API lists alerts newest
// first and filters them by destination; it keeps no per-destination history of its own).
import { api, query } from '../api';
import { Dot, stateTone } from '../components/Dot';
import { clock } from '../components/time';
import { useLoad } from '../hooks';
import { href } from '../router';
import type { AlertPage, AlertState } from '../types';

async function lastDelivery(destinationId: string) {
  const page = await api<AlertPage>('GET', `/alerts${query({ destination: destinationId, page_size: '1' })}`);
  const newest = page.data[0];
  if (!newest) return undefined;
  const state = await api<AlertState>('GET', `/alerts/${encodeURIComponent(newest.id)}`);
  const lane = state.destinations.find((d) => d.destination_id === destinationId);
  const at = lane?.events.flatMap((e) => e.attempts).at(-1)?.started_at;
  return { alertId: newest.id, state: lane?.state ?? 'pending', at };
}

export function LastDelivery({ destinationId }: { destinationId: string }) {
  const { data, error, loading } = useLoad(() => lastDelivery(destinationId), [destinationId]);
  if (loading) return <span class="help">…</span>;
  if (error) return <span class="help">unknown</span>;
  if (!data) return <span class="help">none yet</span>;
  return (
    <a href={href(`/alerts/${encodeURIComponent(data.alertId)}`)} title={`alert ${data.alertId}`}>
      <Dot tone={stateTone(data.state)} label={data.state} /> {data.at && <small>{clock(data.at)}</small>}
    </a>
  );
}
