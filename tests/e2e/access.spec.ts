/**
 * Issue 8 in the browser: the built console runs under the CSP (no violation on the main pages, the socket
 * on a websocket), the login page tells the tries left and the lock, and the password pages work.
 */
import { type Page } from '@playwright/test';
import { DEMO_PASSWORD, expect, test } from './helpers.ts';

async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

async function login(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

test('the console runs under the CSP: board charts, duty, meetings, device test, no violation; the socket is a websocket', async ({ page }) => {
  const violations = await watchCsp(page);
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  const res = await page.goto('/login');
  expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
  await login(page, '150121-leader');
  await expect(page.getByTestId('current-user')).toBeVisible();
  for (const path of ['/reports/board', '/duty/now', '/duty/roster', '/reports', '/account/password', '/meetings/device-test']) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
  }
  await expect.poll(() => sockets.some((u) => u.includes('/socket.io/'))).toBe(true);
  expect(violations).toEqual([]);
});

// Accounts of 包头市 counties here: the duty specs use 呼和浩特市's, and a locked or re-passworded account would break them.
test('login: wrong passwords show the tries left, then the lock with its minutes', async ({ page }) => {
  await login(page, '150221-duty', 'Wrong@2026');
  await expect(page.getByTestId('login-error')).toContainText('用户名或密码错误');
  await expect(page.getByTestId('login-error')).toContainText('还可尝试 4 次');
  for (let i = 0; i < 4; i++) await page.getByTestId('login-submit').click();
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toContainText('分钟后再试');
});

test('change own password (policy shown as you type), then an administrator resets it', async ({ page, browser }) => {
  await login(page, '150222-duty');
  await page.getByTestId('nav-password').click();
  await page.getByTestId('pw-old').fill(DEMO_PASSWORD);
  await page.getByTestId('pw-new').fill('abcdefgh');
  await expect(page.getByTestId('pw-problems')).toContainText('至少三类');
  await page.getByTestId('pw-new').fill('Xinmima@2027');
  await expect(page.getByTestId('pw-problems')).toHaveCount(0);
  await page.getByTestId('pw-confirm').fill('Xinmima@2027');
  await page.getByTestId('pw-submit').click();
  await expect(page.getByTestId('pw-done')).toBeVisible();

  const admin = await (await browser.newContext()).newPage();
  await login(admin, 'secadmin');
  await admin.getByTestId('nav-password-reset').click();
  await admin.getByTestId('reset-username').fill('150222-duty');
  await admin.getByTestId('reset-password').fill('Chongzhi@2027');
  await admin.getByTestId('reset-submit').click();
  await expect(admin.getByTestId('reset-done')).toContainText('150222-duty');
  // The reset ended the county's session: its console goes back to the login page.
  await page.goto('/reports');
  await expect(page.getByTestId('login-username')).toBeVisible();
  await login(page, '150222-duty', 'Chongzhi@2027');
  await expect(page.getByTestId('current-user')).toBeVisible();
});
