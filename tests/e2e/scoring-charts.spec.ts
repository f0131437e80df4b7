/**
 * The bulletin's charts and Excel hold the numbers of its tables, at 包头市 (150200) in October–December 2039
 * (UTC+8; an autumn no other spec's clock visits, and never the last three days of a month, so no quota
 * reminders are made): three districts and the city's own department (办公室, 150200-01) send items in October
 * and November, the city adopts some at two tiers. On 2 December the city's editor opens November's bulletin:
 * the divisions and the department each have their own table and their own ranking chart, whose bars (read from
 * the ECharts instance) are the table's rows; the downloaded Excel is the screen, sheet by sheet; the quarter's
 * trend and unit × month heat map add up to the quarter table's points.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { APIRequestContext, Page } from '@playwright/test';
import { DEMO_PASSWORD, expect, loginAs, pinClock, test } from './helpers.ts';

const review = { containsSecrets: false, fitToPublish: true, figuresChecked: true };
const OFFICE = '150200';

interface ScreenRow {
  rank: string;
  unit: string;
  submitted: string;
  adopted: string;
  rate: string;
  points: string;
  change: string;
  requests: string;
  late: string;
  missing: string;
  demanded: string;
}
/** A ranking table as the editor reads it, row by row. */
async function screenRows(page: Page, testid: string): Promise<ScreenRow[]> {
  const rows = page.getByTestId(testid).locator('.el-table__body-wrapper tr.el-table__row');
  const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
  return cells.map((c) => ({ rank: c[0]!, unit: c[1]!, submitted: c[2]!, adopted: c[3]!, rate: c[4]!, points: c[5]!, change: c[6]!, requests: c[7]!, late: c[8]!, missing: c[9]!, demanded: c[10]! }));
}
/** The option the chart's ECharts instance draws (null until it has drawn). */
const chartOption = (page: Page, testid: string) => page.evaluate((id) => (window as unknown as { __chartOption: (t: string) => any }).__chartOption(id), testid);

