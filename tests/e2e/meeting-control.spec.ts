/**
 * A city chairs a meeting of its counties like an MCU conference: four sites in four browsers with fake
 * cameras, through the real mediasoup worker. Which site each console shows in its main picture, and which
 * producer that picture is decoding (the receiver's getStats()), follow the chair's roll call, broadcast and
 * patrol; a mute-locked county cannot reopen its microphone; a county whose network drops comes back by itself.
 */
import { type Browser, type Page } from '@playwright/test';
import { chooseButton, chooseOption, expect, loginAs, meetingRow, test } from './helpers.ts';

test.setTimeout(600_000);

const CITY = '150100';
const COUNTIES = ['150102', '150103', '150104'] as const;

const opened: Page[] = [];
// Sites left running would keep encoding and decoding video through the next tests on the same two cores.
test.afterEach(async () => {
  for (const page of opened.splice(0)) await page.context().close().catch(() => undefined);
});

/** Logged in, with a small camera (four encoders and nine decoders share two cores in CI). */
async function site(browser: Browser, username: string): Promise<Page> {
  const page = await loginAs(browser, username);
  opened.push(page);
  await page.evaluate(() => localStorage.setItem('tl.camera', '360'));
  return page;
}

async function join(page: Page, title: string): Promise<void> {
  const item = meetingRow(page, title);
  await expect(item).toBeVisible();
  await item.getByTestId('meeting-join').click();
  await expect(page.getByTestId('local-tile')).toHaveAttribute('data-producer-id', /.+/, { timeout: 30_000 });
}

const mainTile = (page: Page) => page.getByTestId('main-tile');
const frames = async (page: Page) => Number((await mainTile(page).getAttribute('data-frames-decoded')) ?? 0);

/**
 * The main picture shows `unitCode`, is bound to that site's camera producer, and its decoder keeps producing
 * frames (counted by the receiver's getStats(), not by the DOM).
 */
async function expectMainDecodes(page: Page, unitCode: string, producerId: string): Promise<void> {
  await expect(mainTile(page)).toHaveAttribute('data-unit-code', unitCode, { timeout: 30_000 });
  await expect(mainTile(page)).toHaveAttribute('data-producer-id', producerId);
  await expect.poll(() => frames(page), { timeout: 30_000 }).toBeGreaterThan(0);
  const before = await frames(page);
  await expect.poll(() => frames(page), { timeout: 30_000 }).toBeGreaterThan(before + 10);
  // Still the same producer after those frames: the picture did not switch away meanwhile.
  await expect(mainTile(page)).toHaveAttribute('data-producer-id', producerId);
}

