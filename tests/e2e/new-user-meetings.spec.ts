/**
 * What a new user tripped over in the meeting console (issue 9), at pinned clocks (the browser's and the
 * server's): a start in the past is refused in Chinese; a meeting created for "now" reads 进行中; a date of next
 * year shows its year; an uninvited site's camera never starts; the mute-lock refusal goes when the chair
 * unlocks; no 重新加入 after the end; the attendance page names the absent units; English unit names agree.
 */
import { type Page } from '@playwright/test';
import { acceptDialog, chooseButton, chooseOption, expect, fillDateTime, loginAs, meetingRow, pinClock, test, unpinClock } from './helpers.ts';

test.setTimeout(240_000);

const T = '2026-12-31T23:50:00+08:00'; // ten minutes to New Year in Beijing

async function create(chair: Page, title: string, startsAt?: string): Promise<void> {
  await chair.getByTestId('meeting-title').fill(title);
  await chooseButton(chair, 'meeting-scope-kind', '一个盟市及其旗县');
  await chooseOption(chair, 'meeting-scope-city', '呼和浩特市');
  if (startsAt) await fillDateTime(chair, 'meeting-starts-at', startsAt);
  await chair.getByTestId('meeting-create').click();
}

test('meeting times, refusals and the end read right to a new user', async ({ browser }) => {
  const chair = await loginAs(browser, '150100-leader', { at: T });
  await pinClock(chair.request, T);
  await chair.reload(); // the console reads the server's clock when it loads its lists
  const opened: Page[] = [chair];
  try {
    const tag = Math.random().toString(36).slice(2, 8);
    await chair.evaluate(() => localStorage.setItem('tl.camera', '360'));

    // A start in the past is refused with a clear message; nothing is created.
    await create(chair, `过去的会 ${tag}`, '2020-01-01T09:00');
    await expect(chair.getByTestId('meeting-form-error')).toHaveText('开始时间已过，请选择当前或以后的时间');
    await expect(meetingRow(chair, `过去的会 ${tag}`)).toHaveCount(0);

    // Next year's meeting shows its year; a meeting for now is 进行中, and not 未开始 as well.
    await create(chair, `新年会商 ${tag}`, '2027-01-01T09:00');
    await expect(meetingRow(chair, `新年会商 ${tag}`).getByTestId('meeting-start')).toHaveText('2027/01/01 09:00');
    await expect(meetingRow(chair, `新年会商 ${tag}`).getByTestId('meeting-status')).toHaveText('未开始');
    const title = `跨年值守调度 ${tag}`;
    await create(chair, title);
    await expect(meetingRow(chair, title).getByTestId('meeting-status')).toHaveText('进行中');
    await expect(meetingRow(chair, title)).not.toContainText('未开始');
    await expect(meetingRow(chair, title).getByTestId('meeting-start')).toHaveText('12/31 23:50');

    // The chair and 新城区 join.
    await meetingRow(chair, title).getByTestId('meeting-join').click();
    await expect(chair.getByTestId('local-tile')).toHaveAttribute('data-producer-id', /.+/, { timeout: 30_000 });
    const meetingId = /\/meetings\/([0-9a-f-]{36})/.exec(chair.url())![1]!;
    const county = await loginAs(browser, '150102-venue', { at: T });
    opened.push(county);
    await county.evaluate(() => localStorage.setItem('tl.camera', '360'));
    await meetingRow(county, title).getByTestId('meeting-join').click();
    await expect(county.getByTestId('local-tile')).toHaveAttribute('data-producer-id', /.+/, { timeout: 30_000 });

    // A site of another city opens the meeting's address: refused before its camera is ever asked for.
    const stranger = await loginAs(browser, '150202-venue', { at: T });
    opened.push(stranger);
    await stranger.addInitScript(() => {
      const md = navigator.mediaDevices;
      const original = md.getUserMedia.bind(md);
      (window as unknown as { gumCalls: number }).gumCalls = 0;
      md.getUserMedia = (c?: MediaStreamConstraints) => {
        (window as unknown as { gumCalls: number }).gumCalls++;
        return original(c);
      };
    });
    await stranger.goto(`/meetings/${meetingId}`);
    await expect(stranger.getByTestId('room-fatal')).toContainText('本单位未受邀参加此会议');
    expect(await stranger.evaluate(() => (window as unknown as { gumCalls: number }).gumCalls)).toBe(0);
    await expect(stranger.getByTestId('room-rejoin')).toHaveCount(0);

    // Mute-locked, 新城区's attempt to speak is refused; the refusal goes as soon as the chair unlocks.
    const row = chair.locator('[data-testid="ctl-site"][data-unit-code="150102"]');
    await row.getByTestId('ctl-mute-lock').click();
    await expect(county.getByTestId('mic-locked')).toBeVisible();
    await county.getByTestId('toggle-mic').click();
    await expect(county.getByTestId('room-warning')).toContainText('锁定');
    await row.getByTestId('ctl-unmute').click();
    await expect(county.getByTestId('mic-locked')).toHaveCount(0);
    await expect(county.getByTestId('room-warning')).toHaveCount(0, { timeout: 2_000 });

    // The chair ends the meeting: 新城区 is told, and is not offered to rejoin.
    await chair.getByTestId('ctl-end').click();
    await acceptDialog(chair);
    await expect(county.getByTestId('room-fatal')).toContainText('会议已结束');
    await expect(county.getByTestId('room-rejoin')).toHaveCount(0);

    // Attendance: who joined, and every invited unit that did not, as in the Excel.
    await chair.goto(`/meetings/${meetingId}/attendance`);
    const unitRow = (code: string) => chair.locator(`[data-testid="attendance-unit"][data-unit-code="${code}"]`);
    await expect(unitRow('150102')).not.toHaveAttribute('data-absent', '1');
    await expect(unitRow('150103')).toHaveAttribute('data-absent', '1');
    await expect(unitRow('150103')).toContainText('回民区');
    await expect(unitRow('150103')).toContainText('未入会');
    await expect(chair.getByTestId('attendance-unit')).toHaveCount(10); // the city and its nine counties
  } finally {
    await unpinClock(chair.request);
    for (const p of opened) await p.context().close().catch(() => undefined);
  }
});

test('in English, the header, the meeting list and the cards use the same unit names as the dropdowns', async ({ browser }) => {
  const page = await loginAs(browser, '150100-leader', { at: T });
  try {
    await page.getByTestId('lang-switch').click();
    await chooseButton(page, 'meeting-scope-kind', 'One city and its counties');
    await chooseOption(page, 'meeting-scope-city', 'Hohhot');
    await expect(page.getByTestId('meeting-scope-city')).toContainText('Hohhot');
    await expect(page.getByTestId('current-unit')).toHaveText('Hohhot');
    await page.goto('/reports');
    await expect(page.getByTestId('current-unit')).toHaveText('Hohhot');
    const unitCells = page.locator('[data-testid=incident-item] .unit, [data-testid=report-item] .unit');
    for (const text of await unitCells.allInnerTexts()) expect(text).not.toMatch(/[\u4e00-\u9fff]/);
  } finally {
    await page.context().close();
  }
});
