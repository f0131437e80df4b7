/**
 * Server-side recording from the consoles: the city's chair records its meeting with a county through the real
 * mediasoup worker and Debian's ffmpeg; both consoles show the red REC sign while it runs; once stopped, the
 * recording is listed (duration, size) on the meeting's attendance page and downloads as a real WebM.
 */
import { type Page } from '@playwright/test';
import { acceptDialog, chooseButton, chooseOption, expect, loginAs, meetingRow, test } from './helpers.ts';

test.setTimeout(180_000);

const opened: Page[] = [];
test.afterEach(async () => {
  for (const page of opened.splice(0)) await page.context().close().catch(() => undefined);
});

async function join(page: Page, title: string): Promise<void> {
  const item = meetingRow(page, title);
  await expect(item).toBeVisible();
  await item.getByTestId('meeting-join').click();
  await expect(page.getByTestId('local-tile')).toHaveAttribute('data-producer-id', /.+/, { timeout: 30_000 });
}

test('the chair records the meeting; everyone sees REC; the file is listed and downloadable', async ({ browser }) => {
  const title = `录像测试会 ${Date.now()}`;
  const county = await loginAs(browser, '150102-venue');
  const chair = await loginAs(browser, '150100-leader');
  opened.push(county, chair);
  for (const p of [county, chair]) await p.evaluate(() => localStorage.setItem('tl.camera', '360'));

  await chair.getByTestId('meeting-title').fill(title);
  await chooseButton(chair, 'meeting-scope-kind', '一个盟市及其旗县');
  await chooseOption(chair, 'meeting-scope-city', '呼和浩特市');
  await chair.getByTestId('meeting-create').click();
  await join(chair, title);
  await join(county, title);
  const meetingId = new URL(chair.url()).pathname.split('/').pop()!;

  for (const p of [chair, county]) await expect(p.getByTestId('rec-indicator')).toHaveCount(0);
  await chair.getByTestId('ctl-record').click();
  await acceptDialog(chair); // "every site will see it": confirmed by the chair
  await expect(chair.getByTestId('ctl-record')).toHaveAttribute('data-recording', '1');
  for (const p of [chair, county]) await expect(p.getByTestId('rec-indicator').first()).toBeVisible();

  await chair.waitForTimeout(6000);
  await chair.getByTestId('ctl-record').click();
  await expect(chair.getByTestId('ctl-record')).toHaveAttribute('data-recording', '0', { timeout: 30_000 });
  for (const p of [chair, county]) await expect(p.getByTestId('rec-indicator')).toHaveCount(0);

  await chair.goto(`/meetings/${meetingId}/attendance`);
  const row = chair.getByTestId('recording-row');
  await expect(row).toHaveCount(1, { timeout: 20_000 });
  const href = await row.getByTestId('recording-download').getAttribute('href');
  const res = await chair.request.get(href!);
  expect(res.status()).toBe(200);
  const body = await res.body();
  expect(body.length).toBeGreaterThan(10_000);
  expect(body.subarray(0, 4).toString('hex')).toBe('1a45dfa3'); // EBML: a Matroska/WebM file
  const list = await chair.request.get(`/api/meetings/${meetingId}/recordings`);
  const [rec] = (await list.json()).recordings;
  expect(rec.durationSec).toBeGreaterThanOrEqual(3);
});
