/**
 * Pictures of the console as its users see it, at one pinned instant, with a little real work on record first
 * (a grade-I phone report from a county, a written report waiting for sign-off). Writes each page twice, in
 * Chinese and in English, as docs/screenshots/NN-<page>.zh-CN.png and .en.png (the README shows two of them).
 * Not a test of behaviour (the e2e suite is): it fails only when a page does not come up.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, loginAs, pinClock, test } from '../e2e/helpers';

const AT = '2030-03-15T09:30:00+08:00';
const OUT = resolve(import.meta.dirname, '../../docs/screenshots');
let n = 0;

async function picture(page: Page, file: string): Promise<void> {
  // Fonts and charts settle; the console's live clocks keep ticking, which is fine for a picture.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(600);
  await page.screenshot({ path: `${OUT}/${file}.png`, fullPage: true });
}

/** The page as it is (Chinese), then switched to English with the header's button as a user would, and back. */
async function shot(page: Page, name: string): Promise<void> {
  n += 1;
  const file = `${String(n).padStart(2, '0')}-${name}`;
  const html = page.locator('html');
  await expect(html).toHaveAttribute('lang', 'zh-CN');
  await picture(page, `${file}.zh-CN`);
  await page.getByTestId('lang-switch').first().click();
  await expect(html).toHaveAttribute('lang', 'en');
  await picture(page, `${file}.en`);
  await page.getByTestId('lang-switch').first().click();
  await expect(html).toHaveAttribute('lang', 'zh-CN');
}

async function visit(page: Page, path: string, name: string, ready: string): Promise<void> {
  await page.goto(path);
  await expect(page.getByTestId(ready).first()).toBeVisible();
  await shot(page, name);
}

test('the console, page by page', async ({ browser, page, request }) => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  await pinClock(request, AT);

  await page.goto('/login');
  await expect(page.getByTestId('login-username')).toBeVisible();
  await shot(page, 'login');

  // Work on record: a county's grade-I phone report and a written report waiting for its leader.
  const county = await loginAs(browser, '150102-duty');
  const post = (path: string, data: object) => county.request.post(path, { headers: { 'x-requested-with': 'XMLHttpRequest' }, data });
  const ago = (m: number) => new Date(Date.parse(AT) - m * 60_000).toISOString();
  expect(
    (await post('/api/reports/phone', { requestId: randomUUID(), title: '新城区某化工厂发生爆炸', eventTime: ago(12), place: '新城区工业园区', grade: 1, summary: '爆炸起火，伤亡不明，已调派消防力量', caller: '新城区值班员', callee: '呼和浩特市值班室' })).status(),
  ).toBe(201);
  expect(
    (await post('/api/reports', { requestId: randomUUID(), title: '新城区暴雨致道路积水', eventTime: ago(50), place: '新城区兴安路', grade: 4, summary: '积水深约40厘米，已设置警示', action: 'submit' })).status(),
  ).toBe(201);
  await shot(county, 'county-duty-home');
  await visit(county, '/reports', 'county-reports-desk', 'incident-list');

  const city = await loginAs(browser, '150100-duty');
  await expect(city.getByTestId('report-list').getByTestId('report-item').first()).toBeVisible();
  await shot(city, 'city-duty-home-alarm');
  await city.getByTestId('report-list').getByRole('link', { name: '新城区某化工厂发生爆炸' }).click();
  await expect(city.getByTestId('incident-title')).toBeVisible();
  await shot(city, 'city-incident');

  const leader = await loginAs(browser, '150100-leader');
  await visit(leader, '/reports/board', 'report-board-page', 'board-headline');
  await visit(leader, '/duty/roster', 'duty-roster', 'side-menu');
  await visit(leader, '/duty/handover', 'duty-handover', 'side-menu');

  const editor = await loginAs(browser, '150100-editor');
  await visit(editor, '/information/inbox', 'information-inbox', 'side-menu');
  await visit(editor, '/information/bulletins', 'information-bulletins', 'side-menu');

  const venue = await loginAs(browser, '150102-venue');
  await visit(venue, '/', 'venue-home-meetings', 'side-menu');

  const audit = await loginAs(browser, 'auditadmin');
  await visit(audit, '/admin/audit', 'audit-trail', 'audit-table');
});
