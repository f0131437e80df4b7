/**
 * 24-hour duty in the browser: a county officer logs a call and hands the shift over with it open; the incoming
 * officer must acknowledge the carried item before taking over; the city sees who is on duty at the county now.
 */
import { type Browser } from '@playwright/test';
import { chooseOption, expect, INSTANTS, loginAs, pinClock, test, unpinClock } from './helpers.ts';

// One county per instant, so the shifts closed at one instant do not carry into another's handover.
const HANDOVER_UNITS = [
  { code: '150102', name: '新城区' },
  { code: '150105', name: '赛罕区' },
  { code: '150121', name: '土默特左旗' },
  { code: '150122', name: '托克托县' },
  { code: '150123', name: '和林格尔县' },
];

test.describe('at chosen instants (Beijing time)', () => {
  test.afterAll(async ({ browser }) => {
    const c = await browser.newContext();
    await unpinClock(c.request);
    await c.close();
  });

  INSTANTS.forEach((at, i) => {
    const unit = HANDOVER_UNITS[i]!;
    test(`log a call, hand over with the open item, the incoming officer acknowledges it; the city sees who is on duty — ${at}`, async ({ browser, request }) => {
      await pinClock(request, at);
      await rosterAround(browser, unit.code, at);
      await handoverScenario(browser, unit);
    });
  });
});

/**
 * Handover follows the roster: the unit's leader puts `-duty` on the shift running at `at` and `-duty2` on the
 * next one, whatever an earlier instant in the same week seeded (the demo roster alternates from where it starts).
 */
async function rosterAround(browser: Browser, unitCode: string, at: string): Promise<void> {
  const leader = await loginAs(browser, `${unitCode}-leader`);
  const people = (await (await leader.request.get(`/api/duty/people?unit=${unitCode}`)).json()).people as { id: number; username: string }[];
  const id = (u: string) => people.find((p) => p.username === u)!.id;
  // The one shift a day starts at 08:30 Beijing time (UTC+8, no daylight saving).
  const local = new Date(Date.parse(at) + 8 * 3600_000);
  let start = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 0, 30); // 08:30 +08:00 = 00:30 UTC
  if (Date.parse(at) < start) start -= 86_400_000;
  for (const [slotStart, who] of [[start, '-duty'], [start + 86_400_000, '-duty2']] as const) {
    const r = await leader.request.post('/api/duty/roster/slot', {
      data: { start: new Date(slotStart).toISOString(), officers: [{ userId: id(`${unitCode}${who}`) }], leader: { userId: id(`${unitCode}-leader`) } },
    });
    expect(r.ok(), await r.text()).toBe(true);
  }
  await leader.context().close();
}

async function handoverScenario(browser: Browser, unit: { code: string; name: string }): Promise<void> {
  const summary = `某村道路被洪水冲毁，请求支援 ${Date.now()}`;

  // Outgoing officer: log the call (left open), then close the shift.
  const out = await loginAs(browser, `${unit.code}-duty`);
  await out.getByTestId('nav-duty').click();
  await out.getByTestId('duty-tab-log').click();
  await out.getByTestId('log-caller-unit').fill('保合少镇政府');
  await out.getByTestId('log-caller-name').fill('李明');
  await out.getByTestId('log-caller-title').fill('镇长');
  await out.getByTestId('log-caller-phone').fill('0471-1234567');
  await out.getByTestId('log-summary').fill(summary);
  await out.getByTestId('log-place').fill('保合少镇');
  await out.getByTestId('log-measures').fill('已通知应急局');
  await out.getByTestId('log-notified').fill('带班领导');
  await out.getByTestId('log-submit').click();
  const item = out.getByTestId('log-item').filter({ hasText: summary });
  await expect(item).toBeVisible();
  await expect(item.getByTestId('log-item-status')).toHaveText('待办');
  await expect(out.getByTestId('log-summary')).toHaveValue('');

  await out.getByTestId('duty-tab-handover').click();
  await expect(out.getByTestId('handover-open-item').filter({ hasText: summary })).toBeVisible();
  await out.getByTestId('handover-summary').fill('本班接电话1个：道路冲毁待跟进。');
  await out.waitForTimeout(400);
  await out.reload(); // the summary draft survives a reload
  await expect(out.getByTestId('handover-summary')).toHaveValue('本班接电话1个：道路冲毁待跟进。');
  await out.getByTestId('handover-close').click();
  await expect(out.getByTestId('handover-close-msg')).toContainText('已交班');

  // Incoming officer: sees the pending handover and the carried item; cannot take over before acknowledging.
  const inc = await loginAs(browser, `${unit.code}-duty2`);
  await inc.goto('/duty/handover');
  const pending = inc.getByTestId('handover-pending');
  await expect(pending).toBeVisible();
  await expect(pending.getByTestId('handover-pending-summary')).toHaveText('本班接电话1个：道路冲毁待跟进。');
  const carried = pending.getByTestId('handover-item').filter({ hasText: summary });
  await expect(carried).toBeVisible();
  await expect(pending.getByTestId('handover-accept')).toBeDisabled();
  await expect(pending.getByTestId('handover-must-ack')).toBeVisible();
  await carried.getByTestId('handover-item-ack').click();
  await expect(carried).toContainText('已确认');
  await pending.getByTestId('handover-accept').click();
  await expect(inc.getByTestId('handover-accepted').first()).toContainText(`${unit.name}值班员乙`);
  await expect(inc.getByTestId('handover-pending')).toHaveCount(0);
  // The outgoing officer's page follows live.
  await expect(out.getByTestId('handover-accepted').first()).toContainText(`${unit.name}值班员乙`);

  // The city: who is on duty now at the county, with phone numbers.
  const city = await loginAs(browser, '150100-duty');
  await city.getByTestId('nav-duty').click();
  const row = city.locator(`[data-testid="duty-now-unit"][data-unit-code="${unit.code}"]`);
  await expect(row.getByTestId('duty-now-officers')).toContainText(new RegExp(`${unit.name}值班员(乙)? 139${unit.code}`));
  await expect(row.getByTestId('duty-now-leader')).toContainText(`${unit.name}带班领导 138${unit.code}01`);
  await city.getByTestId('duty-now-filter').fill('玉泉');
  await expect(city.getByTestId('duty-now-unit')).toHaveCount(1);
}

