/**
 * 会前调试 in a real Chromium with fake devices: the county operator's camera preview plays at its real size,
 * the microphone meter moves, and the network check loops the media through our SFU and gives a verdict
 * with a measured RTT and the resolution decoded after the round trip.
 */
import { answerDialog, expect, loginAs, meetingRow, test } from './helpers.ts';

test('a county operator tests camera, microphone, speaker and the network to the SFU', async ({ browser }) => {
  const page = await loginAs(browser, '150102-venue');
  await page.getByTestId('device-test-link').first().click();
  await expect(page).toHaveURL(/\/meetings\/device-test$/);

  // Camera preview with the real capture size read from the track.
  const preview = page.getByTestId('dt-preview');
  await expect.poll(() => preview.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  await expect(page.getByTestId('dt-camera-res')).toContainText(/\d+×\d+，\d+ 帧\/秒/);
  await expect(page.getByTestId('dt-camera-select').locator('option')).not.toHaveCount(1);

  // The fake microphone's beep moves the meter above zero.
  await expect.poll(async () => Number(await page.getByTestId('dt-mic-level').getAttribute('data-peak'))).toBeGreaterThan(0);
  await expect(page.getByTestId('dt-verdict-mic')).toHaveAttribute('data-level', /good|fair/);

  // Speaker: play the tone, confirm.
  await page.getByTestId('dt-tone').click();
  await page.getByTestId('dt-heard').click();
  await expect(page.getByTestId('dt-verdict-speaker')).toHaveAttribute('data-level', 'good');
  await expect(page.getByTestId('dt-verdict-speaker')).toContainText('正常');

  // Network: loopback through the SFU, then a verdict per item and overall.
  await page.getByTestId('dt-net-start').click();
  await expect(page.getByTestId('dt-net-start')).toContainText('正在检测');
  const verdict = page.getByTestId('dt-net-verdict');
  await expect(verdict).toBeVisible({ timeout: 40_000 });
  await expect(verdict).toHaveAttribute('data-level', /good|fair|bad/);
  await expect(verdict).toContainText(/正常|一般|异常/);
  await expect(page.getByTestId('dt-net-rtt')).toContainText(/\d+ ms/);
  await expect(page.getByTestId('dt-net-decoded')).toContainText(/\d+×\d+/);
  await expect(page.getByTestId('dt-net-upBitrate')).toContainText(/\d+ kbps/);
  await expect(page.getByTestId('dt-net-loss')).toContainText(/%/);
  await expect(page.getByTestId('dt-net-error')).toHaveCount(0);
  console.log('[device-test] results:', (await page.getByTestId('dt-net-results').innerText()).replace(/\s+/g, ' '));
  // The picture came back through the server.
  expect(await page.getByTestId('dt-loop-video').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  await page.context().close();
});

test('upcoming meetings count down, remind, and a site needs the entry PIN to join', async ({ browser }) => {
  const city = await loginAs(browser, '150100-leader');
  const county = await loginAs(browser, '150103-venue');
  const inAnHour = new Date(Date.now() + 3600_000).toISOString();
  const inFiveMin = new Date(Date.now() + 5 * 60_000).toISOString();
  const create = async (title: string, startsAt: string, pin?: string) => {
    const res = await city.request.post('/api/meetings', { data: { title, startsAt, pin, scope: { kind: 'cityWithCounties', cityCode: '150100' } } });
    expect(res.status()).toBe(201);
    return ((await res.json()) as { meeting: { id: string } }).meeting.id;
  };
  const later = await create('汛期值班部署会', inAnHour, '246810');
  const soon = await create('森林防火调度会', inFiveMin);

  const item = (id: string) => meetingRow(county, { id });
  await expect(item(later).getByTestId('meeting-countdown')).toContainText(/距开始 00:59:\d\d/);
  await expect(item(later).getByTestId('meeting-has-pin')).toBeVisible();
  // Sorted by start: the sooner one first.
  const ids = await county.getByTestId('meeting-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-meeting-id')));
  expect(ids.indexOf(soon)).toBeLessThan(ids.indexOf(later));
  // Within 10 minutes of its start: reminded (highlighted), not the one an hour away.
  await expect(item(soon)).toHaveClass(/reminded/);
  await expect(item(later)).not.toHaveClass(/reminded/);
  const countdownBefore = await item(later).getByTestId('meeting-countdown').innerText();
  await expect.poll(() => item(later).getByTestId('meeting-countdown').innerText()).not.toBe(countdownBefore); // it ticks

  // Wrong PIN: refused in plain Chinese.
  await item(later).getByTestId('meeting-join').click();
  await answerDialog(county, '1111');
  await expect(county.getByTestId('room-fatal')).toContainText('入会密码不正确');
  // Right PIN: joins.
  await county.goto('/');
  await item(later).getByTestId('meeting-join').click();
  await answerDialog(county, '246810');
  await expect(county.getByTestId('room-fatal')).toHaveCount(0);
  await expect(county.getByTestId('meeting-leave')).toBeVisible();
  await expect(county.getByTestId('device-test-link')).toHaveAttribute('href', '/meetings/device-test');

  // The chair's unit is never asked.
  await city.reload();
  await meetingRow(city, { id: later }).getByTestId('meeting-join').click();
  await expect(city.getByTestId('meeting-leave')).toBeVisible();
  await expect(city.getByTestId('room-fatal')).toHaveCount(0);
  await expect(city.locator('.tl-dialog')).toHaveCount(0);
  await city.context().close();
  await county.context().close();
});