test('the chair runs roll call, broadcast, patrol and mute-lock; every county sees what the chair decided', async ({ browser }) => {
  const title = `全市防汛视频调度会 ${Date.now()}`;
  const county: Record<string, Page> = {};
  for (const code of COUNTIES) county[code] = await site(browser, `${code}-venue`);
  const chair = await site(browser, `${CITY}-leader`);

  await chair.getByTestId('meeting-title').fill(title);
  await chooseButton(chair, 'meeting-scope-kind', '一个盟市及其旗县');
  await chooseOption(chair, 'meeting-scope-city', '呼和浩特市');
  await chair.getByTestId('meeting-create').click();
  await join(chair, title);
  for (const code of COUNTIES) await join(county[code]!, title);
  await expect(chair.getByTestId('chair-panel')).toBeVisible();
  for (const code of COUNTIES) await expect(county[code]!.getByTestId('chair-panel')).toHaveCount(0); // a county does not chair

  const producer: Record<string, string> = {};
  for (const [code, page] of [[CITY, chair], ...COUNTIES.map((c) => [c, county[c]!] as const)] as const) {
    producer[code] = (await page.getByTestId('local-tile').getAttribute('data-producer-id'))!;
  }
  const siteRow = (code: string) => chair.locator(`[data-testid="ctl-site"][data-unit-code="${code}"]`);
  // Site health at a glance: the counties are connected and send video; an absent county is shown absent.
  for (const code of COUNTIES) await expect(siteRow(code).getByTestId('ctl-health')).toContainText('已连接', { timeout: 20_000 });
  await expect(siteRow('150105').getByTestId('ctl-health')).toContainText('未入会');

  // ---- Roll call (点名): 回民区 goes to everyone's main picture; it watches the main venue itself.
  await siteRow('150103').getByTestId('ctl-rollcall').click();
  await expect(chair.getByTestId('control-mode')).toHaveAttribute('data-mode', 'rollcall');
  for (const viewer of ['150102', '150104']) await expectMainDecodes(county[viewer]!, '150103', producer['150103']!);
  await expectMainDecodes(chair, '150103', producer['150103']!);
  await expectMainDecodes(county['150103']!, CITY, producer[CITY]!);

  // Next in org order: 玉泉区.
  await chair.getByTestId('ctl-rollcall-next').click();
  for (const viewer of ['150102', '150103']) await expectMainDecodes(county[viewer]!, '150104', producer['150104']!);

  // ---- At the region's scale the chair filters the list and steps roll call from the keyboard.
  const shownCodes = () => chair.getByTestId('ctl-site').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit-code')));
  await chair.getByTestId('ctl-site-state').locator('[data-state=absent]').click();
  await expect.poll(shownCodes).toContain('150105');
  for (const code of COUNTIES) expect(await shownCodes()).not.toContain(code);
  await chair.getByTestId('ctl-site-state').locator('[data-state=all]').click();
  await chair.getByTestId('ctl-site-filter').getByRole('textbox').fill('回民');
  await expect.poll(shownCodes).toEqual(['150103']);
  await chair.getByTestId('ctl-site-filter').getByRole('textbox').fill('');
  await chair.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await chair.keyboard.press('PageUp'); // from 玉泉区 back to 回民区
  for (const viewer of ['150102', '150104']) await expectMainDecodes(county[viewer]!, '150103', producer['150103']!);

  // ---- Broadcast (广播): every non-chair site watches 新城区.
  await siteRow('150102').getByTestId('ctl-broadcast').click();
  for (const viewer of ['150103', '150104']) await expectMainDecodes(county[viewer]!, '150102', producer['150102']!);

  // ---- Patrol (轮巡) to all, over two ticked sites every 4 s: 新城区's main picture cycles between them.
  await siteRow('150103').locator('input[type=checkbox]').check();
  await siteRow('150104').locator('input[type=checkbox]').check();
  await chair.getByTestId('ctl-patrol-interval').fill('4');
  await chair.getByTestId('ctl-patrol-start').click();
  await expect(chair.getByTestId('control-mode')).toHaveAttribute('data-mode', 'patrol');
  await expectMainDecodes(county['150102']!, '150103', producer['150103']!);
  await expect(mainTile(county['150102']!)).toHaveAttribute('data-unit-code', '150104', { timeout: 15_000 });
  await expect(mainTile(county['150102']!)).toHaveAttribute('data-producer-id', producer['150104']!);
  await expect(mainTile(county['150102']!)).toHaveAttribute('data-unit-code', '150103', { timeout: 15_000 });
  await chair.getByTestId('ctl-patrol-pause').click();
  const heldOn = await mainTile(county['150102']!).getAttribute('data-unit-code');
  await county['150102']!.waitForTimeout(6000);
  await expect(mainTile(county['150102']!)).toHaveAttribute('data-unit-code', heldOn!); // paused: no more switching
  await expectMainDecodes(county['150102']!, heldOn!, producer[heldOn!]!);
  await chair.getByTestId('ctl-free').click();

  // ---- Mute-lock: the counties' microphones are closed at the SFU and stay closed.
  const xincheng = county['150102']!;
  await chair.getByTestId('ctl-mute-all-lock').click();
  await expect(xincheng.getByTestId('mic-locked')).toBeVisible();
  await expect(xincheng.getByTestId('toggle-mic')).toHaveAttribute('data-mic-on', '0');
  await xincheng.getByTestId('toggle-mic').click();
  await expect(xincheng.getByTestId('room-warning')).toContainText('锁定');
  await expect(xincheng.getByTestId('toggle-mic')).toHaveAttribute('data-mic-on', '0');
  // What another county's receiver gets from 新城区's microphone stops growing.
  const xinchengAt = (page: Page) => page.locator(`[data-unit-code="150102"][data-audio-packets]`);
  const packets = async () => Number(await xinchengAt(county['150103']!).getAttribute('data-audio-packets'));
  await county['150103']!.waitForTimeout(1500);
  const p0 = await packets();
  await county['150103']!.waitForTimeout(3000);
  expect((await packets()) - p0).toBeLessThan(5);
  // The main venue still speaks and is heard.
  const cityAudio = async () => Number(await county['150103']!.locator(`[data-unit-code="${CITY}"][data-audio-packets]`).getAttribute('data-audio-packets'));
  const c0 = await cityAudio();
  await expect.poll(cityAudio, { timeout: 10_000 }).toBeGreaterThan(c0 + 50);

  // Released for 新城区: it may open its microphone, and its audio flows again.
  await siteRow('150102').getByTestId('ctl-unmute').click();
  await expect(xincheng.getByTestId('mic-locked')).toHaveCount(0);
  await expect(xincheng.getByTestId('toggle-mic')).toHaveAttribute('data-mic-on', '1');
  const p1 = await packets();
  await expect.poll(packets, { timeout: 10_000 }).toBeGreaterThan(p1 + 50);

  // ---- Requests to speak: 玉泉区 raises its hand, the chair grants the floor (a roll call).
  await county['150104']!.getByTestId('raise-hand').click();
  await expect(chair.locator('[data-testid="ctl-hand"][data-unit-code="150104"]')).toBeVisible();
  await chair.locator('[data-testid="ctl-hand"][data-unit-code="150104"]').getByTestId('ctl-grant').click();
  await expect(county['150104']!.getByTestId('mic-locked')).toHaveCount(0);
  await expect(county['150104']!.getByTestId('toggle-mic')).toHaveAttribute('data-mic-on', '1');
  await expectMainDecodes(county['150103']!, '150104', producer['150104']!);

  // Banner (会标) and caption reach every site live.
  await chair.getByTestId('ctl-banner').fill('全市防汛工作视频调度会');
  await chair.getByTestId('ctl-banner-set').click();
  for (const code of COUNTIES) await expect(county[code]!.getByTestId('room-banner')).toHaveText('全市防汛工作视频调度会');

  // ---- The chair sets a single-picture layout for everyone: video not on screen is paused at the SFU,
  // so the receiver's decoder for it stops; back to four pictures, it is decoded again.
  const viewer = county['150103']!;
  await chooseOption(chair, 'ctl-layout', '单画面');
  await expect(viewer.locator('[data-layout]')).toHaveAttribute('data-layout', '1');
  const offscreen = viewer.locator('[data-testid="remote-tile"][data-unit-code="150102"]');
  await expect(offscreen).toHaveAttribute('data-visible', '0');
  await viewer.waitForTimeout(1500);
  const h0 = Number(await offscreen.getAttribute('data-frames-decoded'));
  await viewer.waitForTimeout(3000);
  expect(Number(await offscreen.getAttribute('data-frames-decoded')) - h0).toBeLessThan(3);
  await expectMainDecodes(viewer, '150104', producer['150104']!);
  await chooseOption(chair, 'ctl-layout', '四画面');
  await expect(viewer.locator('[data-layout]')).toHaveAttribute('data-layout', '4');
  await expect(offscreen).toHaveAttribute('data-visible', '1');
  await expect.poll(async () => Number(await offscreen.getAttribute('data-frames-decoded')), { timeout: 30_000 }).toBeGreaterThan(h0 + 10);
});

