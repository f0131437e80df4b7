/**
 * The reports list as a city duty officer uses it: 23 reports from two counties, twenty to a page, the total
 * and the next page from the server, a grade filter, a unit chosen in the tree, a sort by event time — and the
 * menu's count of reports to sign for stays whole whatever the list shows. The incidents (on their own page) are
 * paged and sorted by the server too.
 */
import { randomUUID } from 'node:crypto';
import { expect, loginAs, pinClock, test } from './helpers';

// Midsummer's last evening in Beijing; no other spec uses it, nor these units (巴彦淖尔 and two of its counties).
const AT = '2033-06-30T22:00:00+08:00';

test('pages, filters by grade and unit tree, sorts by event time; the menu keeps counting what waits', async ({ browser, request }) => {
  await pinClock(request, AT);
  const counties = [await loginAs(browser, '150802-duty'), await loginAs(browser, '150821-duty')];
  for (let i = 0; i < 23; i++) {
    const res = await counties[i % 2]!.request.post('/api/reports/phone', {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
      data: {
        requestId: randomUUID(),
        title: `列表演练 ${String(i).padStart(2, '0')}`,
        eventTime: new Date(Date.parse(AT) - (100 - i) * 60_000).toISOString(),
        place: i % 2 ? '五原县' : '临河区',
        grade: (i % 4) + 1,
        summary: '电话报告',
        caller: '县值班员',
        callee: '市值班室',
      },
    });
    expect(res.status()).toBe(201);
  }

  const city = await loginAs(browser, '150800-duty');
  const list = city.getByTestId('report-list');
  const items = list.getByTestId('report-item');
  await expect(items).toHaveCount(20);
  await expect(city.getByTestId('report-pager')).toContainText('23');
  await expect(items.first()).toContainText('列表演练 22'); // newest first
  await expect(city.getByTestId('nav-count-reports-danger')).toHaveText('23');

  // Page 2 holds the three oldest.
  await city.getByTestId('report-pager').locator('.el-pager li', { hasText: '2' }).click();
  await expect(items).toHaveCount(3);
  await expect(items.first()).toContainText('列表演练 02');

  // 特别重大 only: i = 0, 4, …, 20 — six of them, back on page 1.
  await city.getByTestId('report-filter-grade').click();
  await city.locator('.el-select-dropdown__item:visible', { hasText: '特别重大' }).click();
  await expect(items).toHaveCount(6);
  await expect(city.getByTestId('report-pager')).toContainText('6');
  await expect(city.getByTestId('nav-count-reports-danger')).toHaveText('23'); // what waits is not filtered

  // One county chosen in the unit tree: 五原县 sent the odd ones, none of which is grade 1.
  await city.getByTestId('report-filter-unit').click();
  await city.getByRole('tree').getByRole('option', { name: '五原县', exact: true }).click();
  await expect(list).toContainText('没有符合条件的报告');

  // Clear the grade; 五原县's eleven reports, oldest event first after a sort on 事发时间.
  await city.getByTestId('report-filter-grade').hover();
  await city.getByTestId('report-filter-grade').locator('.el-select__clear, .el-icon.el-select__caret').first().click();
  await expect(items).toHaveCount(11);
  await list.locator('th', { hasText: '事发时间' }).locator('.sort-caret.ascending').click();
  await expect(items.first()).toContainText('列表演练 01');
  await expect(items.last()).toContainText('列表演练 21');

  // The 23 open incidents (突发事件 page), also twenty to a page from the server; sorted by grade, 特别重大 on top.
  await city.goto('/reports');
  const incidents = city.getByTestId('incident-list');
  const incidentItems = incidents.getByTestId('incident-item');
  await expect(incidentItems).toHaveCount(20);
  await expect(city.getByTestId('incident-pager')).toContainText('23');
  await city.getByTestId('incident-pager').locator('.el-pager li', { hasText: '2' }).click();
  await expect(incidentItems).toHaveCount(3);
  await incidents.locator('th', { hasText: '等级' }).locator('.sort-caret.descending').click();
  await expect(incidentItems).toHaveCount(20); // a new order starts on page 1
  await expect(incidents.locator('tbody tr').first()).toContainText('特别重大');
  await expect(incidents.locator('tbody tr').nth(5)).toContainText('特别重大'); // six of them (i = 0, 4, …, 20)
  await expect(incidents.locator('tbody tr').nth(6)).not.toContainText('特别重大');
});
