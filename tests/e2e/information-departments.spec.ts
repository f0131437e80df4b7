/**
 * Departments as submitting units in the console, at a pinned instant (00:30 on 1 March 2026 in UTC+8, the
 * day after a non-leap February's end): 新城区's 办公室 drafts and its head signs with the secrecy review;
 * 新城区's own editor adopts it into the county's 《政务信息》, records an adoption by 民政部 outside the system,
 * compiles an issue the county leader signs; the published issue downloads as a PDF whose text holds the item
 * and its department; the county leader registers a further department.
 */
import { execFileSync } from 'node:child_process';
import { type Browser } from '@playwright/test';
import { expect, loginAs, pinClock, test } from './helpers.ts';

const PINNED = new Date('2026-02-28T16:30:00Z');
const loginAt = (browser: Browser, username: string) => loginAs(browser, username, { at: PINNED });

test('a county department submits → the county adopts, records 民政部’s adoption, publishes an issue (PDF) → registers a department', async ({ browser }) => {
  test.setTimeout(240_000);
  const officer = await loginAt(browser, '150102-01-info');
  await pinClock(officer.request, PINNED.toISOString());
  const title = `新城区办公室建立信息直报机制 ${Date.now() % 100000}`;

  // The department's officer writes; a department has no inbox or issues of its own.
  await officer.getByTestId('nav-information').click();
  await expect(officer.getByTestId('info-tab-inbox')).toHaveCount(0);
  await officer.getByTestId('info-new').click();
  await officer.getByTestId('info-title').fill(title);
  await officer.getByTestId('info-body').fill('新城区民政局办公室建立信息直报机制，全年报送信息48条。');
  await expect(officer.getByTestId('info-saved')).toContainText('草稿已保存 2026-03-01');
  await officer.getByTestId('info-submit').click();
  const myRow = officer.getByTestId('info-my-items').locator('tr', { hasText: title });
  await expect(myRow.getByTestId('info-item-state')).toHaveText('待签发');

  // Its head signs with the secrecy review.
  const head = await loginAt(browser, '150102-01-leader');
  await head.goto('/information/signoff');
  await head.getByTestId('signoff-queue').getByText(title).click();
  await head.getByTestId('review-secrets-no').click();
  await head.getByTestId('review-publish-yes').click();
  await head.getByTestId('review-figures').click();
  await head.getByTestId('signoff-sign').click();
  await expect(myRow.getByTestId('info-item-state')).toHaveText('已报送');
  await expect(myRow.getByTestId('info-item-where')).toContainText('新城区 待签收');

  // 新城区's editor: the department is a unit of its inbox filter; it adopts the item into the county's publication.
  const editor = await loginAt(browser, '150102-editor');
  await editor.getByTestId('nav-information').click();
  await editor.getByTestId('info-tab-inbox').click();
  await editor.getByTestId('inbox-filter-unit').click();
  await editor.locator('.el-select-dropdown__item', { hasText: '新城区办公室' }).click();
  await editor.getByTestId('inbox-table').getByText(title).click();
  await expect(editor.getByTestId('inbox-detail')).toContainText('新城区办公室');
  await editor.getByTestId('inbox-adopt').click();
  await editor.getByTestId('adopt-confirm').click();
  await expect(editor.getByTestId('inbox-detail-state')).toHaveText('已采用');
  await expect(officer.locator('.info-notice', { hasText: '新城区《政务信息》采用' })).toBeVisible();

  // An adoption by 民政部, outside the system, recorded with its publication.
  await editor.getByTestId('external-open').click();
  await editor.getByTestId('external-body').click();
  await editor.locator('.el-select-dropdown__item', { hasText: '民政部' }).click();
  await editor.getByTestId('external-publication').fill('民政信息');
  await editor.getByTestId('external-save').click();
  await expect(editor.getByTestId('external-list')).toContainText('民政部《民政信息》');
  await expect(officer.locator('.info-notice', { hasText: '被民政部《民政信息》采用' })).toBeVisible();

  // The county's own issue: compiled by its editor, signed by its leader, published.
  await editor.goto('/information/issues');
  await editor.getByTestId('issues-new').click();
  await expect(editor.getByTestId('issue-view')).toContainText(/2026年第\d+期/);
  await editor.getByTestId('issue-candidates').getByText(title).click();
  await editor.getByTestId('issue-save').click();
  await expect(editor.getByTestId('issue-view')).toContainText('（新城区办公室）');
  await editor.getByTestId('issue-submit').click();
  await expect(editor.getByTestId('issue-state')).toHaveText('待签发');
  const label = ((await editor.getByTestId('issue-view').textContent()) ?? '').match(/2026年第\d+期/)![0];

  const countyLeader = await loginAt(browser, '150102-leader');
  await countyLeader.goto('/information/issues');
  await countyLeader.getByTestId('issues-list').getByText(label).click();
  await countyLeader.getByTestId('issue-sign').click();
  await expect(countyLeader.getByTestId('issue-state')).toHaveText('已签发');

  await editor.reload();
  await editor.getByTestId('issues-list').getByText(label).click();
  await editor.getByTestId('issue-publish').click();
  await expect(editor.getByTestId('issue-state')).toHaveText('已印发');
  const [download] = await Promise.all([editor.waitForEvent('download'), editor.getByTestId('issue-download-pdf').click()]);
  expect(download.suggestedFilename()).toBe(`政务信息${label}.pdf`);
  const file = test.info().outputPath('issue.pdf');
  await download.saveAs(file);
  expect(execFileSync('pdfinfo', [file]).toString('utf8')).toMatch(/Pages:\s+1\b/);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8').replace(/\s+/g, '');
  for (const s of ['政务信息', `第${label.replace(/^\d+年第/, '')}`, '新城区编', title.replace(/\s+/g, ''), '（新城区办公室）', '签发人：新城区带班领导', '2026年3月1日印发', '报：呼和浩特市。']) expect(text).toContain(s);
  // The department reads the published issue in its archive.
  await officer.goto('/information/archive');
  await expect(officer.getByTestId('archive-table')).toContainText(label);

  // The county leader registers a further department; it is listed with its two accounts.
  await countyLeader.goto('/information/departments');
  await expect(countyLeader.getByTestId('departments-table')).toContainText('新城区社会救助股');
  const name = `事务股${Date.now() % 1000}`;
  await countyLeader.getByTestId('department-name').fill(name);
  await countyLeader.getByTestId('department-officer').fill('赵丽');
  await countyLeader.getByTestId('department-phone').fill('0471-6902201');
  await countyLeader.getByTestId('department-leader').fill('钱进');
  await countyLeader.getByTestId('department-password').fill('Weak');
  await expect(countyLeader.getByTestId('department-register')).toBeDisabled();
  await countyLeader.getByTestId('department-password').fill('Kz#7pqWx2026');
  await countyLeader.getByTestId('department-register').click();
  const row = countyLeader.getByTestId('departments-table').locator('tr', { hasText: `新城区${name}` });
  await expect(row).toContainText(/150102-\d\d-info（信息员 赵丽）/);
  await expect(row).toContainText(/150102-\d\d-leader（负责人 钱进）/);
});
