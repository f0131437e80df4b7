/**
 * Two counties of one city join the meeting their city convened, from two browsers with fake cameras,
 * and each decodes the other's video through the real mediasoup worker.
 */
import { chooseButton, chooseOption, expect, loginAs, meetingRow, test } from './helpers.ts';

test('two counties see and hear each other in a city meeting', async ({ browser }) => {
  const title = `防汛调度会 ${Date.now()}`;
  const xincheng = await loginAs(browser, '150102-venue'); // 新城区
  const huimin = await loginAs(browser, '150103-venue'); // 回民区

  // The city convenes its counties from its own console.
  const city = await loginAs(browser, '150100-leader');
  await city.getByTestId('meeting-title').fill(title);
  await chooseButton(city, 'meeting-scope-kind', '一个盟市及其旗县');
  await chooseOption(city, 'meeting-scope-city', '呼和浩特市');
  await city.getByTestId('meeting-create').click();

  // Both counties are told live, without reloading, and join.
  for (const county of [xincheng, huimin]) {
    const item = meetingRow(county, title);
    await expect(item).toBeVisible();
    await item.getByTestId('meeting-join').click();
    await expect(county.getByTestId('local-video')).toBeVisible();
  }

  // The other county's tile: the main picture or a small one, whichever the layout puts it in.
  const remoteOf = (page: typeof xincheng, unitCode: string) =>
    page.locator(`:is([data-testid="remote-tile"], [data-testid="main-tile"])[data-unit-code="${unitCode}"]`);
  for (const [page, other] of [[xincheng, '150103'], [huimin, '150102']] as const) {
    const tile = remoteOf(page, other);
    await expect(tile).toBeVisible();
    // Decoded frames, from the receiver's getStats(), keep growing: live video, not a frozen first frame.
    await expect.poll(async () => Number(await tile.getAttribute('data-frames-decoded')), { timeout: 30_000 }).toBeGreaterThan(30);
    const width = Number(await tile.getAttribute('data-frame-width'));
    const height = Number(await tile.getAttribute('data-frame-height'));
    expect(width).toBeGreaterThanOrEqual(320);
    expect(height).toBeGreaterThanOrEqual(180);
    expect(width / height).toBeCloseTo(16 / 9, 1);
    // And the video element is actually playing it.
    await expect.poll(() => tile.locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  }

  // Audio flows too: each side's receiver keeps getting the other's microphone packets.
  for (const [page, other] of [[xincheng, '150103'], [huimin, '150102']] as const) {
    await expect.poll(async () => Number(await remoteOf(page, other).getAttribute('data-audio-packets')), { timeout: 20_000 }).toBeGreaterThan(50);
  }

  // Leaving removes the site from the other's screen.
  await huimin.getByTestId('meeting-leave').click();
  await expect(remoteOf(xincheng, '150103')).toHaveCount(0);
});
