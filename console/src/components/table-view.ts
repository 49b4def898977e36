// Client-side search, filters, sorting and paging for the console's tables whose API answers the
// whole list (destinations, rules). Pure: no DOM here.

export type SortDirection = 'ascending' | 'descending';
export type TableState = { search: string; filters: Record<string, string>; sort: { key: string; direction: SortDirection }; page: number };

export type TableSpec<T> = {
  /** The text a search looks in, lower-cased by the view. */
  searchText: (row: T) => string;
  /** Each filter's test for a chosen value ('' is "any"). */
  filters: Record<string, (row: T, value: string) => boolean>;
  /** Sortable columns by key. */
  sortBy: Record<string, (row: T) => string | number>;
  pageSize: number;
};

export type TableView<T> = { rows: T[]; matched: number; total: number; page: number; pages: number; first: number; last: number };

export function tableView<T>(all: readonly T[], spec: TableSpec<T>, state: TableState): TableView<T> {
  const words = state.search.toLowerCase().split(/\s+/).filter(Boolean);
  const matching = all.filter((row) => {
    const text = spec.searchText(row).toLowerCase();
    return words.every((w) => text.includes(w)) && Object.entries(state.filters).every(([name, value]) => value === '' || (spec.filters[name]?.(row, value) ?? true));
  });
  const key = spec.sortBy[state.sort.key];
  const sign = state.sort.direction === 'ascending' ? 1 : -1;
  const sorted = key ? [...matching].sort((a, b) => sign * compare(key(a), key(b))) : matching;
  const pages = Math.max(1, Math.ceil(sorted.length / spec.pageSize));
  const page = Math.min(Math.max(1, state.page), pages);
  const start = (page - 1) * spec.pageSize;
  const rows = sorted.slice(start, start + spec.pageSize);
  return { rows, matched: sorted.length, total: all.length, page, pages, first: rows.length > 0 ? start + 1 : 0, last: start + rows.length };
}

const compare = (a: string | number, b: string | number) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), undefined, { numeric: true }));

/** Sorting by a column: the same column flips its direction, another starts ascending; back to page 1. */
export function sortedBy(state: TableState, key: string): TableState {
  const direction: SortDirection = state.sort.key === key && state.sort.direction === 'ascending' ? 'descending' : 'ascending';
  return { ...state, sort: { key, direction }, page: 1 };
}
