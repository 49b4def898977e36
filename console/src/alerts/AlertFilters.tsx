// The alert list's filters; applying them starts again at the first page.
import { useState } from 'preact/hooks';
import { navigate } from '../router';
import { ALERT_STATUSES, DELIVERY_STATES, SEVERITIES, type Destination } from '../types';

export const FILTER_NAMES = ['status', 'event_type', 'severity', 'destination', 'delivery_state'] as const;
type Filters = Record<string, string | undefined>;

export function AlertFilters({ filters, destinations }: { filters: Filters; destinations: Destination[] }) {
  const [values, setValues] = useState(filters);
  const set = (name: string) => (e: Event) => setValues({ ...values, [name]: (e.currentTarget as HTMLInputElement).value || undefined });
  const select = (name: string, label: string, options: readonly (readonly [string, string])[]) => (
    <p class="field">
      <label for={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} value={values[name] ?? ''} onChange={set(name)}>
        <option value="">any</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </p>
  );
  const same = (list: readonly string[]) => list.map((v) => [v, v] as const);
  return (
    <form
      class="filters"
      aria-label="Filters"
      onSubmit={(e) => {
        e.preventDefault();
        navigate('/alerts', values);
      }}
    >
      {select('status', 'Status', same(ALERT_STATUSES))}
      <p class="field">
        <label for="filter-event_type">Event type</label>
        <input id="filter-event_type" value={values.event_type ?? ''} onInput={set('event_type')} />
      </p>
      {select('severity', 'Severity', same(SEVERITIES))}
      {select('destination', 'Destination', destinations.map((d) => [d.id, d.name] as const))}
      {select('delivery_state', 'Delivery state', same(DELIVERY_STATES))}
      <p class="buttons">
        <button class="primary">Apply filters</button>
      </p>
    </form>
  );
}
