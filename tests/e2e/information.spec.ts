/**
 * Routine government information in the console, across three levels, at a pinned instant (New Year's
 * first minutes in UTC+8, so the issue is the new year's 第1期): a county officer drafts and submits, its
 * leader signs with the secrecy review, the city adopts into its publication and forwards, the region adopts,
 * compiles an issue that its leader signs and its editor publishes; the Word file holds the item; a region
 * leader instructs on the item and the county feeds back.
 */
import { execFileSync } from 'node:child_process';
import { type Browser } from '@playwright/test';
import { expect, loginAs, pinClock, test } from './helpers.ts';

// 2027-01-01 00:05 in UTC+8 (still 2026 in UTC).
const PINNED = new Date('2026-12-31T16:05:00Z');

const loginAt = (browser: Browser, username: string) => loginAs(browser, username, { at: PINNED });

test('county drafts → leader signs with secrecy review → city adopts and forwards → region adopts, publishes an issue (Word) → instruction and feedback', async ({ browser }) => {
  test.setTimeout(240_000);
  const officer = await loginAt(browser, '150102-info');
  await pinClock(officer.request, PINNED.toISOString());
  {
    const title = `新城区冬季救助工作动态 ${Date.now() % 100000}`;
    const edited = `新城区走访困难群众126户 ${Date.now() % 100000}`;

    // The officer drafts (saved as typed) and sends it for sign-off.
    await officer.getByTestId('nav-information').click();
    await officer.getByTestId('info-new').click();
    await officer.getByTestId('info-title').fill(title);
    await officer.getByTestId('info-body').fill('新城区民政局开展冬季送温暖活动，走访困难群众126户，发放救助金38.5万元。');
    await expect(officer.getByTestId('info-saved')).toContainText('草稿已保存 2027-01-01');
    await officer.getByTestId('info-submit').click();
    const myRow = officer.getByTestId('info-my-items').locator('tr', { hasText: title });
    await expect(myRow.getByTestId('info-item-state')).toHaveText('待签发');

    // The county leader signs with the secrecy review; signing waits until the review is complete.
    const leader = await loginAt(browser, '150102-leader');
    await leader.goto('/information/signoff');
    await leader.getByTestId('signoff-queue').getByText(title).click();
    await expect(leader.getByTestId('signoff-text')).toContainText('126户');
    await expect(leader.getByTestId('signoff-sign')).toBeDisabled();
    await leader.getByTestId('review-secrets-no').click();
    await leader.getByTestId('review-publish-yes').click();
    await leader.getByTestId('review-figures').click();
    await leader.getByTestId('review-comment').fill('同意报送');
    await leader.getByTestId('signoff-sign').click();
    await expect(leader.getByTestId('signoff-queue').getByText(title)).toHaveCount(0);
    // The officer's desk follows live: submitted, waiting at the city.
    await expect(myRow.getByTestId('info-item-state')).toHaveText('已报送');
    await expect(myRow.getByTestId('info-item-where')).toContainText('呼和浩特市 待签收');

    // The city editor signs for it, adopts it into 《政务信息》 with an edited title, and forwards it.
    const city = await loginAt(browser, '150100-editor');
    await city.goto('/information/inbox');
    await city.getByTestId('inbox-table').getByText(title).click();
    await city.getByTestId('inbox-ack').click();
    await expect(city.getByTestId('inbox-detail-state')).toHaveText('已签收');
    await city.getByTestId('inbox-adopt').click();
    await city.getByTestId('adopt-title').fill(edited);
    await city.getByTestId('adopt-confirm').click();
    await expect(city.getByTestId('inbox-detail-state')).toHaveText('已采用');
    await expect(officer.locator('.info-notice', { hasText: '呼和浩特市《政务信息》采用' })).toBeVisible();
    await city.getByTestId('inbox-forward').click();
    await expect(city.getByTestId('inbox-forward')).toHaveCount(0);

    // The region adopts the forwarded item.
    const region = await loginAt(browser, '150000-editor');
    await region.goto('/information/inbox');
    await region.getByTestId('inbox-table').getByText(edited).click();
    await expect(region.getByTestId('inbox-detail')).toContainText('由呼和浩特市转报');
    await expect(region.getByTestId('inbox-detail')).toContainText('126户');
    await region.getByTestId('inbox-adopt').click();
    await region.getByTestId('adopt-confirm').click();
    await expect(region.getByTestId('inbox-detail-state')).toHaveText('已采用');
    await expect(myRow.getByTestId('info-item-where')).toContainText('内蒙古自治区《政务信息》采用');

    // Compiling the region's issue: the new year's first, sent to the region leader.
    await region.goto('/information/issues');
    await region.getByTestId('issues-new').click();
    await expect(region.getByTestId('issue-view')).toContainText('2027年第1期');
    await region.getByTestId('issue-candidates').getByText(edited).click();
    await region.getByTestId('issue-save').click();
    await expect(region.getByTestId('issue-view')).toContainText('（新城区）');
    await region.getByTestId('issue-submit').click();
    await expect(region.getByTestId('issue-state')).toHaveText('待签发');

    const regionLeader = await loginAt(browser, '150000-leader');
    await regionLeader.goto('/information/issues');
    await regionLeader.getByTestId('issues-list').getByText('2027年第1期').click();
    await regionLeader.getByTestId('issue-sign').click();
    await expect(regionLeader.getByTestId('issue-state')).toHaveText('已签发');

    // Published: the city's console is told at once; the Word file is a bulletin holding the item.
    await region.reload();
    await region.getByTestId('issues-list').getByText('2027年第1期').click();
    await region.getByTestId('issue-publish').click();
    await expect(region.getByTestId('issue-state')).toHaveText('已印发');
    await expect(city.locator('.info-issue-notice', { hasText: '《政务信息》2027年第1期' })).toBeVisible();
    const [download] = await Promise.all([region.waitForEvent('download'), region.getByTestId('issue-download').click()]);
    expect(download.suggestedFilename()).toBe('政务信息2027年第1期.docx');
    const file = test.info().outputPath('issue.docx');
    await download.saveAs(file);
    const xml = execFileSync('unzip', ['-p', file, 'word/document.xml']).toString('utf8');
    for (const s of ['政务信息', '第1期', '内蒙古自治区编', edited, '（新城区）', '签发人：内蒙古自治区带班领导', '2027年1月1日', '发：呼和浩特市']) expect(xml).toContain(s);
    // The city reads it in its archive, found by the text of the item.
    await city.goto('/information/archive');
    await city.getByTestId('archive-search').fill('126户');
    await city.getByTestId('archive-search').press('Enter');
    await expect(city.getByTestId('archive-table')).toContainText(edited);

    // A region leader's instruction on the item reaches the county; its feedback closes the task.
    await regionLeader.goto('/information/inbox');
    await regionLeader.getByTestId('inbox-table').getByText(edited).click();
    await regionLeader.getByTestId('inbox-instruct').click();
    await regionLeader.getByTestId('instruct-text').fill('请总结经验，在全区推广。');
    await regionLeader.getByTestId('instruct-confirm').click();
    await expect(officer.locator('.info-notice', { hasText: '请总结经验' })).toBeVisible();
    await officer.goto('/information/instructions');
    const card = officer.getByTestId('instr-card').filter({ hasText: '请总结经验' });
    await card.getByTestId('instr-feedback-text').fill('已形成经验材料，报自治区民政厅。');
    await card.getByTestId('instr-feedback-done').click();
    await card.getByTestId('instr-feedback-send').click();
    await expect(card.getByTestId('instr-target')).toContainText('已完成');
    await regionLeader.goto('/information/instructions');
    await regionLeader.getByTestId('instr-box-issued').click();
    const issued = regionLeader.getByTestId('instr-card').filter({ hasText: '请总结经验' });
    await expect(issued.getByTestId('instr-feedback')).toContainText('已形成经验材料');
    await expect(issued.getByTestId('instr-target')).toContainText('新城区 已完成');
  }
});
