/**
 * Alarms in proportion to the grade, at 3 a.m. on a leap day (Beijing, 2032): a 一般 report only notifies; 较大 raises
 * an amber banner and chimes every minute until acknowledged; 特别重大 raises the red banner, sounds the siren and
 * flashes the tab title until someone acknowledges. Acknowledging silences, the tray keeps the row. And in a
 * browser launched without the suite's autoplay flag, the console says plainly that sound is blocked, asks once
 * and remembers.
 */
import { chromium, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import config from '../../playwright.config.ts';
import { DEMO_PASSWORD, expect, loginAs, pinClock, test } from './helpers.ts';

// After every other spec's instant: the deadlines of these reports never fall due inside another spec's clock.
const AT = '2032-02-29T03:00:00+08:00';

/** Counts the console's alert sounds: every beep, chime and siren starts oscillators. */
async function countSounds(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __tones: number };
    w.__tones = 0;
    const orig = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      w.__tones++;
      return orig.call(this);
    };
  });
}
const tones = (p: Page) => p.evaluate(() => (window as unknown as { __tones: number }).__tones);

test('一般 notifies, 较大 chimes every minute, 特别重大 sirens and flashes the title until acknowledged', async ({ browser, request }) => {
  await pinClock(request, AT);
  const county = await loginAs(browser, '150125-duty'); // 武川县: a county no other spec reports from (its open incidents would join their handovers)
  const city = await loginAs(browser, '150100-duty', { init: countSounds });
  const tag = Date.now() % 100000;
  const sent: string[] = [];
  const phone = async (grade: number, title: string) => {
    const res = await county.request.post('/api/reports/phone', {
      data: { requestId: randomUUID(), title, eventTime: new Date(Date.parse(AT) - 10 * 60_000).toISOString(), place: '可可以力更镇', grade, summary: '现场情况', caller: '县值班员', callee: '市值班员' },
    });
    expect(res.ok(), await res.text()).toBe(true);
    sent.push((await res.json()).report.id);
  };
  const banner = city.getByTestId('alarm-banner');
  const row = (title: string) => city.getByTestId('alarm-row').filter({ hasText: title });
  const toast = (title: string) => city.getByTestId('report-toast').filter({ hasText: title });

  // 一般: a row in the tray and a notification, no banner.
  const minor = `一般事件 ${tag}`;
  await phone(4, minor);
  await expect(toast(minor)).toBeVisible();
  await expect(banner).toHaveCount(0);

  // 较大: the amber banner and the chime, again a minute later while nobody acknowledges.
  const major = `较大事件 ${tag}`;
  await phone(3, major);
  await expect(banner).toHaveAttribute('data-level', 'chime');
  await expect(row(major)).toHaveAttribute('data-level', 'chime');
  await expect.poll(() => tones(city)).toBeGreaterThan(0);
  const afterChime = await tones(city);
  await city.clock.fastForward(61_000);
  await expect.poll(() => tones(city)).toBeGreaterThan(afterChime);

  // 特别重大: the banner turns red, the siren sounds, the title flashes; its row comes first.
  const grave = `特别重大事件 ${tag}`;
  await phone(1, grave);
  await expect(banner).toHaveAttribute('data-level', 'siren');
  await expect(city.getByTestId('alarm-row').first()).toContainText(grave);
  await expect.poll(() => city.title(), { timeout: 5_000 }).toContain('【紧急】');
  // Switched to English while the alarm is up, the banner and the tray speak English too (the unit's words stay).
  await city.getByTestId('lang-switch').click();
  await expect(city.getByTestId('alarm-row').first()).toContainText('Urgent report · Especially serious (I)');
  await expect(city.getByTestId('alarm-row').first()).toContainText(grave);
  await city.getByTestId('lang-switch').click();
  await expect(city.getByTestId('alarm-row').first()).toContainText('紧急信息 · 特别重大(I)');

  // Acknowledging the siren leaves the chime; acknowledging that, silence — the tray still holds both rows.
  await row(grave).getByTestId('alarm-ack').click();
  await expect(banner).toHaveAttribute('data-level', 'chime');
  await expect.poll(() => city.title()).not.toContain('【紧急】');
  await row(major).getByTestId('alarm-ack').click();
  await expect(banner).toHaveCount(0);
  await expect(toast(grave)).toBeVisible();
  await expect(toast(major)).toBeVisible();
  const silent = await tones(city);
  await city.clock.fastForward(2 * 61_000);
  await city.waitForTimeout(1_500);
  expect(await tones(city)).toBe(silent);

  // The city signs for them (签收): nothing of this test stays waiting at the city for the specs after it.
  for (const id of sent) expect((await city.request.post(`/api/reports/${id}/acknowledge`, { data: {} })).ok()).toBe(true);
});

test('without the autoplay flag: the console says sound is blocked, asks once, remembers', async () => {
  const use = config.use ?? {};
  const args = (use.launchOptions?.args ?? []).filter((a) => !a.startsWith('--autoplay-policy'));
  const strict = await chromium.launch({ ...use.launchOptions, args });
  try {
    const context = await strict.newContext({ baseURL: use.baseURL, locale: use.locale, timezoneId: use.timezoneId });
    const page = await context.newPage();
    await page.goto('/', { waitUntil: 'domcontentloaded' });
    await page.getByTestId('login-username').fill('150102-duty');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    // Typing and clicking 登录 are gestures; a reload then starts blocked again, as a duty console does every morning.
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('current-user')).toBeVisible();
    await page.reload();
    const bar = page.getByTestId('sound-bar');
    await expect(bar).toHaveAttribute('data-mode', 'ask');
    await expect(bar).toContainText('浏览器阻止了提醒声音');
    await page.getByTestId('sound-enable').click();
    await expect(bar).toHaveCount(0);
    // Remembered: after the next reload it no longer asks, it says plainly that sound waits for a click.
    await page.reload();
    await expect(bar).toHaveAttribute('data-mode', 'blocked');
    await expect(bar).toContainText('点击页面任意处即可恢复');
    await page.locator('main').click({ position: { x: 5, y: 5 } });
    await expect(bar).toHaveCount(0);
  } finally {
    await strict.close();
  }
});
