/**
 * Issue 16 in the browser: the idle warning and its countdown (继续使用 keeps the session; letting it lapse returns
 * to the login page with a Chinese message), on a pinned server clock and a pinned browser clock; then the three
 * administrators' division of work: sysadmin creates a unit and an account in it chosen from the tree, secadmin
 * gives it a role (two administrator roles refused) and resets its password, and the new user must change it.
 * Own units (鄂尔多斯市's 杭锦旗 150625 and a new 150629), own instant: the last half hour of June 2034.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, loginAs, pinClock, test } from './helpers.ts';

const T0 = '2034-06-30T23:10:00+08:00';
const MIN = 60_000;

async function asSecadmin(request: APIRequestContext): Promise<void> {
  expect((await request.post('/api/auth/login', { data: { username: 'secadmin', password: 'Demo@2026' } })).ok()).toBe(true);
}

/** Server and browser clocks move together; the browser's due timers fire (the idle guard's among them). */
async function advanceBoth(page: Page, request: APIRequestContext, ms: number): Promise<void> {
  expect((await request.post('/api/test/clock', { data: { advanceMs: ms } })).ok()).toBe(true);
  await page.clock.fastForward(ms);
}

test.describe('sessions and the separated administrators', () => {
  test.beforeEach(async ({ request }) => {
    await pinClock(request, T0);
    await asSecadmin(request);
    // The e2e server has no idle timeout by default (other specs jump the clock by months): this spec sets one.
    expect((await request.put('/api/admin/security-policy', { data: { idleMinutes: 30, maxSessions: 3 } })).ok()).toBe(true);
  });
  test.afterEach(async ({ request }) => {
    await asSecadmin(request);
    expect((await request.post('/api/admin/security-policy/reset')).ok()).toBe(true);
  });

  test('the idle warning counts down; 继续使用 keeps the session, letting it lapse signs out with a reason', async ({ browser, request }) => {
    const page = await loginAs(browser, '150625-duty');
    await expect(page.getByTestId('current-user')).toBeVisible();
    // 28½ minutes without input (the console polls and refreshes on its own meanwhile): the warning, 1½ minutes left.
    await advanceBoth(page, request, 28.5 * MIN);
    await expect(page.getByRole('dialog', { name: '即将自动退出登录' })).toBeVisible();
    await expect(page.getByTestId('idle-countdown')).toHaveText(/^1:[0-3]\d$/);
    await page.getByRole('button', { name: '继续使用' }).click();
    await expect(page.getByRole('dialog', { name: '即将自动退出登录' })).toBeHidden();
    await expect(page.getByTestId('current-user')).toBeVisible();

    // Another 20 minutes: still signed in (the lapse moved to 30 minutes after 继续使用).
    await advanceBoth(page, request, 20 * MIN);
    await expect(page.getByTestId('current-user')).toBeVisible();
    // Then nobody answers: the warning, the countdown runs out, and the login page says why.
    await advanceBoth(page, request, 8.5 * MIN);
    await expect(page.getByRole('dialog', { name: '即将自动退出登录' })).toBeVisible();
    await advanceBoth(page, request, 2 * MIN);
    await expect(page.getByTestId('login-username')).toBeVisible();
    await expect(page.getByTestId('session-ended')).toContainText('因长时间未操作，已自动退出登录');
  });

  test('sysadmin creates a unit and an account in it, secadmin gives it a role and resets its password, the user must change it', async ({ browser }) => {
    const sys = await loginAs(browser, 'sysadmin');
    await sys.getByTestId('nav-units').click();
    await sys.getByTestId('units-tree').getByText('鄂尔多斯市', { exact: true }).click();
    await sys.getByTestId('unit-new-code').fill('150629');
    await sys.getByTestId('unit-new-name').fill('测试新旗');
    await sys.getByTestId('unit-create').click();
    await expect(sys.getByText('已保存')).toBeVisible();
    await expect(sys.getByTestId('units-tree').getByText('测试新旗', { exact: true })).toBeVisible();

    await sys.getByTestId('nav-accounts').click();
    const tree = sys.getByTestId('accounts-tree');
    await tree.getByText('鄂尔多斯市', { exact: true }).click();
    await tree.getByText('测试新旗', { exact: true }).click();
    await sys.getByTestId('account-create').click();
    await sys.getByTestId('account-username').fill('e2e-xinqi-duty');
    await sys.getByTestId('account-name').fill('新旗值班员');
    await expect(sys.locator('.el-dialog').getByText('测试新旗')).toBeVisible();
    await sys.getByTestId('account-save').click();
    const row = sys.getByTestId('accounts-table').locator('tr', { hasText: 'e2e-xinqi-duty' });
    await expect(row).toContainText('测试新旗');
    await expect(row).toContainText('未分配');
    // 三员分立: no role or password pages for the system administrator.
    await expect(sys.getByTestId('nav-roles')).toHaveCount(0);

    const sec = await loginAs(browser, 'secadmin');
    await sec.getByTestId('nav-roles').click();
    await sec.getByTestId('roles-search').fill('e2e-xinqi');
    await sec.getByTestId('roles-search').press('Enter');
    await sec.getByTestId('roles-assign-e2e-xinqi-duty').click();
    const dialog = sec.getByRole('dialog', { name: /分配角色/ });
    await dialog.getByText('系统管理员', { exact: true }).click();
    await dialog.getByText('安全审计员', { exact: true }).click();
    await expect(dialog).toContainText('同一人不能兼任两个管理员角色');
    await expect(sec.getByTestId('roles-save')).toBeDisabled();
    await dialog.getByText('系统管理员', { exact: true }).click();
    await dialog.getByText('安全审计员', { exact: true }).click();
    await dialog.getByText('值班员', { exact: true }).click();
    await sec.getByTestId('roles-save').click();
    await expect(sec.getByTestId('roles-table').locator('tr', { hasText: 'e2e-xinqi-duty' })).toContainText('值班员');
    await sec.getByTestId('roles-reset-e2e-xinqi-duty').click();
    await sec.getByTestId('reset-new-password').fill('Xinqi@2034ab');
    await sec.getByTestId('reset-save').click();
    await expect(sec.getByText('已重置 e2e-xinqi-duty 的密码')).toBeVisible();

    const user = await (await browser.newContext()).newPage();
    await user.goto('/login');
    await user.getByTestId('login-username').fill('e2e-xinqi-duty');
    await user.getByTestId('login-password').fill('Xinqi@2034ab');
    await user.getByTestId('login-submit').click();
    await expect(user.getByTestId('pw-forced')).toContainText('请先设置新密码');
    // Nothing else until it is changed.
    await user.goto('/duty');
    await expect(user.getByTestId('pw-forced')).toBeVisible();
    await user.getByTestId('pw-old').fill('Xinqi@2034ab');
    await user.getByTestId('pw-new').fill('MyOwn@2034cd');
    await user.getByTestId('pw-confirm').fill('MyOwn@2034cd');
    await user.getByTestId('pw-submit').click();
    await expect(user.getByTestId('pw-done')).toBeVisible();
    await expect(user.getByTestId('pw-forced')).toHaveCount(0);
    await user.getByTestId('nav-sessions').click();
    await expect(user.getByTestId('session-table')).toContainText('当前会话');
    await expect(user.getByTestId('current-unit')).toContainText('测试新旗');
  });
});
