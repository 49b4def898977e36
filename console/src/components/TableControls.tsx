// Search, filters and paging above a table, and sortable column headers: the state lives in the page
// (console/src/components/table-view.ts computes what is shown).
import type { ComponentChildren } from 'preact';
import { sortedBy, type TableState, type TableView } from './table-view';

type Filter = { name: string; label: string; options: readonly (readonly [string, string])[] };

export function TableControls<T>({ noun, state, view, filters, onChange }: { noun: string; state: TableState; view: TableView<T>; filters: Filter[]; onChange: (s: TableState) => void }) {
  const id = noun.replace(/\W+/g, '-');
  return (
    <div class="table-controls" role="search" aria-label={`Find ${noun}`}>
      <label>
        Search {noun}{' '}
        <input type="search" value={state.search} onInput={(e) => onChange({ ...state, search: e.currentTarget.value, page: 1 })} />
      </label>
      {filters.map((f) => (
        <label key={f.name}>
          {f.label}{' '}
          <select value={state.filters[f.name] ?? ''} onChange={(e) => onChange({ ...state, filters: { ...state.filters, [f.name]: e.currentTarget.value }, page: 1 })}>
            <option value="">any</option>
            {f.options.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
      ))}
      <p id={`${id}-count`} role="status" class="help">
        {view.matched === 0 ? `No ${noun} match.` : `${view.first}–${view.last} of ${view.matched}${view.matched < view.total ? ` (of ${view.total})` : ''}`}
      </p>
    </div>
  );
}

export function Pager<T>({ noun, state, view, onChange }: { noun: string; state: TableState; view: TableView<T>; onChange: (s: TableState) => void }) {
  if (view.pages <= 1) return null;
  return (
    <nav class="buttons pager" aria-label={`Pages of ${noun}`}>
      <button type="button" disabled={view.page <= 1} onClick={() => onChange({ ...state, page: view.page - 1 })}>
        Previous page
      </button>
      <span>
        Page {view.page} of {view.pages}
      </span>
      <button type="button" disabled={view.page >= view.pages} onClick={() => onChange({ ...state, page: view.page + 1 })}>
        Next page
      </button>
    </nav>
  );
}

/** A column header that sorts: a button inside, and aria-sort saying how it is sorted now. */
export function SortHeader({ label, sortKey, state, onChange }: { label: ComponentChildren; sortKey: string; state: TableState; onChange: (s: TableState) => void }) {
  const sorted = state.sort.key === sortKey ? state.sort.direction : undefined;
  return (
    <th scope="col" aria-sort={sorted ?? 'none'}>
      <button type="button" class="link" onClick={() => onChange(sortedBy(state, sortKey))}>
        {label}
        <span aria-hidden="true">{sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : ''}</span>
      </button>
    </th>
  );
}
