/**
 * Issue 15 in the browser: the system administrator registers a county duty phone with a digest password; the
 * list shows its unit and 已设密码, never the password; a leader has no such page (the API refuses it).
 */
import { expect, loginAs, test } from './helpers.ts';

test('the system administrator registers a unit phone with a password that is never shown again', async ({ browser }) => {
  const page = await loginAs(browser, 'sysadmin');
  await page.getByTestId('nav-voice-phones').click();
  await expect(page.getByTestId('voice-phones-page')).toContainText('单位登记电话');
  await page.getByTestId('phone-number').fill('04716660911');
  await page.getByTestId('phone-unit').click();
  await page.keyboard.type('武川');
  await page.locator('.el-select-dropdown__item', { hasText: '武川县' }).first().click();
  await page.getByTestId('phone-password').fill('Wuchuan@duty1');
  await page.getByTestId('phone-add').click();
  const row = page.getByTestId('phone-table').locator('.el-table__body tr.el-table__row', { hasText: '04716660911' });
  await expect(row).toContainText('已设密码');
  await expect(row).toContainText('未注册');
  await expect(page.getByTestId('phone-password')).toHaveValue('');
  await expect(page.locator('body')).not.toContainText('Wuchuan@duty1');

  const leader = await loginAs(browser, '150100-leader');
  await expect(leader.getByTestId('nav-voice-phones')).toHaveCount(0);
  const res = await leader.request.get('/api/voice/phones');
  expect(res.status()).toBe(403);
});
