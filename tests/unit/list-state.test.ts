/** The list state every console list shares (console/src/shared/list): table sort in and out, paging, filters. */
import { describe, expect, it } from 'vitest';
import { nextTick, ref } from 'vue';
import { emptyText, lastPage, pageOf, sortFromTable, sortRows, tableSortOf } from '../../console/src/shared/list/listState.ts';
import { useLocalList } from '../../console/src/shared/list/useLocalList.ts';

describe('sortFromTable / tableSortOf', () => {
  it.each([
    [{ prop: 'grade', order: 'ascending' }, { prop: 'grade', order: 'asc' }],
    [{ prop: 'eventTime', order: 'descending' }, { prop: 'eventTime', order: 'desc' }],
    [{ prop: 'grade', order: null }, null], // the caret clicked off: the list's own order
    [{ prop: null, order: 'ascending' }, null],
    [{ prop: 'title', order: 'ascending' }, null], // not a column we sort by
  ] as const)('%j → %j', (e, expected) => expect(sortFromTable(e, ['grade', 'eventTime'])).toEqual(expected));
  it('back to the table’s caret', () => {
    expect(tableSortOf({ prop: 'grade', order: 'asc' })).toEqual({ prop: 'grade', order: 'ascending' });
    expect(tableSortOf({ prop: 'eventTime', order: 'desc' })).toEqual({ prop: 'eventTime', order: 'descending' });
    expect(tableSortOf(null)).toBeUndefined();
  });
});

describe('paging', () => {
  const rows = Array.from({ length: 45 }, (_, i) => i + 1);
  it.each([
    [1, 20, [1, 20]],
    [3, 20, [41, 45]],
    [9, 20, [41, 45]], // past the end: the last page
    [0, 20, [1, 20]],
  ] as const)('page %d of size %d', (page, size, [first, last]) => {
    const p = pageOf(rows, page, size);
    expect([p[0], p.at(-1)]).toEqual([first, last]);
  });
  it('an empty list has one (empty) page', () => {
    expect(lastPage(0, 20)).toBe(1);
    expect(pageOf([], 2, 20)).toEqual([]);
  });
});

describe('sortRows', () => {
  const rows = [
    { n: 2, t: 'b' },
    { n: 1, t: 'c' },
    { n: 2, t: 'a' },
  ];
  const by = { n: (a: (typeof rows)[0], b: (typeof rows)[0], dir: 1 | -1) => dir * (a.n - b.n) || a.t.localeCompare(b.t) };
  const fallback = (a: (typeof rows)[0], b: (typeof rows)[0]) => a.t.localeCompare(b.t);
  it('the direction flips the column, not the tie-break', () => {
    expect(sortRows(rows, { prop: 'n', order: 'asc' }, by, fallback).map((r) => r.t)).toEqual(['c', 'a', 'b']);
    expect(sortRows(rows, { prop: 'n', order: 'desc' }, by, fallback).map((r) => r.t)).toEqual(['a', 'b', 'c']);
  });
  it('no sort: the fallback order, and the input is left as it was', () => {
    expect(sortRows(rows, null, by, fallback).map((r) => r.t)).toEqual(['a', 'b', 'c']);
    expect(rows.map((r) => r.t)).toEqual(['b', 'c', 'a']);
  });
});

describe('emptyText', () => {
  const text = { loading: '加载中…', noMatch: '没有符合条件的会议', empty: '暂无会议' };
  it.each([
    [false, false, '加载中…'],
    [true, false, '暂无会议'],
    [true, true, '没有符合条件的会议'],
  ] as const)('loaded %s, filtered %s', (loaded, filtered, expected) => expect(emptyText({ loaded, filtered }, text)).toBe(expected));
});

describe('useLocalList', () => {
  type Row = { id: number; odd: boolean };
  const make = () => {
    const data = ref<Row[]>(Array.from({ length: 45 }, (_, i) => ({ id: i + 1, odd: (i + 1) % 2 === 1 })));
    const list = useLocalList({
      rows: () => data.value,
      sorts: { id: (a: Row, b: Row, dir) => dir * (a.id - b.id) },
      fallback: (a, b) => a.id - b.id,
      filters: { parity: '' as '' | 'odd' | 'even' },
      match: (r, f) => !f.parity || r.odd === (f.parity === 'odd'),
      pageSize: 20,
    });
    return { data, list };
  };

  it('pages, sorts from the table and goes back to page 1 on a new sort', () => {
    const { list } = make();
    list.page.value = 3;
    expect(list.pageRows.value.map((r) => r.id)).toEqual([41, 42, 43, 44, 45]);
    list.onSort({ prop: 'id', order: 'descending' });
    expect(list.page.value).toBe(1);
    expect(list.pageRows.value[0]!.id).toBe(45);
    expect(list.tableSort.value).toEqual({ prop: 'id', order: 'descending' });
  });

  it('a filter goes back to page 1 and says it is filtered', async () => {
    const { list } = make();
    list.page.value = 2;
    expect(list.filtered.value).toBe(false);
    list.filters.value.parity = 'even';
    await nextTick();
    expect(list.page.value).toBe(1);
    expect(list.total.value).toBe(22);
    expect(list.filtered.value).toBe(true);
  });

  it('a list that shrinks under the page shows its last page', async () => {
    const { data, list } = make();
    list.page.value = 3;
    data.value = data.value.slice(0, 25);
    await nextTick();
    expect(list.page.value).toBe(2);
    expect(list.pageRows.value.map((r) => r.id)).toEqual([21, 22, 23, 24, 25]);
  });
});