test('a county whose network drops comes back by itself, and media flows again both ways', async ({ browser }) => {
  const title = `断网恢复测试 ${Date.now()}`;
  const a = await site(browser, '150102-venue');
  const b = await site(browser, '150103-venue');
  const city = await site(browser, `${CITY}-leader`);
  await city.getByTestId('meeting-title').fill(title);
  await chooseButton(city, 'meeting-scope-kind', '一个盟市及其旗县');
  await chooseOption(city, 'meeting-scope-city', '呼和浩特市');
  await city.getByTestId('meeting-create').click();
  await join(a, title);
  await join(b, title);
  const tileOf = (page: Page, code: string) => page.locator(`[data-unit-code="${code}"][data-frames-decoded]`);
  await expect.poll(async () => Number(await tileOf(a, '150103').getAttribute('data-frames-decoded')), { timeout: 30_000 }).toBeGreaterThan(10);
  const before = await b.getByTestId('local-tile').getAttribute('data-producer-id');

  // Cut 回民区's network with Chromium's offline emulation. Honest limits: it silences the page's socket.io
  // websocket without closing it, so the drop is noticed by socket.io's heartbeat on both sides (~25-45 s here);
  // and WebRTC over loopback is not affected by it at all. The media side of the drop is therefore what the
  // server does when it loses a site's socket: it removes the site and closes its transports. The page then
  // recovers alone (rejoin with new transports). The ICE-restart path is covered by the integration test.
  const cdp = await b.context().newCDPSession(b);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await expect(b.getByTestId('room-reconnecting')).toBeVisible({ timeout: 90_000 });
  await expect(tileOf(a, '150103')).toHaveCount(0, { timeout: 30_000 }); // the other county sees it gone
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  // Back without anyone clicking: a new producer, decoded again on the other side, and it receives again.
  await expect(b.getByTestId('room-reconnecting')).toHaveCount(0, { timeout: 60_000 });
  await expect(b.getByTestId('local-tile')).toHaveAttribute('data-producer-id', /.+/, { timeout: 30_000 });
  const after = await b.getByTestId('local-tile').getAttribute('data-producer-id');
  expect(after).not.toBe(before);
  await expect(tileOf(a, '150103')).toHaveAttribute('data-producer-id', after!, { timeout: 30_000 });
  const f0 = Number((await tileOf(a, '150103').getAttribute('data-frames-decoded')) ?? 0);
  await expect.poll(async () => Number(await tileOf(a, '150103').getAttribute('data-frames-decoded')), { timeout: 30_000 }).toBeGreaterThan(f0 + 10);
  await expect.poll(async () => Number(await tileOf(b, '150102').getAttribute('data-frames-decoded')), { timeout: 30_000 }).toBeGreaterThan(10);

  // The check-in (签到) keeps both stays of 回民区: the organiser sees two joins, one closed by the drop.
  await meetingRow(city, title).getByTestId('meeting-attendance').click();
  const row = city.locator('[data-testid="attendance-unit"][data-unit-code="150103"]');
  await expect(row.locator('td').nth(2)).toHaveText('2');
  await expect(city.locator('[data-testid="attendance-unit"][data-unit-code="150102"] td').nth(2)).toHaveText('1');
});

