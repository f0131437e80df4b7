/**
 * What every console list shares, pure: the table's sort event in and out, paging a sorted list, the page that
 * still exists after the list shrank. Used by the local lists (useLocalList) and by the server-paged report list.
 * Table-tested in tests/unit/list-state.test.ts.
 */
export type SortOrder = 'asc' | 'desc';
export interface ListSort<P extends string = string> {
  prop: P;
  order: SortOrder;
}
/** What el-table's sort-change hands over and its default-sort takes. */
export interface TableSortEvent {
  prop: string | null;
  order: 'ascending' | 'descending' | null;
}
export type TableSort = { prop: string; order: 'ascending' | 'descending' };

/** The table's sort as ours, or null (back to the list's own order) for a column we do not sort by. */
export function sortFromTable<P extends string>(e: TableSortEvent, props: readonly P[]): ListSort<P> | null {
  if (!e.prop || !e.order || !(props as readonly string[]).includes(e.prop)) return null;
  return { prop: e.prop as P, order: e.order === 'ascending' ? 'asc' : 'desc' };
}

/** Ours as the table's default-sort (the caret that shows), undefined for the list's own order. */
export function tableSortOf(sort: ListSort | null | undefined): TableSort | undefined {
  return sort ? { prop: sort.prop, order: sort.order === 'asc' ? 'ascending' : 'descending' } : undefined;
}

/** The last page that has rows (1 for an empty list). */
export function lastPage(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** Rows of one page (pages count from 1; a page past the end shows the last one). */
export function pageOf<T>(rows: readonly T[], page: number, pageSize: number): T[] {
  const p = Math.min(Math.max(1, page), lastPage(rows.length, pageSize));
  return rows.slice((p - 1) * pageSize, p * pageSize);
}

/**
 * A comparator per sortable column, given the direction (1 ascending, -1 descending) so that a tie-break can keep
 * its own direction; `fallback` orders the list when no column is sorted. Stable, never mutates `rows`.
 */
export type Comparators<T, P extends string> = Record<P, (a: T, b: T, dir: 1 | -1) => number>;
export function sortRows<T, P extends string>(rows: readonly T[], sort: ListSort<P> | null, by: Comparators<T, P>, fallback: (a: T, b: T) => number): T[] {
  const dir = sort?.order === 'asc' ? 1 : -1;
  const cmp = sort ? (a: T, b: T) => by[sort.prop](a, b, dir) : fallback;
  return [...rows].sort(cmp);
}

/** The table's empty text: still loading, nothing matches the filters, or nothing at all. */
export function emptyText(state: { loaded: boolean; filtered: boolean }, text: { loading: string; noMatch: string; empty: string }): string {
  if (!state.loaded) return text.loading;
  return state.filtered ? text.noMatch : text.empty;
}
