/** A county duty officer's urgent report appears live on the city's and the region's consoles. */
import { expect, test } from '@playwright/test';
import { loginAs } from './helpers.ts';

test('a county report reaches the city and the region live, not a sibling county', async ({ browser }) => {
  const city = await loginAs(browser, '150100-duty');
  const region = await loginAs(browser, '150000-duty');
  const sibling = await loginAs(browser, '150103-duty');
  const county = await loginAs(browser, '150102-duty');
  const title = `新城区某小区燃气泄漏 ${Date.now()}`;

  await county.getByTestId('report-title').fill(title);
  await county.getByTestId('report-place').fill('新城区海拉尔东路');
  await county.getByTestId('report-grade').selectOption('3');
  await county.getByTestId('report-summary').fill('已疏散居民约200人，无人员伤亡，燃气公司正在抢修。');
  await county.getByTestId('report-submit').click();

  for (const page of [county, city, region]) {
    const item = page.getByTestId('report-item').filter({ hasText: title });
    await expect(item).toBeVisible(); // no reload: pushed over socket.io
    await expect(item).toContainText('新城区');
  }
  await county.waitForTimeout(500);
  await expect(sibling.getByTestId('report-item').filter({ hasText: title })).toHaveCount(0);

  // The draft is gone after a successful submit, so the form is ready for the next call.
  await expect(county.getByTestId('report-title')).toHaveValue('');
});

test('a report being typed survives a reload (draft saved)', async ({ browser }) => {
  const county = await loginAs(browser, '150102-duty');
  await county.getByTestId('report-title').fill('草稿不丢失测试');
  await county.getByTestId('report-summary').fill('凌晨三点接报，尚在核实');
  await county.waitForTimeout(800);
  await county.reload();
  await expect(county.getByTestId('report-title')).toHaveValue('草稿不丢失测试');
  await expect(county.getByTestId('report-summary')).toHaveValue('凌晨三点接报，尚在核实');
});