// Swaps at a month's end and at New Year's Eve: the slots offered and the month calendar cross into the next month.
test.describe('swaps at chosen instants', () => {
  test.afterAll(async ({ browser }) => {
    const c = await browser.newContext();
    await unpinClock(c.request);
    await c.close();
  });

  for (const at of [INSTANTS[1], INSTANTS[4]]) {
    test(`an officer asks to swap shifts; the leader approves; the roster shows the swap — ${at}`, async ({ browser, request }) => {
      await pinClock(request, at);
      const duty = await loginAs(browser, '150103-duty');
      await duty.goto('/duty/swaps');
      // Element Plus selects: the options are listed in the opened dropdown (the roster has loaded once they show).
      await duty.getByTestId('swap-slot').click();
      const offered = duty.locator('.el-select-dropdown__item:visible');
      await expect(offered.first()).toBeVisible();
      const labels = await offered.allTextContents();
      const mine = labels.find((l) => l.trim().endsWith('回民区值班员'))!;
      await duty.keyboard.press('Escape');
      if (at === INSTANTS[4]) {
        // On New Year's Eve the January shifts offered say they are next year's.
        const january = labels.map((l) => l.trim()).filter((l) => /^(?:\d{4}-)?01-\d{2} /.test(l));
        expect(january.length).toBeGreaterThan(0);
        expect(january.every((l) => l.startsWith('2027-01-'))).toBe(true);
      }
      await chooseOption(duty, 'swap-slot', mine.trim());
      await chooseOption(duty, 'swap-to', '回民区值班员乙（150103-duty2）');
      await chooseOption(duty, 'swap-other-slot', /\S/); // the first shift offered
      const other = (await duty.getByTestId('swap-other-slot').innerText()).trim();
      await duty.getByTestId('swap-submit').click();
      const item = duty.getByTestId('swap-item').first();
      await expect(item).toContainText('待审批');
      await expect(item.getByTestId('swap-approve')).toHaveCount(0); // officers cannot approve

      const leader = await loginAs(browser, '150103-leader');
      await leader.goto('/duty/swaps');
      await leader.getByTestId('swap-item').first().getByTestId('swap-approve').click();
      await expect(leader.getByTestId('swap-item').first()).toContainText('已批准');
      await expect(item).toContainText('已批准'); // live on the requester's page

      // The two shifts changed hands. A shift in the next year is shown with its year (New Year's Eve).
      const dayOf = (label: string) => /^(?:(\d{4})-)?(\d{2}-\d{2}) \d{2}:\d{2}/.exec(label.trim())!;
      const firstStart = dayOf(mine)[2]!;
      const otherStart = dayOf(other)[2]!;
      await duty.goto('/duty/roster');
      await duty.getByTestId('roster-month').click();
      const cell = (mmdd: string) => duty.getByTestId('roster-slot').filter({ has: duty.locator(`xpath=..//div[@class="date" and text()="${mmdd}"]`) });
      await expect(cell(firstStart).getByTestId('roster-officers')).toHaveText('回民区值班员乙');
      await expect(cell(otherStart).getByTestId('roster-officers')).toHaveText('回民区值班员');
    });
  }
});

test('a leader puts an officer, a person without an account and a leader on a shift, and sees them on the roster', async ({ browser, request }) => {
  // 清水河县: a county no other spec schedules; a month end far from the demo roster, so the shift starts empty.
  await pinClock(request, '2035-08-31T10:00:00+08:00');
  const leader = await loginAs(browser, '150124-leader');
  await leader.getByTestId('nav-duty').click();
  await leader.getByTestId('duty-tab-roster').click();
  const slot = leader.getByTestId('roster-slot').filter({ has: leader.getByTestId('roster-edit') }).last();
  const start = await slot.getAttribute('data-start');
  await slot.getByTestId('roster-edit').click();
  const editor = leader.getByTestId('slot-editor');
  await chooseOption(leader, 'slot-officer', '清水河县值班员（150124-duty）');
  await editor.getByRole('button', { name: '添加无账号人员' }).click();
  await editor.getByPlaceholder('姓名').fill('王志强');
  await editor.getByPlaceholder('电话').fill('13904710001');
  await chooseOption(leader, 'slot-leader', '清水河县带班领导（150124-leader）');
  await leader.getByTestId('slot-save').click();
  await expect(editor).toBeHidden();
  const saved = leader.locator(`[data-testid=roster-slot][data-start="${start}"]`);
  await expect(saved.getByTestId('roster-officers')).toHaveText('清水河县值班员、王志强');
  await expect(saved).toContainText('清水河县带班领导');
  // Opened again, the editor holds what was saved, the person without an account with the phone typed.
  await saved.getByTestId('roster-edit').click();
  await expect(editor.getByPlaceholder('电话')).toHaveValue('13904710001');
});
