/**
 * End to end in Chromium: an alert arrives from the emergency platform (our simulator, a separate process,
 * signed) → the duty consoles of the covered counties and the region alarm, with a sound → the region's
 * leader on duty convenes the affected counties with one click → their venues get the invitation, with a
 * sound, and join. Server clock and browser clocks are pinned to New Year's Eve, 23:50 in Beijing.
 */
import { type Browser, type Page } from '@playwright/test';
import { expect, loginAs, pinClock, test } from './helpers.ts';
import { freePort, SimControl, startProc, type Proc } from '../helpers/processes.ts';

const NYE = new Date('2026-12-31T15:50:00Z'); // 2026-12-31 23:50 +08:00
const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;
let sim: Proc;
let ctl: SimControl;

test.beforeAll(async () => {
  const port = await freePort();
  ctl = new SimControl(port);
  sim = await startProc('platform-sim/server.ts', { PLATFORM_SIM_PORT: String(port), PLATFORM_SHARED_KEY: 'e2e-platform-key', PLATFORM_SIM_INBOUND_URL: `${BASE}/platform/cap` }, 'PLATFORM_SIM_READY');
});
test.afterAll(async () => {
  await sim?.stop();
});

/** Counts the console's beeps: every beep starts oscillators. */
async function countBeeps(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __beeps: number };
    w.__beeps = 0;
    const orig = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      w.__beeps++;
      return orig.call(this);
    };
  });
}
const consoleAs = (browser: Browser, username: string) => loginAs(browser, username, { init: countBeeps });
const beeps = (p: Page) => p.evaluate(() => (window as unknown as { __beeps: number }).__beeps);

test('an alert arrives, the duty consoles alarm, one click convenes the affected counties, they are invited', async ({ browser, request }) => {
  await pinClock(request, NYE.toISOString());
  const [regionDuty, countyDuty, leader, venueA, venueB, venueOther] = await Promise.all(
    ['150000-duty', '150102-duty', '150000-leader', '150102-venue', '150103-venue', '150104-venue'].map((u) => consoleAs(browser, u)),
  );
  await leader.goto('/emergency/alerts');
  await expect(leader.getByRole('heading', { name: '应急平台预警信息' })).toBeVisible();
  const before = { county: await beeps(countyDuty), a: await beeps(venueA), b: await beeps(venueB) };

  const sent = await ctl.sendAlert({ style: 'flood', identifier: 'SLT-E2E-20261231-01', areaDesc: '呼和浩特市新城区、回民区', geocodes: ['150102', '150103'], severity: 'Extreme', headline: '新城区、回民区山洪红色预警', sent: '2026-12-31T23:50:00+08:00' });
  expect(sent.answer.status).toBe(200);

  // The duty consoles alarm: the county's and the region's, loud until acknowledged.
  for (const p of [countyDuty, regionDuty]) await expect(p.getByTestId('platform-alarm')).toContainText('新城区、回民区山洪红色预警');
  await expect.poll(() => beeps(countyDuty)).toBeGreaterThan(before.county);
  await expect(venueOther.getByTestId('platform-alarm')).toHaveCount(0);
  await countyDuty.getByTestId('platform-alarm-ack').click();
  await expect(countyDuty.getByTestId('platform-alarm')).toHaveCount(0);
  await expect(regionDuty.getByTestId('platform-alarm')).toBeVisible(); // the region has not acknowledged yet

  // One click at the region: the affected counties are convened, the region is the main venue.
  const card = leader.locator('[data-testid="platform-alert"][data-identifier="SLT-E2E-20261231-01"]');
  await expect(card.getByTestId('alert-units')).toContainText('新城区、回民区');
  await card.getByTestId('alert-convene').click();
  await expect(card.getByTestId('alert-enter-meeting')).toBeVisible();

  for (const p of [venueA, venueB]) await expect(p.getByTestId('platform-invitation')).toContainText('应急会商：新城区、回民区山洪红色预警');
  await expect.poll(() => beeps(venueA)).toBeGreaterThan(before.a);
  await expect.poll(() => beeps(venueB)).toBeGreaterThan(before.b);
  await expect(venueOther.getByTestId('platform-invitation')).toHaveCount(0);
  await venueA.getByTestId('platform-invitation-join').click();
  await expect(venueA).toHaveURL(/\/meetings\/[0-9a-f-]{36}$/);

  // The water authority lifts the warning: the region's alarm (never acknowledged) stops; the card says so.
  const lifted = await ctl.sendAlert({ style: 'flood', identifier: 'SLT-E2E-20261231-02', msgType: 'Cancel', references: 'slt@nmg.gov.cn,SLT-E2E-20261231-01,2026-12-31T23:50:00+08:00', areaDesc: '呼和浩特市新城区、回民区', geocodes: ['150102', '150103'], severity: 'Minor', headline: '新城区、回民区山洪预警解除' });
  expect(lifted.answer.status).toBe(200);
  await expect(regionDuty.getByTestId('platform-alarm')).toHaveCount(0);
  await expect(card).toHaveAttribute('data-state', 'lifted');
  await expect(card.getByTestId('alert-lifted')).toContainText('已解除');
  await expect(leader.locator('[data-testid="platform-alert"][data-identifier="SLT-E2E-20261231-02"]').getByTestId('alert-lifting')).toBeVisible();
});
