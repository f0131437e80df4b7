/**
 * The state of a list held whole in the console (meetings, incidents): filters, a sort from the table's headers,
 * a page. Changing the filters or the sort goes back to page 1; a list that shrank shows its last page.
 */
import { computed, ref, watch, type Ref } from 'vue';
import { lastPage, pageOf, sortFromTable, sortRows, tableSortOf, type Comparators, type ListSort, type TableSortEvent } from './listState';

export interface LocalListOptions<T, P extends string, F extends object> {
  rows: () => readonly T[];
  sorts: Comparators<T, P>;
  /** The order when no column is sorted. */
  fallback: (a: T, b: T) => number;
  /** The filters' starting values; `match` keeps a row. */
  filters?: F;
  match?: (row: T, filters: F) => boolean;
  pageSize?: number;
}

export function useLocalList<T, P extends string, F extends object = Record<string, never>>(opts: LocalListOptions<T, P, F>) {
  const filters = ref({ ...(opts.filters ?? {}) }) as Ref<F>;
  const sort = ref<ListSort<P> | null>(null) as Ref<ListSort<P> | null>;
  const page = ref(1);
  const pageSize = ref(opts.pageSize ?? 20);

  const matched = computed(() => {
    const f = filters.value;
    const rows = opts.rows();
    return opts.match ? rows.filter((r) => opts.match!(r, f)) : [...rows];
  });
  const sorted = computed(() => sortRows(matched.value, sort.value, opts.sorts, opts.fallback));
  const total = computed(() => sorted.value.length);
  const pageRows = computed(() => pageOf(sorted.value, page.value, pageSize.value));
  /** Any filter set to something (for "no match" rather than "nothing yet"). */
  const filtered = computed(() => Object.values(filters.value).some((v) => v !== '' && v !== undefined && v !== null && v !== 'all'));

  watch(filters, () => (page.value = 1), { deep: true });
  watch(pageSize, () => (page.value = 1));
  watch(total, (n) => {
    if (page.value > lastPage(n, pageSize.value)) page.value = lastPage(n, pageSize.value);
  });

  function onSort(e: TableSortEvent): void {
    sort.value = sortFromTable(e, Object.keys(opts.sorts) as P[]);
    page.value = 1;
  }
  const tableSort = computed(() => tableSortOf(sort.value));

  return { filters, sort, page, pageSize, matched, sorted, total, pageRows, filtered, onSort, tableSort };
}
