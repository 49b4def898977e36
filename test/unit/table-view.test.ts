// The console's client-side table view: search, filters, sort and paging over a whole list.
import { sortedBy, tableView, type TableSpec, type TableState } from '../../console/src/components/table-view';

type Row = { name: string; kind: string; size: number };
const rows: Row[] = Array.from({ length: 60 }, (_, i) => ({ name: `dest-${i + 1}`, kind: i % 3 === 0 ? 'slack' : 'webhook', size: i % 7 }));
const spec: TableSpec<Row> = { searchText: (r) => `${r.name} ${r.kind}`, filters: { kind: (r, k) => r.kind === k }, sortBy: { name: (r) => r.name, size: (r) => r.size }, pageSize: 25 };
const state = (over: Partial<TableState> = {}): TableState => ({ search: '', filters: {}, sort: { key: 'name', direction: 'ascending' }, page: 1, ...over });

it('pages a sorted list, naming numbers as people sort them (dest-2 before dest-10)', () => {
  const first = tableView(rows, spec, state());
  expect([first.first, first.last, first.matched, first.pages]).toEqual([1, 25, 60, 3]);
  expect(first.rows.slice(0, 3).map((r) => r.name)).toEqual(['dest-1', 'dest-2', 'dest-3']);
  const last = tableView(rows, spec, state({ page: 3 }));
  expect([last.first, last.last, last.rows.length]).toEqual([51, 60, 10]);
  expect(tableView(rows, spec, state({ page: 9 })).page).toBe(3); // past the end: the last page
});

it('searches every word, filters, and says how many matched of how many', () => {
  const view = tableView(rows, spec, state({ search: 'SLACK dest-1', filters: { kind: 'slack' } }));
  expect(view.rows.map((r) => r.name)).toEqual(['dest-1', 'dest-10', 'dest-13', 'dest-16', 'dest-19']);
  expect([view.matched, view.total]).toEqual([5, 60]);
  expect(tableView(rows, spec, state({ search: 'nothing-like-it' }))).toMatchObject({ matched: 0, first: 0, last: 0, pages: 1 });
  expect(tableView(rows, spec, state({ filters: { kind: '' } })).matched).toBe(60); // '' is "any"
});

it('sorting a column again flips it and goes back to the first page', () => {
  const once = sortedBy(state({ page: 2 }), 'size');
  expect(once).toMatchObject({ sort: { key: 'size', direction: 'ascending' }, page: 1 });
  expect(sortedBy(once, 'size').sort.direction).toBe('descending');
  expect(tableView(rows, spec, sortedBy(once, 'size')).rows[0]!.size).toBe(6);
});
