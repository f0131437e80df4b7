/** Pinned clocks for browser tests: the browser's (page.clock) and the server's (TEST_CLOCK=1 route). */
import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from './helpers.ts';

/** A fresh browser context whose clock starts at `time` (and then runs), logged in as a demo account. */
export async function loginAt(browser: Browser, username: string, time: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.clock.install({ time: new Date(time) });
  await page.goto('/');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('current-user')).toBeVisible();
  return page;
}

/** Sets the server's clock to `time` (absolute), through the test-only route. */
export async function pinServerClock(request: APIRequestContext, time: string): Promise<void> {
  const cur = (await (await request.get('/api/test/clock')).json()) as { now: string };
  const res = await request.post('/api/test/clock', { data: { advanceMs: Date.parse(time) - Date.parse(cur.now) } });
  expect(res.ok()).toBe(true);
}

/** Puts the server's clock back to the system clock (other spec files expect it). */
export async function resetServerClock(request: APIRequestContext): Promise<void> {
  const cur = (await (await request.get('/api/test/clock')).json()) as { offsetMs: number };
  if (cur.offsetMs) await request.post('/api/test/clock', { data: { advanceMs: -cur.offsetMs } });
}
