/**
 * Issue 16 in the browser: the audit administrator finds a failed sign-in in the audit trail, filtered by
 * user, and verifies the hash chain; the other administrators have no audit link.
 */
import { type Page } from '@playwright/test';
import { DEMO_PASSWORD, expect, test } from './helpers.ts';

async function login(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

test('the audit administrator finds a failed sign-in and verifies the chain; the system administrator has no audit page', async ({ page, browser }) => {
  await login(page, '150624-duty', 'Wrong@2031x');
  await expect(page.getByTestId('login-error')).toBeVisible();

  const sys = await (await browser.newContext()).newPage();
  await login(sys, 'sysadmin');
  await expect(sys.getByTestId('current-user')).toHaveText('系统管理员');
  await expect(sys.getByTestId('nav-audit')).toHaveCount(0);
  await expect(sys.getByTestId('nav-password-reset')).toHaveCount(0);
  // 三员分立: no business section either (its pages would show nothing the administrator may act on).
  await expect(sys.getByTestId('side-menu')).toHaveCount(0);
  await expect(sys.getByTestId('nav-reports')).toHaveCount(0);

  const auditor = await (await browser.newContext()).newPage();
  await login(auditor, 'auditadmin');
  await auditor.getByTestId('nav-audit').click();
  await auditor.getByTestId('audit-username').fill('150624-duty');
  await auditor.getByTestId('audit-search').click();
  const rows = auditor.getByTestId('audit-table').locator('.el-table__body tr.el-table__row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('auth.login_failed');
  await expect(rows.first()).toContainText('401');
  await auditor.getByTestId('audit-verify').click();
  await expect(auditor.getByTestId('audit-verdict')).toContainText('哈希链完整');
});
