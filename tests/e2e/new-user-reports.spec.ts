/**
 * What a new user tripped over in the duty console (issue 9), seen in the browser at pinned clocks: the city
 * leader's comment on 签发上报 reaches the card, the timeline and the 报送单; phone reports are not 已签发;
 * follow-ups start from the 首报; the phone form says what is wrong; alerts collect in a tray that never covers
 * a button, close by themselves when they are news, clear on every console once handled, stay away after a
 * reload once dismissed; feedback and swap requests alert the leaders.
 */
import { type Page } from '@playwright/test';
import { chooseOption, expect, fillDateTime, loginAs, pinClock, test, unpinClock } from './helpers.ts';

const card = (page: Page, kind: string) => page.locator(`[data-testid=report-card][data-kind=${kind}]`);
const toast = (page: Page, kind: string, text: string) => page.locator(`[data-testid=report-toast][data-kind=${kind}]`).filter({ hasText: text });
const incidentIdOf = (page: Page) => /\/reports\/incidents\/([0-9a-f-]{36})/.exec(page.url())![1]!;

test('签发上报 keeps the leader’s comment and assessment; the relay alert clears on every console; phone is not 已签发; 续报 starts from the 首报', async ({ browser }) => {
  const T = '2026-12-31T23:40:00+08:00'; // New Year's Eve in Beijing
  const countyDuty = await loginAs(browser, '150102-duty', { at: T });
  await pinClock(countyDuty.request, T);
  try {
    const countyLeader = await loginAs(browser, '150102-leader', { at: T });
    const cityDuty = await loginAs(browser, '150100-duty', { at: T });
    const cityDuty2 = await loginAs(browser, '150100-duty', { at: T }); // a second console of the same office
    const cityLeader = await loginAs(browser, '150100-leader', { at: T });
    const cityLeader2 = await loginAs(browser, '150100-leader', { at: T });
    const title = `某煤矿透水 ${Math.random().toString(36).slice(2, 8)}`;

    // The phone form says what is missing under each field, in Chinese, and the message goes once the field is filled…
    await countyDuty.getByTestId('tab-phone').click();
    await countyDuty.getByTestId('phone-submit').click();
    await expect(countyDuty.getByTestId('phone-title-error')).toHaveText('请填写标题');
    await expect(countyDuty.getByTestId('phone-place-error')).toHaveText('请填写事发地点');
    await expect(countyDuty.getByTestId('phone-summary-error')).toHaveText('请填写电话内容');
    await expect(countyDuty.getByTestId('phone-caller-error')).toHaveCount(0); // prefilled: my unit and name
    await countyDuty.getByTestId('phone-title').fill(title);
    await expect(countyDuty.getByTestId('phone-title-error')).toHaveCount(0);
    await countyDuty.getByTestId('phone-place').fill('新城区某煤矿');
    await countyDuty.getByTestId('phone-summary').fill('井下3人被困');
    await fillDateTime(countyDuty, 'phone-event-time', '2027-01-01T00:30');
    await countyDuty.getByTestId('phone-submit').click();
    // …and exactly what is wrong with an event time after now.
    await expect(countyDuty.getByTestId('phone-event-time-error')).toHaveText('事发时间不能晚于当前时间');
    await fillDateTime(countyDuty, 'phone-event-time', '2026-12-31T23:15');
    await countyDuty.getByTestId('phone-submit').click();

    // Both city consoles are alerted; one acknowledges, the other's alert goes at once.
    await expect(toast(cityDuty, 'received', title)).toBeVisible();
    await expect(toast(cityDuty2, 'received', title)).toBeVisible();
    await toast(cityDuty, 'received', title).getByTestId('toast-view').click();
    await card(cityDuty, 'phone').getByTestId('hop-acknowledge').click();
    await expect(toast(cityDuty2, 'received', title)).toHaveCount(0);

    // A phone report is a call on record, not a signed report.
    await countyDuty.getByTestId('phone-open-incident').click();
    await expect(countyDuty).toHaveURL(/\/reports\/incidents\//);
    const incidentId = incidentIdOf(countyDuty);
    await expect(card(countyDuty, 'phone').getByTestId('report-card-state')).toHaveText('已电话报送');
    await expect(card(countyDuty, 'phone')).not.toContainText('已签发');

    // The county leader signs the 首报 as 事故灾难.
    await countyLeader.goto(`/reports/incidents/${incidentId}`);
    await countyLeader.getByTestId('compose-initial').click();
    await chooseOption(countyLeader, 'report-category', '事故灾难');
    await countyLeader.getByTestId('report-summary').fill('井下3人被困，已救出1人');
    await countyLeader.getByTestId('report-sign-now').click();
    await expect(card(countyLeader, 'initial')).toHaveAttribute('data-state', 'sent');

    // The city officer relays it for sign-off: both consoles of the city leader are asked to sign…
    await cityDuty.goto(`/reports/incidents/${incidentId}`);
    const cityCard = card(cityDuty, 'initial');
    await cityCard.getByTestId('hop-acknowledge').click();
    await cityCard.getByTestId('hop-assessment').fill('市级研判：影响可控');
    await cityCard.getByTestId('hop-relay').click();
    await expect(cityCard.locator('[data-testid=hop][data-unit="150100"]')).toHaveAttribute('data-state', 'relay_pending');
    await expect(toast(cityLeader, 'signoff', '待您签发上报')).toContainText(title);
    await expect(toast(cityLeader2, 'signoff', '待您签发上报')).toContainText(title);

    // …one signs with a comment, and the other console's 「待您签发上报」 disappears without a reload.
    await cityLeader.goto(`/reports/incidents/${incidentId}`);
    const leaderCard = card(cityLeader, 'initial');
    await leaderCard.getByTestId('hop-sign-comment').fill('同意上报，请自治区关注');
    await leaderCard.getByTestId('hop-relay-sign').click();
    await expect(leaderCard.locator('[data-testid=hop][data-unit="150100"]')).toHaveAttribute('data-state', 'relayed');
    await expect(toast(cityLeader2, 'signoff', title)).toHaveCount(0);
    await expect(toast(cityLeader, 'signoff', title)).toHaveCount(0);

    // The comment is on the card, on the timeline and on the 报送单, beside the assessment.
    await expect(leaderCard.getByTestId('hop-relay-comment')).toHaveText('呼和浩特市带班领导 签发意见：同意上报，请自治区关注');
    await expect(leaderCard).toContainText('市级研判：影响可控');
    await expect(cityLeader.locator('[data-testid=timeline-event][data-action=relayed]')).toContainText('同意上报，请自治区关注');
    await leaderCard.getByTestId('report-print').click();
    await expect(cityLeader.getByTestId('print-relay-comment')).toContainText('同意上报，请自治区关注');
    await expect(cityLeader.getByTestId('print-sheet')).toContainText('市级研判：影响可控');

    // 续报 starts from the 首报's category and summary, and both stay editable.
    await countyLeader.getByTestId('compose-followup').click();
    await expect(countyLeader.getByTestId('report-category')).toHaveText('事故灾难');
    await expect(countyLeader.getByTestId('report-summary')).toHaveValue('井下3人被困，已救出1人');
    await countyLeader.getByTestId('report-summary').fill('井下3人被困，已救出3人，全部脱险');
    await countyLeader.getByTestId('report-sign-now').click();
    await expect(card(countyLeader, 'followup')).toContainText('事故灾难');
    await expect(card(countyLeader, 'followup')).toContainText('已救出3人');
  } finally {
    await unpinClock(countyDuty.request);
  }
});

test('alerts collect in a tray that never covers 下达批示; news closes by itself; a dismissed alert stays away after a reload; feedback is announced', async ({ browser }) => {
  const T = '2028-02-29T21:05:00+08:00'; // leap day
  const countyDuty = await loginAs(browser, '150104-duty', { at: T });
  await pinClock(countyDuty.request, T);
  try {
    const cityLeader = await loginAs(browser, '150100-leader', { at: T });
    const tag = Math.random().toString(36).slice(2, 8);
    const phone = (n: number) => ({
      requestId: crypto.randomUUID(),
      title: `玉泉区山洪${n} ${tag}`,
      eventTime: new Date(Date.parse(T) - 10 * 60_000).toISOString(),
      place: '玉泉区',
      grade: 2,
      summary: '道路冲毁',
      caller: '玉泉区值班员',
      callee: '呼和浩特市值班室',
    });
    const ids: string[] = [];
    for (let n = 1; n <= 5; n++) ids.push((await (await countyDuty.request.post('/api/reports/phone', { data: phone(n) })).json()).report.incidentId);

    // Five reports: the newest two in full, the rest collected.
    await expect(toast(cityLeader, 'received', `玉泉区山洪5 ${tag}`)).toBeVisible();
    await expect(cityLeader.getByTestId('report-toast')).toHaveCount(2);
    await expect(cityLeader.getByTestId('alert-more')).toHaveText(/另有 \d+ 条提醒/);
    await cityLeader.getByTestId('alert-more').click();
    await expect(toast(cityLeader, 'received', tag)).toHaveCount(5);
    await cityLeader.getByTestId('alert-more').click();

    // With the alerts showing, the leader gives an instruction on one of them: a real click on 下达批示.
    await cityLeader.goto(`/reports/incidents/${ids[0]}`);
    await expect(cityLeader.getByTestId('report-toast').first()).toBeVisible();
    await cityLeader.getByTestId('instruction-text').fill('全力抢通道路，及时反馈');
    await cityLeader.getByTestId('instruction-unit').last().check();
    await cityLeader.getByTestId('instruction-submit').click({ timeout: 10_000 });
    await expect(cityLeader.getByTestId('instruction')).toContainText('全力抢通道路，及时反馈');

    // The county answers: the instructing leader is told, and that news closes by itself.
    const ins = ((await (await countyDuty.request.get('/api/reports/instructions')).json()).instructions as { id: string; text: string }[]).find((i) => i.text === '全力抢通道路，及时反馈')!;
    await countyDuty.request.post(`/api/reports/instructions/${ins.id}/feedback`, { data: { text: '已抢通一条便道', done: false } });
    const news = toast(cityLeader, 'feedback', '已抢通一条便道');
    await expect(news).toBeVisible();
    await expect(news).toContainText('玉泉区');
    await cityLeader.clock.fastForward(16_000);
    await expect(news).toHaveCount(0);
    // The received reports still wait for 签收: they do not close by themselves.
    await expect(toast(cityLeader, 'received', tag).first()).toBeVisible();

    // Dismissed, an alert does not come back on reload; the ones not dismissed do.
    const first = toast(cityLeader, 'received', tag).first();
    const key = await first.getAttribute('data-key');
    await first.getByTestId('toast-dismiss').click();
    await expect(cityLeader.locator(`[data-key="${key}"]`)).toHaveCount(0);
    await cityLeader.reload();
    await expect(toast(cityLeader, 'received', tag).first()).toBeVisible();
    await cityLeader.getByTestId('alert-more').click();
    await expect(toast(cityLeader, 'received', tag)).toHaveCount(4);
    await expect(cityLeader.locator(`[data-key="${key}"]`)).toHaveCount(0);
  } finally {
    await unpinClock(countyDuty.request);
  }
});

test('a new swap request alerts the unit’s leaders live, and clears on every leader console once approved', async ({ browser }) => {
  const T = '2027-03-01T09:00:00+08:00';
  const leader = await loginAs(browser, '150105-leader', { at: T });
  await pinClock(leader.request, T);
  try {
    const leader2 = await loginAs(browser, '150105-leader', { at: T });
    const duty = await loginAs(browser, '150105-duty', { at: T });
    const people = (await (await leader.request.get('/api/duty/people?unit=150105')).json()).people as { id: number; username: string }[];
    const id = (u: string) => people.find((p) => p.username === u)!.id;
    const slotStart = new Date('2027-03-02T08:30:00+08:00').toISOString();
    const put = await leader.request.post('/api/duty/roster/slot', { data: { start: slotStart, officers: [{ userId: id('150105-duty') }], leader: { userId: id('150105-leader') } } });
    expect(put.ok()).toBe(true);
    const asked = await duty.request.post('/api/duty/swaps', {
      data: { requestId: crypto.randomUUID(), kind: 'replace', role: 'officer', slotStart, from: { userId: id('150105-duty') }, to: { userId: id('150105-duty2') }, reason: '家中有事' },
    });
    expect(asked.status()).toBe(201);
    const swapId = (await asked.json()).swap.id;
    for (const page of [leader, leader2]) await expect(toast(page, 'swap', '赛罕区值班员')).toContainText('替班');
    await expect(duty.locator('[data-testid=report-toast][data-kind=swap]')).toHaveCount(0); // the one who asked is not alerted
    await toast(leader, 'swap', '赛罕区值班员').getByTestId('toast-view').click();
    await expect(leader).toHaveURL(/\/duty\/swaps/);
    expect((await leader.request.post(`/api/duty/swaps/${swapId}/approve`, { data: {} })).ok()).toBe(true);
    await expect(leader2.locator('[data-testid=report-toast][data-kind=swap]')).toHaveCount(0);
  } finally {
    await unpinClock(leader.request);
  }
});