test('the bulletin’s ranking charts and Excel hold its tables’ numbers; departments ranked apart', async ({ browser, playwright, baseURL }) => {
  test.setTimeout(240_000);
  const setClock = async (iso: string) => {
    const c = await playwright.request.newContext({ baseURL });
    await pinClock(c, iso);
    await c.dispose();
  };
  await setClock('2039-10-14T10:00:00+08:00');
  const as = async (username: string): Promise<APIRequestContext> => {
    const c = await playwright.request.newContext({ baseURL });
    expect((await c.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } })).ok()).toBe(true);
    return c;
  };
  const units = ['150202', '150203', '150204', '150200-01'];
  const people = await Promise.all(units.flatMap((u) => [`${u}-info`, `${u}-leader`]).map(as));
  const city = await as(`${OFFICE}-editor`);
  const pubs = ((await (await city.get('/api/information/publications')).json()).publications as { id: string; name: string }[]).filter((p) => p.name === '政务信息' || p.name === '信息专报');
  const pub = (name: string) => pubs.find((p) => p.name === name)!.id;
  /** An item of `unit`, signed off by its leader; adopted by the city into `into` when given. */
  const send = async (unit: string, kind: string, title: string, into?: string) => {
    const i = units.indexOf(unit);
    const [officer, leader] = [people[2 * i]!, people[2 * i + 1]!];
    const id = randomUUID();
    expect((await officer.put(`/api/information/items/${id}`, { data: { kind, title, body: `${title}。`, classification: 0 } })).ok()).toBe(true);
    const item = (await (await leader.post(`/api/information/items/${id}/signoff`, { data: { decision: 'sign', review, classification: 0 } })).json()).item;
    const delivery = item.deliveries.find((d: { officeCode: string }) => d.officeCode === OFFICE).id;
    if (into) expect((await city.post(`/api/information/deliveries/${delivery}/adopt`, { data: { publicationId: pub(into), title, body: '正文' } })).ok()).toBe(true);
  };

  // October: 东河区's analysis in 信息专报 (10 × 2) and a dynamic in 政务信息 (5); 昆都仑区 and 办公室 one each (5).
  await send('150202', 'analysis', '东河区城乡低保提标调研', '信息专报');
  await send('150202', 'dynamic', '东河区冬储菜保供', '政务信息');
  await send('150203', 'dynamic', '昆都仑区社区食堂开业', '政务信息');
  await send('150204', 'dynamic', '青山区走访独居老人');
  await send('150200-01', 'dynamic', '包头市办公室督查通报', '政务信息');
  // November: 昆都仑区 and 办公室 in 信息专报 (10), 青山区 in 政务信息 (5).
  await setClock('2039-11-14T10:00:00+08:00');
  await send('150203', 'dynamic', '昆都仑区供暖入户测温', '信息专报');
  await send('150204', 'dynamic', '青山区老旧小区改造', '政务信息');
  await send('150200-01', 'dynamic', '包头市办公室值班值守检查', '信息专报');

  await setClock('2039-12-02T09:00:00+08:00');
  const editor = await loginAs(browser, `${OFFICE}-editor`);
  await editor.getByTestId('nav-information').click();
  await editor.getByTestId('info-tab-score-bulletins').click();
  await expect(editor.getByTestId('bulletin-title')).toHaveText('包头市 2039年11月');
  // The divisions and the department: two tables, two charts.
  await expect(editor.getByTestId('bulletin-group-division')).toBeVisible();
  await expect(editor.getByTestId('bulletin-group-department')).toBeVisible();
  const divisions = await screenRows(editor, 'bulletin-table');
  const departments = await screenRows(editor, 'bulletin-table-department');
  expect(divisions.map((r) => r.unit)).not.toContain('包头市办公室');
  expect(departments.map((r) => [r.rank, r.unit, r.points])).toEqual([['1', '包头市办公室', '10']]);
  expect(divisions.slice(0, 2).map((r) => [r.rank, r.unit, r.points])).toEqual([
    ['1', '昆都仑区', '10'],
    ['2', '青山区', '5'],
  ]);
  // Each chart's bars are its table's rows: the same units in the same order with the same points.
  for (const [chart, rows] of [['bulletin-rank-chart', divisions], ['bulletin-rank-chart-department', departments]] as const) {
    await expect.poll(() => chartOption(editor, chart)).not.toBeNull();
    const o = await chartOption(editor, chart);
    expect({ labels: o.yAxis[0].data, values: o.series[0].data }).toEqual({ labels: rows.map((r) => r.unit), values: rows.map((r) => Number(r.points)) });
  }

  // The Excel is the screen: the divisions' sheet and the departments' sheet, row for row.
  const [download] = await Promise.all([editor.waitForEvent('download'), editor.getByTestId('bulletin-excel').click()]);
  expect(download.suggestedFilename()).toBe('包头市2039年11月政务信息通报.xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(await download.path());
  const asScreen = (sheet: string): ScreenRow[] =>
    (wb.getWorksheet(sheet)!.getSheetValues() as unknown[][]).slice(2).map((v) => {
      const change = v[10] === '' || v[10] === undefined || v[10] === null ? '新进' : Number(v[10]) > 0 ? `↑${v[10]}` : Number(v[10]) < 0 ? `↓${-Number(v[10])}` : '—';
      return { rank: String(v[1]), unit: String(v[2]), submitted: String(v[3]), adopted: `${v[4]}（本级${v[5]}/上级${v[6]}/外部${v[7]}）`, rate: `${v[8]}%`, points: String(v[9]), change, requests: String(v[11]), late: String(v[12]), missing: String(v[13]), demanded: String(v[14]) };
    });
  expect(asScreen('排名')).toEqual(divisions);
  expect(asScreen('处室排名')).toEqual(departments);
  // Adopted by publication: on the row's details and in the sheet's last column.
  await editor.getByTestId('bulletin-table').locator('tr.el-table__row', { hasText: '昆都仑区' }).click();
  await expect(editor.getByTestId('bulletin-bypub-150203')).toHaveText('按刊物采用：包头市·信息专报 1');
  const kundulun = (wb.getWorksheet('排名')!.getSheetValues() as unknown[][]).find((v) => v?.[2] === '昆都仑区')!;
  expect(kundulun[15]).toBe('包头市·信息专报 1');

  // The quarter so far: October and November. The trend's lines and the heat map's rows add up to the table.
  await editor.getByTestId('bulletin-kind').click();
  await editor.locator('.el-select-dropdown__item:visible', { hasText: /^季度$/ }).click();
  await expect(editor.getByTestId('bulletin-title')).toHaveText('包头市 2039年第四季度');
  const quarter = [...(await screenRows(editor, 'bulletin-table')), ...(await screenRows(editor, 'bulletin-table-department'))];
  expect(quarter.find((r) => r.unit === '东河区')).toMatchObject({ rank: '1', points: '25' });
  const pointsOf = new Map(quarter.map((r) => [r.unit, Number(r.points)]));
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  await expect.poll(() => chartOption(editor, 'bulletin-trend')).not.toBeNull();
  const trend = await chartOption(editor, 'bulletin-trend');
  expect(trend.xAxis[0].data).toEqual(['2039-10', '2039-11', '2039-12']);
  expect(trend.series.map((s: { name: string }) => s.name)).toEqual(quarter.slice(0, 5).map((r) => r.unit));
  for (const s of trend.series as { name: string; data: number[] }[]) expect([s.name, sum(s.data)]).toEqual([s.name, pointsOf.get(s.name)]);
  // 东河区: all of it in October.
  expect(trend.series[0].data).toEqual([25, 0, 0]);
  const heat = await chartOption(editor, 'bulletin-heatmap');
  const names: string[] = heat.yAxis[0].data;
  expect(names).toEqual(quarter.map((r) => r.unit));
  const cells = heat.series[0].data as [number, number, number][];
  expect(cells).toHaveLength(names.length * 3);
  for (const [i, name] of names.entries()) expect([name, sum(cells.filter((c) => c[1] === i).map((c) => c[2]))]).toEqual([name, pointsOf.get(name)]);
  for (const c of [...people, city]) await c.dispose();
});
