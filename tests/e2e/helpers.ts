import { test as base, expect, type APIRequestContext, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'Demo@2026';

/**
 * Chosen instants (Beijing time, UTC+8) for the hour- and date-sensitive specs: each hour that matters to the
 * duty and deadline rules, on a month's last day, on 29 February and on New Year's Eve.
 */
export const INSTANTS = [
  '2028-02-29T03:00:00+08:00',
  '2026-11-30T08:29:00+08:00',
  '2027-02-28T08:31:00+08:00',
  '2028-02-29T12:31:00+08:00',
  '2026-12-31T23:59:00+08:00',
] as const;

/** Contexts whose browser clock follows the pinned server clock. */
const pinnedContexts = new Set<BrowserContext>();
let pinned = false;

async function serverNow(request: APIRequestContext): Promise<number> {
  const res = await request.get('/api/test/clock');
  expect(res.ok()).toBe(true);
  return Date.parse((await res.json()).now);
}

/**
 * Puts the server clock at `iso` (it runs on from there); every page logged in afterwards gets its browser
 * clock installed at the server's time, so what the console computes (default times, countdowns) agrees.
 */
export async function pinClock(request: APIRequestContext, iso: string): Promise<void> {
  const res = await request.post('/api/test/clock', { data: { setIso: iso } });
  expect(res.ok()).toBe(true);
  pinned = true;
}

/** Back to the real clock (for the specs that do not pin). */
export async function unpinClock(request: APIRequestContext): Promise<void> {
  await request.post('/api/test/clock', { data: { reset: true } });
  pinned = false;
  pinnedContexts.clear();
}

/** Moves the server clock and the wall clock of every pinned browser by `ms`, without firing browser timers early. */
export async function advanceClock(request: APIRequestContext, ms: number): Promise<void> {
  const res = await request.post('/api/test/clock', { data: { advanceMs: ms } });
  expect(res.ok()).toBe(true);
  const now = Date.parse((await res.json()).now);
  for (const c of pinnedContexts) await c.clock.setSystemTime(now);
}

export interface LoginOptions {
  /** The browser's clock starts at this instant (and runs on), whatever the server's clock says. */
  at?: string | Date;
  /** Runs on the fresh page before the console loads (init scripts, counters). */
  init?: (page: Page) => Promise<void>;
}

/**
 * A fresh browser context (its own cookies: another site) logged in as a demo account. Its browser clock
 * starts at `opts.at`, else at the pinned server clock's time when the server clock is pinned.
 */
export async function loginAs(browser: Browser, username: string, opts: LoginOptions = {}): Promise<Page> {
  const context = await browser.newContext();
  if (opts.at !== undefined) {
    await context.clock.install({ time: new Date(opts.at) });
  } else if (pinned) {
    // The browser's timers keep running in real time from that instant (socket.io and WebRTC need them).
    await context.clock.install({ time: await serverNow(context.request) });
    pinnedContexts.add(context);
  }
  const page = await context.newPage();
  await opts.init?.(page);
  // The login form is what the user waits for; the load event also waits for every font subset and may lag far
  // behind on a busy machine with many consoles open.
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('current-user')).toBeVisible();
  return page;
}

/**
 * Every spec's `test`. After each test the consoles it opened are closed, passed or failed — a console left
 * open keeps its camera, its WebRTC and its socket busy and slowed every later spec until logins timed out —
 * and a pinned server clock goes back to real time, so no spec inherits another's instant.
 */
export const test = base.extend<{ cleanUp: void }>({
  cleanUp: [
    async ({ browser, context, request }, use) => {
      await use();
      await Promise.all(browser.contexts().filter((c) => c !== context).map((c) => c.close().catch(() => undefined)));
      if (pinned) await unpinClock(request);
    },
    { auto: true },
  ],
});
export { expect };

/**
 * Types a local date-time (`YYYY-MM-DDTHH:mm`, as `<input type="datetime-local">` takes it) into a DateTimeField
 * by its test id, as a user would type it into the picker, and waits for the form to hold it.
 */
export async function fillDateTime(page: Page, testid: string, value: string): Promise<void> {
  const field = page.getByTestId(testid);
  const input = field.locator('input').first();
  const [date, time] = value.split('T');
  const [y, m, d] = date!.split('-');
  const zh = (await page.evaluate(() => document.documentElement.lang)) !== 'en';
  await input.click();
  await input.fill(zh ? `${y}年${m}月${d}日 ${time}` : `${date} ${time}`);
  await input.press('Enter');
  await expect(field).toHaveAttribute('data-value', value);
}

/** The console's confirm dialog (Element Plus): confirms it, as a user clicks 确定. */
export async function acceptDialog(page: Page): Promise<void> {
  const box = page.locator('.tl-dialog');
  await expect(box).toBeVisible();
  await box.locator('.el-message-box__btns .el-button--primary').click();
  await expect(box).toBeHidden();
}

/** The console's prompt dialog (Element Plus): types the answer and confirms. */
export async function answerDialog(page: Page, answer: string): Promise<void> {
  const box = page.locator('.tl-dialog');
  await expect(box).toBeVisible();
  await box.locator('input').fill(answer);
  await box.locator('.el-message-box__btns .el-button--primary').click();
  await expect(box).toBeHidden();
}

/**
 * Chooses an option of an Element Plus select (`el-select`) by its test id, as a user opens it and clicks the
 * option: `label` is the option's visible text (a string matches exactly, a RegExp as given). The select's
 * dropdown is teleported to the body, so the option is looked for among the visible dropdown items.
 */
export async function chooseOption(page: Page, testid: string, label: string | RegExp): Promise<void> {
  await page.getByTestId(testid).click();
  const text = typeof label === 'string' ? new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) : label;
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first();
  await option.click();
  await expect(page.locator('.el-select-dropdown:visible')).toHaveCount(0);
}

/**
 * Clicks one button of an Element Plus button group (`el-radio-group` of `el-radio-button`s, or `el-segmented`) by
 * the group's test id and the button's visible text, as a user clicks it, and waits for it to be the chosen one.
 */
export async function chooseButton(page: Page, testid: string, label: string): Promise<void> {
  const button = page.getByTestId(testid).locator('label', { has: page.getByText(label, { exact: true }) });
  await button.click();
  await expect(button).toHaveClass(/is-active|is-selected/);
}

/**
 * A meeting's row in the meeting list (an el-table), found by its title or by `{ id }`: the row holds the state,
 * the start, the countdown and the buttons (join, attendance); its class says whether it is reminded.
 */
export function meetingRow(page: Page, meeting: string | RegExp | { id: string }): Locator {
  const item = typeof meeting === 'object' && 'id' in meeting ? page.locator(`[data-testid="meeting-item"][data-meeting-id="${meeting.id}"]`) : page.getByTestId('meeting-item').filter({ hasText: meeting });
  return page.getByTestId('meeting-list').locator('tr.meeting-row').filter({ has: item });
}
