import { expect, type Browser, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'Demo@2026';

/** A fresh browser context (its own cookies: another site) logged in as a demo account. */
export async function loginAs(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('current-user')).toBeVisible();
  return page;
}
