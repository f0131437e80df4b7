/**
 * 一月一通报 in the console at 赤峰市 (150400), February 2036 (a leap month, UTC+8; a year no other spec's clock visits, as the month-end reminders are made once per unit and month for the whole server): items reach the city, it
 * adopts one and the region adopts it too; 红山区's officer sees the quota met, 元宝山区's is reminded three days
 * before month end (27 February); on 1 March the city's editor opens the monthly bulletin, sees points and
 * ranks explained line by line, publishes it, and the county reads the published ranking.
 */
import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { DEMO_PASSWORD, expect, loginAs, pinClock, test } from './helpers.ts';

const review = { containsSecrets: false, fitToPublish: true, figuresChecked: true };

test('an officer sees quota progress, the office publishes the monthly bulletin with the ranks', async ({ browser, playwright, baseURL }) => {
  test.setTimeout(180_000);
  const start = await playwright.request.newContext({ baseURL });
  await pinClock(start, '2036-02-10T10:00:00+08:00');
  await start.dispose();
  const as = async (username: string): Promise<APIRequestContext> => {
    const c = await playwright.request.newContext({ baseURL });
    expect((await c.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } })).ok()).toBe(true);
    return c;
  };
  const pages: Page[] = [];
  /** Server and every open browser to `iso` (a fresh request context: no idle keep-alive socket to trip on). */
  const moveTo = async (iso: string) => {
    const c = await playwright.request.newContext({ baseURL });
    expect((await c.post('/api/test/clock', { data: { setIso: iso } })).ok()).toBe(true);
    await c.dispose();
    for (const p of pages) await p.context().clock.setSystemTime(Date.parse(iso));
  };
  const [info2, leader2, info3, leader3, city, region] = await Promise.all(['150402-info', '150402-leader', '150403-info', '150403-leader', '150400-editor', '150000-editor'].map(as));
  const signed = async (officer: APIRequestContext, leader: APIRequestContext, kind: string, title: string) => {
    const id = randomUUID();
    expect((await officer.put(`/api/information/items/${id}`, { data: { kind, title, body: `${title}。`, classification: 0 } })).ok()).toBe(true);
    const item = (await (await leader.post(`/api/information/items/${id}/signoff`, { data: { decision: 'sign', review, classification: 0 } })).json()).item;
    return { id, delivery: item.deliveries.find((d: any) => d.officeCode === '150400').id as string };
  };
  const pub = async (c: APIRequestContext, name: string) => ((await (await c.get('/api/information/publications')).json()).publications as any[]).find((p) => p.name === name).id;

  // 红山区 meets the default quota (5 items, 1 analysis); 元宝山区 sends one item.
  const first = await signed(info2, leader2, 'analysis', '红山区城乡低保提标调研');
  for (let i = 1; i < 5; i++) await signed(info2, leader2, 'dynamic', `红山区救助动态${i}`);
  const other = await signed(info3, leader3, 'dynamic', '元宝山区冬季走访');
  // The city adopts the analysis into 信息专报 (10 × 2) and forwards it; the region adopts it (20 × 2).
  expect((await city.post(`/api/information/deliveries/${first.delivery}/adopt`, { data: { publicationId: await pub(city, '信息专报'), title: '红山区低保提标调研', body: '正文' } })).ok()).toBe(true);
  expect((await city.post(`/api/information/deliveries/${first.delivery}/forward`, {})).ok()).toBe(true);
  const atRegion = ((await (await region.get('/api/information/inbox?pageSize=100')).json()).rows as any[]).find((r) => r.itemId === first.id).deliveryId;
  expect((await region.post(`/api/information/deliveries/${atRegion}/adopt`, { data: { publicationId: await pub(region, '政务信息'), title: '红山区低保提标调研', body: '正文' } })).ok()).toBe(true);
  expect((await city.post(`/api/information/deliveries/${other.delivery}/adopt`, { data: { publicationId: await pub(city, '政务信息'), title: '元宝山区冬季走访', body: '正文' } })).ok()).toBe(true);

  // The officer sees this month's progress: met.
  const officer = await loginAs(browser, '150402-info');
  pages.push(officer);
  await officer.getByTestId('nav-information').click();
  await officer.getByTestId('info-tab-score-quota').click();
  await expect(officer.getByTestId('quota-own')).toContainText('已报送 5 / 5 条');
  await expect(officer.getByTestId('quota-own-state')).toHaveText('已完成');

  // 27 February 2036, 00:00 UTC+8 (three days before a leap month's end): 元宝山区 is reminded, 红山区 is not.
  await moveTo('2036-02-27T00:00:30+08:00');
  const behind = await loginAs(browser, '150403-info');
  pages.push(behind);
  await behind.getByTestId('nav-information').click();
  await behind.getByTestId('info-tab-score-quota').click();
  await expect(behind.getByTestId('quota-own-state')).toHaveText('未完成');
  await expect(behind.getByTestId('quota-reminder').filter({ hasText: '2036年2月' })).toContainText('2036年2月任务量尚未完成：已报送1条（应≥5条）');
  await officer.reload();
  await expect(officer.getByTestId('quota-own-state')).toHaveText('已完成');
  await expect(officer.getByTestId('quota-reminder').filter({ hasText: '2036年2月' })).toHaveCount(0);

  // 1 March: the city's editor opens February's bulletin (the default), sees the ranks and publishes.
  await moveTo('2036-03-01T09:00:00+08:00');
  const editor = await loginAs(browser, '150400-editor');
  await editor.getByTestId('nav-information').click();
  await editor.getByTestId('info-tab-score-bulletins').click();
  await expect(editor.getByTestId('bulletin-title')).toHaveText('赤峰市 2036年2月');
  await expect(editor.getByTestId('bulletin-state')).toHaveText('草稿（实时计算）');
  // 红山区: base 10 + 信息专报 10×2 + region 20×2 = 70; 元宝山区: 政务信息 5.
  await expect(editor.getByTestId('bulletin-points-150402')).toHaveText('70');
  await expect(editor.getByTestId('bulletin-points-150403')).toHaveText('5');
  const table = editor.getByTestId('bulletin-table');
  await expect(table.locator('tbody tr').first()).toContainText('红山区');
  await expect(editor.getByTestId('bulletin-rank-chart')).toContainText('红山区');
  await table.locator('tbody tr').first().click();
  await expect(editor.getByTestId('bulletin-line-150402')).toHaveText([/2036年2月完成任务量.*\+10/, /《红山区城乡低保提标调研》被赤峰市《信息专报》采用（本级刊物·二类 10×2）\+20/, /被内蒙古自治区《政务信息》采用（上一级采用·一类 20×2）\+40/]);
  await editor.getByTestId('bulletin-publish').click();
  await editor.getByRole('button', { name: /确定|OK/ }).click();
  await expect(editor.getByTestId('bulletin-state')).toContainText('已印发 2036-03-01');

  // The county reads the published ranking: first place.
  await officer.getByTestId('info-tab-score-bulletins').click();
  await expect(officer.getByTestId('bulletin-title')).toHaveText('赤峰市 2036年2月');
  await expect(officer.getByTestId('bulletin-state')).toContainText('已印发');
  await expect(officer.getByTestId('bulletin-table').locator('tbody tr').first()).toContainText('红山区');
  await expect(officer.getByTestId('bulletin-points-150402')).toHaveText('70');
  for (const c of [info2, leader2, info3, leader3, city, region]) await c.dispose();
});
