/**
 * One real incident in the console, across three levels: the county's phone report, its written report
 * signed off by the county leader, received live by the city, acknowledged and relayed with the city
 * leader's sign-off, seen by the region; a follow-up and the final report close it. And a deadline that
 * passes on the server's test clock is marked late everywhere.
 */
import { type Page } from '@playwright/test';
import { advanceClock, expect, fillDateTime, INSTANTS, loginAs, pinClock, test, unpinClock } from './helpers.ts';

const card = (page: Page, kind: string) => page.locator(`[data-testid=report-card][data-kind=${kind}]`);
const incidentIdOf = (page: Page) => /\/reports\/incidents\/([0-9a-f-]{36})/.exec(page.url())![1]!;

test('county phone report → written report → sign-off → city acknowledges and relays → region; follow-up and final close it', async ({ browser }) => {
  const countyDuty = await loginAs(browser, '150102-duty');
  const countyLeader = await loginAs(browser, '150102-leader');
  const cityDuty = await loginAs(browser, '150100-duty');
  const cityLeader = await loginAs(browser, '150100-leader');
  const region = await loginAs(browser, '150000-duty');
  const sibling = await loginAs(browser, '150103-duty');
  const title = `新城区某小区燃气泄漏 ${Date.now()}`;

  // 电话报 in seconds: caller and callee are filled in already.
  await countyDuty.getByTestId('tab-phone').click();
  await expect(countyDuty.getByTestId('phone-callee')).toHaveValue('呼和浩特市值班室');
  await countyDuty.getByTestId('phone-title').fill(title);
  await countyDuty.getByTestId('phone-place').fill('新城区海拉尔东路');
  await countyDuty.getByTestId('phone-grade-2').click();
  await countyDuty.getByTestId('phone-summary').fill('燃气泄漏，正在疏散居民');
  await countyDuty.getByTestId('phone-submit').click();
  // The city is alerted live (no reload) that a phone report arrived.
  await expect(cityDuty.getByTestId('report-toast').filter({ hasText: title })).toBeVisible();
  await expect(cityDuty.getByTestId('report-item').filter({ hasText: title })).toBeVisible();

  // The written 首报, from the incident page, sent for the county leader's sign-off.
  await countyDuty.getByTestId('phone-open-incident').click();
  await expect(countyDuty.getByTestId('incident-title')).toHaveText(title);
  const incidentId = incidentIdOf(countyDuty);
  await countyDuty.getByTestId('compose-initial').click();
  await expect(countyDuty.getByTestId('report-title')).toHaveValue(title);
  await countyDuty.getByTestId('report-summary').fill('已疏散居民约200人，无人员伤亡，燃气公司正在抢修。');
  await countyDuty.getByTestId('report-casualties').fill('无');
  await countyDuty.getByTestId('report-submit').click();
  await expect(card(countyDuty, 'initial')).toHaveAttribute('data-state', 'pending_signoff');
  // A photo of the scene goes with it (a raw upload through the reports client).
  await card(countyDuty, 'initial').getByTestId('attachment-input').setInputFiles({ name: '现场情况.txt', mimeType: 'text/plain', buffer: Buffer.from('燃气泄漏现场，已设警戒线') });
  await expect(card(countyDuty, 'initial').getByTestId('attachment-link')).toHaveText(/现场情况\.txt/);

  // The county leader is alerted and signs; the city does not see the written report before that.
  await expect(countyLeader.getByTestId('report-toast').filter({ hasText: title })).toBeVisible();
  await cityDuty.goto(`/reports/incidents/${incidentId}`);
  await expect(card(cityDuty, 'phone')).toBeVisible();
  await expect(card(cityDuty, 'initial')).toHaveCount(0);
  await countyLeader.goto(`/reports/incidents/${incidentId}`);
  await countyLeader.getByTestId('signoff-comment').fill('同意上报');
  await card(countyLeader, 'initial').getByTestId('report-action-sign').click();
  await expect(card(countyLeader, 'initial')).toHaveAttribute('data-state', 'sent');

  // The city receives it live, acknowledges, assesses and relays; its leader signs the relay.
  const cityCard = card(cityDuty, 'initial');
  await expect(cityCard.locator('[data-testid=hop][data-unit="150100"]')).toHaveAttribute('data-state', 'received');
  await cityCard.getByTestId('hop-acknowledge').click();
  await cityCard.getByTestId('hop-assessment').fill('市级研判：影响可控');
  await cityCard.getByTestId('hop-relay').click();
  await expect(cityCard.locator('[data-testid=hop][data-unit="150100"]')).toHaveAttribute('data-state', 'relay_pending');
  await cityLeader.goto(`/reports/incidents/${incidentId}`);
  await card(cityLeader, 'initial').getByTestId('hop-relay-sign').click();
  await expect(card(cityLeader, 'initial').locator('[data-testid=hop][data-unit="150000"]')).toHaveAttribute('data-state', 'received');

  // The region sees it, with the city's assessment, and acknowledges.
  await expect(region.getByTestId('report-toast').filter({ hasText: title }).first()).toBeVisible();
  await region.goto(`/reports/incidents/${incidentId}`);
  const regionCard = card(region, 'initial');
  await expect(regionCard).toContainText('市级研判：影响可控');
  await expect(regionCard.getByTestId('attachment-link')).toHaveText(/现场情况\.txt/);
  await regionCard.getByTestId('hop-acknowledge').click();
  await expect(regionCard.locator('[data-testid=hop][data-unit="150000"]')).toHaveAttribute('data-state', 'acknowledged');

  // A sibling county never sees it.
  await sibling.goto('/reports');
  await sibling.getByTestId('incident-filter').getByText('全部').click();
  await expect(sibling.getByTestId('incident-item').filter({ hasText: title })).toHaveCount(0);

  // 续报一 and 终报, signed directly by the county leader, close the incident everywhere.
  await countyLeader.getByTestId('compose-followup').click();
  await countyLeader.getByTestId('report-summary').fill('抢修完毕，居民陆续返回。');
  await countyLeader.getByTestId('report-sign-now').click();
  await expect(card(countyLeader, 'followup')).toHaveAttribute('data-state', 'sent');
  await countyLeader.getByTestId('compose-final').click();
  await countyLeader.getByTestId('report-summary').fill('事件处置完毕，无次生灾害。');
  await countyLeader.getByTestId('report-sign-now').click();
  await expect(countyLeader.getByTestId('incident-status')).toHaveText('已终报');
  await expect(region.getByTestId('incident-status')).toHaveText('已终报'); // live, no reload

  // One timeline across the levels, every deadline met on time.
  const actions = await region.getByTestId('timeline-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
  for (const a of ['phone_recorded', 'submitted', 'signed', 'acknowledged', 'relay_submitted', 'relayed', 'incident_closed']) expect(actions).toContain(a);
  for (const chip of await region.getByTestId('deadline-chip').all()) await expect(chip).toHaveAttribute('data-status', 'met_on_time');

  // The printable 报送单.
  await region.goto(`/reports/incidents/${incidentId}`);
  await card(region, 'initial').getByTestId('report-print').click();
  await expect(region.getByTestId('print-sheet')).toContainText('突发事件信息报送单');
  await expect(region.getByTestId('print-sheet')).toContainText('已疏散居民约200人');
});

// A deadline passing, at each chosen instant: 100 minutes after an event at 01:20, 06:49, … 22:19 on New Year's Eve.
test.describe('deadlines at chosen instants (Beijing time)', () => {
  test.afterAll(async ({ browser }) => {
    const c = await browser.newContext();
    await unpinClock(c.request);
    await c.close();
  });

  for (const at of INSTANTS) {
    test(`a deadline passing on the server clock is marked late at the county and the city, for good — ${at}`, async ({ browser, request }) => {
      await pinClock(request, at);
      const countyDuty = await loginAs(browser, '150104-duty');
      const countyLeader = await loginAs(browser, '150104-leader');
      const cityDuty = await loginAs(browser, '150100-duty');
      const title = `玉泉区某仓库火情 ${Date.now()}`;

      await countyDuty.getByTestId('report-title').fill(title);
      const eventTime = await countyDuty.evaluate(() => {
        const d = new Date(Date.now() - 100 * 60_000);
        const p = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
      });
      await fillDateTime(countyDuty, 'report-event-time', eventTime);
      await countyDuty.getByTestId('report-place').fill('玉泉区某仓库');
      await countyDuty.getByTestId('report-grade-3').click();
      await countyDuty.getByTestId('report-summary').fill('仓库起火，消防已到场');
      await countyDuty.getByTestId('report-submit').click();
      await countyDuty.getByTestId('report-open-incident').click();
      await expect(countyDuty.getByTestId('incident-title')).toHaveText(title);
      const incidentId = incidentIdOf(countyDuty);
      const chip = countyDuty.locator('[data-testid=deadline-chip][data-unit="150104"][data-kind=written]');
      await expect(chip).toHaveAttribute('data-status', /pending|due_soon/);

      // 25 minutes later on the server's clock: the 2-hour deadline has passed without the leader's sign-off.
      await advanceClock(countyDuty.request, 25 * 60_000);
      // The county's alert names what is late (its own incident, so with the title), never an empty line.
      const toast = countyDuty.locator('[data-testid=report-toast][data-kind=missed]').filter({ hasText: title }).first();
      await expect(toast).toBeVisible();
      await expect(toast).toContainText('玉泉区书面报时限已超时（较大(III)，时限');
      await expect(chip).toHaveAttribute('data-status', 'overdue');
      await expect(chip.getByTestId('deadline-late')).toBeVisible();
      // Escalated to the city at once: unit, kind, grade and due time, but not the title of the unsent report.
      const cityToast = cityDuty.locator('[data-testid=report-toast][data-kind=missed]').filter({ hasText: '玉泉区书面报时限已超时（较大(III)' }).first();
      await expect(cityToast).toBeVisible();
      await expect(cityToast).not.toContainText(title);

      // Signing now sends it, but late stays late: everywhere, with the server's timestamp.
      await countyLeader.goto(`/reports/incidents/${incidentId}`);
      await card(countyLeader, 'initial').getByTestId('report-action-sign').click();
      await expect(chip).toHaveAttribute('data-status', 'met_late');
      await cityDuty.goto('/reports');
      const cityItem = cityDuty.getByTestId('incident-item').filter({ hasText: title });
      await expect(cityItem.locator('[data-testid=deadline-chip][data-unit="150104"]')).toHaveAttribute('data-status', 'met_late');
      await expect(cityItem.getByTestId('deadline-late')).toBeVisible();
      await cityDuty.goto(`/reports/incidents/${incidentId}`);
      await expect(cityDuty.locator('[data-testid=timeline-event][data-action=deadline_missed]')).toBeVisible();
    });
  }
});

test('a report being typed survives a reload (draft saved)', async ({ browser }) => {
  const county = await loginAs(browser, '150102-duty');
  await county.getByTestId('report-title').fill('草稿不丢失测试');
  await county.getByTestId('report-summary').fill('凌晨三点接报，尚在核实');
  await county.waitForTimeout(800);
  await county.reload();
  await expect(county.getByTestId('report-title')).toHaveValue('草稿不丢失测试');
  await expect(county.getByTestId('report-summary')).toHaveValue('凌晨三点接报，尚在核实');
});

test('the leaders\' board shows charts and exports Excel', async ({ browser }) => {
  const leader = await loginAs(browser, '150000-leader');
  // An empty board says so instead of drawing empty charts.
  await leader.getByTestId('nav-board').click();
  await expect(leader).toHaveURL(/\/reports\/board$/);
  const open = await leader.request.get('/api/reports/board');
  if ((await open.json()).open.length === 0) await expect(leader.getByTestId('chart-grade-empty')).toBeVisible();
  // An open incident (a phone report taken at the region) puts something on the charts.
  const phone = await leader.request.post('/api/reports/phone', {
    data: {
      requestId: crypto.randomUUID(), title: '看板测试：某旗森林火情', eventTime: new Date(Date.now() - 5 * 60_000).toISOString(),
      place: '阿拉善盟', grade: 2, summary: '过火面积约30亩', caller: '阿拉善盟值班员', callee: '自治区值班员',
    },
  });
  expect(phone.status()).toBe(201);
  // …and one from a banner of 阿拉善盟 colours that league's tile on the region's schematic grid.
  const banner = await loginAs(browser, '152921-duty');
  const fromBanner = await banner.request.post('/api/reports/phone', {
    data: {
      requestId: crypto.randomUUID(), title: '看板测试：阿拉善左旗草原火情', eventTime: new Date(Date.now() - 5 * 60_000).toISOString(),
      place: '巴彦浩特镇', grade: 2, summary: '过火面积约10亩', caller: '旗值班员', callee: '盟值班员',
    },
  });
  expect(fromBanner.status()).toBe(201);
  await leader.goto('/reports/board');
  await expect(leader.getByTestId('chart-grade').locator('svg')).toBeVisible();
  // Unit names in the charts are text in the console's shipped font: a canvas would draw them with the machine's
  // sans-serif, which here (no CJK font installed) is a row of empty boxes.
  const unitLabel = leader.getByTestId('chart-unit').locator('svg text', { hasText: /阿拉善/ }).first();
  await expect(unitLabel).toBeVisible();
  // Polled: the chart redraws (animation, resize) and replaces its text nodes while it settles.
  await expect.poll(() => unitLabel.evaluate((el) => getComputedStyle(el).fontFamily)).toContain('Noto Sans SC');
  expect(await leader.evaluate(() => document.fonts.check('12px "Noto Sans SC"', '阿拉善'))).toBe(true);
  // Headline figures first: what is open (as the board's own list says), and what was sent today.
  const board = await (await leader.request.get('/api/reports/board')).json();
  await expect(leader.getByTestId('figure-open').locator('.value')).toHaveText(String(board.open.length));
  await expect.poll(async () => Number(await leader.getByTestId('figure-today').locator('.value').textContent())).toBeGreaterThanOrEqual(2);
  const tile = leader.locator('[data-testid=region-tile][data-unit="152900"]');
  await expect(tile).toContainText('阿拉善盟');
  expect(Number(await tile.getAttribute('data-open'))).toBeGreaterThanOrEqual(1);
  await expect(tile).toHaveClass(/grade-[12]/);
  await expect(leader.getByTestId('region-tile')).toHaveCount(12); // every league and city of the region
  await expect(leader.getByTestId('timeliness-table')).toBeVisible();
  // In English the charts and the table name units as the rest of the console does (the server sends Chinese names).
  await leader.getByTestId('lang-switch').click();
  await expect(leader.getByTestId('chart-unit').locator('svg text', { hasText: 'Alxa League' }).first()).toBeVisible();
  await expect(leader.getByTestId('chart-unit').locator('svg text', { hasText: /阿拉善/ })).toHaveCount(0);
  await expect(tile).toContainText('Alxa League');
  await leader.getByTestId('lang-switch').click();
  await expect(tile).toContainText('阿拉善盟');
  const res = await leader.request.get((await leader.getByTestId('board-export').getAttribute('href'))!);
  expect(res.headers()['content-type']).toContain('spreadsheetml');
});