test('content sharing (双流): one sharer at a time, in everyone\'s big tile; the chair takes it back', async ({ browser }) => {
  const title = `双流测试 ${Date.now()}`;
  const a = await site(browser, '150102-venue');
  const b = await site(browser, '150103-venue');
  const chair = await site(browser, `${CITY}-leader`);
  await chair.getByTestId('meeting-title').fill(title);
  await chooseButton(chair, 'meeting-scope-kind', '一个盟市及其旗县');
  await chooseOption(chair, 'meeting-scope-city', '呼和浩特市');
  await chair.getByTestId('meeting-create').click();
  await join(chair, title);
  await join(a, title);
  await join(b, title);
  const camera = await a.getByTestId('local-tile').getAttribute('data-producer-id');

  await a.getByTestId('toggle-share').click();
  for (const viewer of [b, chair]) {
    await expect(mainTile(viewer)).toHaveAttribute('data-content', '1', { timeout: 30_000 });
    await expect(mainTile(viewer)).toHaveAttribute('data-unit-code', '150102');
    await expect(mainTile(viewer)).not.toHaveAttribute('data-producer-id', camera!); // the second stream, not the camera
    const f0 = await frames(viewer);
    await expect.poll(() => frames(viewer), { timeout: 30_000 }).toBeGreaterThan(f0 + 5);
  }
  // A second site cannot share meanwhile.
  await b.getByTestId('toggle-share').click();
  await expect(b.getByTestId('room-warning')).toContainText('正在共享');

  // The chair takes it back: the sharer stops, the big tile returns to camera pictures.
  await chair.getByTestId('ctl-take-back').click();
  await expect(a.getByTestId('toggle-share')).toHaveText(/共享屏幕/);
  await expect(mainTile(b)).not.toHaveAttribute('data-content', '1', { timeout: 20_000 });

  // Voice-activated switching (声控切换): the router's active speaker observer picks the site, and the
  // counties' main picture follows it (the fake microphones all beep, so any of them may win).
  await chair.getByTestId('ctl-voice').click();
  await expect(chair.getByTestId('control-mode')).toHaveAttribute('data-mode', 'voice');
  await expect(chair.getByTestId('control-mode')).toHaveAttribute('data-focus', /^\d{6}$/, { timeout: 30_000 });
  await expect
    .poll(async () => {
      const focus = await chair.getByTestId('control-mode').getAttribute('data-focus');
      const shown = await mainTile(b).getAttribute('data-unit-code');
      return shown === (focus === '150103' ? CITY : focus);
    }, { timeout: 30_000 })
    .toBe(true);
});
