/**
 * Near-duplicate items in the console at a pinned instant (29 February 2028, 10:00 in UTC+8): an item already
 * submitted by 新城区; its officer writes it again with the paragraphs reordered and presses 送审 — the confirm
 * step shows the earlier item side by side with the shared passages shaded; back to editing keeps the draft,
 * 仍然报送 sends it. Signed, it reaches the city editor flagged: the inbox row says 疑似重复 and the drawer shows
 * both texts with the similarity.
 */
import { randomUUID } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { DEMO_PASSWORD, expect, loginAs, pinClock, test } from './helpers.ts';
import { ORIGINAL, REORDERED } from '../helpers/infoTexts.ts';

const AT = '2028-02-29T02:00:00Z';
const review = { containsSecrets: false, fitToPublish: true, figuresChecked: true };

async function as(request: APIRequestContext, username: string): Promise<void> {
  expect((await request.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } })).ok()).toBe(true);
}

test('the officer sees the earlier item before 送审, the city editor sees the flag beside it', async ({ browser, request, playwright, baseURL }) => {
  test.setTimeout(180_000);
  await as(request, '150102-info');
  await pinClock(request, AT); // the consoles below get their browser clocks from it; unpinned after the test
  // The earlier item, submitted through the API (officer drafts and sends, leader signs).
  const tag = randomUUID().slice(0, 4);
  const again = `${REORDERED.title}（再报）${tag}`;
  const first = randomUUID();
  expect((await request.put(`/api/information/items/${first}`, { data: { kind: 'dynamic', title: `${ORIGINAL.title}${tag}`, body: ORIGINAL.body, classification: 0 } })).ok()).toBe(true);
  expect((await request.post(`/api/information/items/${first}/submit`, { data: {} })).ok()).toBe(true);
  const leader = await playwright.request.newContext({ baseURL });
  await as(leader, '150102-leader');
  expect((await leader.post(`/api/information/items/${first}/signoff`, { data: { decision: 'sign', review, classification: 0 } })).ok()).toBe(true);

  const officer = await loginAs(browser, '150102-info');
  await officer.getByTestId('nav-information').click();
  await officer.getByTestId('info-new').click();
  await officer.getByTestId('info-title').fill(again);
  await officer.getByTestId('info-body').fill(REORDERED.body);
  await expect(officer.getByTestId('info-saved')).toContainText('草稿已保存 2028-02-29');
  await officer.getByTestId('info-submit').click();

  const dialog = officer.getByTestId('dup-confirm');
  await expect(dialog).toContainText('发现相同或高度相似的信息');
  await expect(dialog.getByTestId('dup-match')).toHaveCount(1);
  await expect(dialog.getByTestId('dup-theirs-head')).toContainText('新城区 · 2028-02-29 10:00 报送');
  await expect(dialog.getByTestId('dup-similarity')).toContainText(/相似度 (9\d|100)%/);
  await expect(dialog.getByTestId('dup-shared').filter({ hasText: '截至7月25日' }).first()).toBeVisible();
  // Back to editing: nothing was sent.
  await dialog.getByTestId('dup-back').click();
  await expect(dialog).toBeHidden();
  await expect(officer.getByTestId('info-editor')).toBeVisible();
  await officer.getByTestId('info-submit').click();
  await officer.getByTestId('dup-send-anyway').click();
  await expect(officer.getByText('已送分管领导审核')).toBeVisible();
  const mine = officer.getByTestId('info-my-items').locator('tr', { hasText: again });
  await expect(mine.getByTestId('info-item-state')).toHaveText('待签发');

  // The leader signs (API); the city editor finds it flagged in the inbox.
  const second = ((await (await request.get('/api/information/items?box=mine&pageSize=50')).json()).rows as { id: string; title: string }[]).find((r) => r.title === again)!.id;
  expect((await leader.post(`/api/information/items/${second}/signoff`, { data: { decision: 'sign', review, classification: 0 } })).ok()).toBe(true);
  await leader.dispose();

  const editor = await loginAs(browser, '150100-editor');
  await editor.getByTestId('nav-information').click();
  await editor.getByTestId('info-tab-inbox').click();
  const row = editor.getByTestId('inbox-table').locator('tr', { hasText: again });
  await expect(row.getByTestId('inbox-dup')).toContainText(/疑似重复 (9\d|100)%/);
  await row.click();
  const panel = editor.getByTestId('dup-panel');
  await expect(panel).toContainText('疑似重复报送');
  await expect(panel.getByTestId('dup-theirs-head')).toContainText('新城区');
  await expect(panel.getByTestId('dup-shared').filter({ hasText: '下拨自治区级自然灾害救助资金2000万元' }).first()).toBeVisible();
  await expect(panel).toContainText('长文本指纹比对');
});
