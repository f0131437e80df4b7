/**
 * What a new user tripped over (issue 9), the server's part, each at a pinned instant: the city leader's
 * comment and assessment on 签发上报 are kept; follow-ups inherit the category; meetings refuse a start in the
 * past; attendance names the absent units; the instructing office hears of feedback; handover follows the roster.
 */
process.env.TEST_CLOCK = '1';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clock } from '../../server/clock.ts';
import { Client, suiteClients, nextEvent, request, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const [db] = testDatabases();
/** Sets the server clock to an absolute instant. */
const pinClock = (iso: string) => clock.advance(Date.parse(iso) - clock.now().getTime());
/** 29 February 2028, 10:00 Beijing time: the demo roster is seeded around it. */
const LEAP_DAY = '2028-02-29T10:00:00+08:00';

describe(`new-user fixes (${db!.name})`, () => {
  let srv: TestServer;
  const { login, closeAll } = suiteClients(() => srv.baseUrl);
  const ago = (m: number) => new Date(clock.now().getTime() - m * 60_000).toISOString();
  const report = (over: Record<string, unknown> = {}) => ({
    requestId: randomUUID(),
    title: `某矿透水 ${randomUUID().slice(0, 6)}`,
    eventTime: ago(30),
    place: '新城区',
    category: 'accident',
    grade: 2,
    summary: '井下3人被困，正在救援',
    action: 'sign',
    ...over,
  });

  beforeAll(async () => {
    pinClock(LEAP_DAY);
    srv = await startTestServer(await db!.open());
  });
  afterAll(async () => {
    closeAll();
    await srv?.close();
    clock.reset();
  });

  it('keeps the city leader’s comment and assessment on 签发上报: on the hop, for the region, on the timeline; a fact once relayed', async () => {
    pinClock('2026-12-31T23:30:00+08:00');
    const countyLeader = await login('150102-leader');
    const cityDuty = await login('150100-duty');
    const cityLeader = await login('150100-leader');
    const region = await login('150000-duty');

    // Signed straight from 签收 by the leader, with the assessment typed beside the comment.
    const a = (await countyLeader.post('/api/reports', report())).body.report;
    expect((await cityDuty.post(`/api/reports/${a.id}/acknowledge`, {})).status).toBe(200);
    const signed = await cityLeader.post(`/api/reports/${a.id}/relay-sign`, { text: '市级研判：影响可控', comment: '同意上报，请自治区关注' });
    expect(signed.status).toBe(200);
    expect(signed.body.report.hops.find((h: any) => h.unitCode === '150100')).toMatchObject({
      state: 'relayed',
      assessment: '市级研判：影响可控',
      relaySignComment: '同意上报，请自治区关注',
      relaySignedByName: '呼和浩特市带班领导',
    });
    const atRegion = (await region.get(`/api/reports/${a.id}`)).body.report;
    expect(atRegion.hops.find((h: any) => h.unitCode === '150100').relaySignComment).toBe('同意上报，请自治区关注');
    const timeline = (await region.get(`/api/reports/incidents/${a.incidentId}`)).body.timeline;
    expect(timeline.find((e: any) => e.action === 'relayed' && e.unitCode === '150100').detail).toEqual({ text: '市级研判：影响可控', comment: '同意上报，请自治区关注' });

    // Relayed by the duty officer for sign-off: the leader's comment is kept, the officer's assessment too.
    const b = (await countyLeader.post('/api/reports', report())).body.report;
    await cityDuty.post(`/api/reports/${b.id}/acknowledge`, {});
    await cityDuty.post(`/api/reports/${b.id}/relay`, { text: '值班员研判：需关注' });
    const hopB = (await cityLeader.post(`/api/reports/${b.id}/relay-sign`, { comment: '同意' })).body.report.hops.find((h: any) => h.unitCode === '150100');
    expect(hopB).toMatchObject({ state: 'relayed', assessment: '值班员研判：需关注', relaySignComment: '同意' });
    await expect(sql`update report_hops set relay_sign_comment = 'rewritten' where id = ${hopB.id}`.execute(srv.app.ctx.db)).rejects.toThrow(/immutable/);
  });

  it('gives an incident opened by a phone report the category of its signed 首报', async () => {
    pinClock('2027-01-01T00:05:00+08:00');
    const duty = await login('150103-duty');
    const leader = await login('150103-leader');
    const phone = await duty.post('/api/reports/phone', { ...report(), caller: '回民区值班员', callee: '呼和浩特市值班室', category: undefined, action: undefined });
    expect(phone.status).toBe(201);
    const incidentId = phone.body.report.incidentId;
    expect((await duty.get(`/api/reports/incidents/${incidentId}`)).body.incident.category).toBe('');
    expect((await leader.post('/api/reports', report({ incidentId, category: 'accident' }))).status).toBe(201);
    expect((await duty.get(`/api/reports/incidents/${incidentId}`)).body.incident.category).toBe('accident');
  });

  it('refuses a meeting that starts in the past (a few minutes count as now); lists the invited units that never joined', async () => {
    pinClock('2027-01-01T00:02:00+08:00');
    const city = await login('150100-leader');
    const scope = { kind: 'cityWithCounties', cityCode: '150100' };
    const past = await city.post('/api/meetings', { title: '防汛会商', startsAt: '2020-01-01T09:00:00+08:00', scope });
    expect(past.status).toBe(400);
    expect(past.body.error).toMatchObject({ code: 'MEETING_START_PAST', message: '会议开始时间已过，请选择当前或以后的时间' });
    expect((await city.post('/api/meetings', { title: '防汛会商', startsAt: '2026-12-31T23:56:00+08:00', scope })).body.error.code).toBe('MEETING_START_PAST');
    expect((await city.post('/api/meetings', { title: '防汛会商', startsAt: '2026-12-31T23:58:00+08:00', scope })).status).toBe(201);
    const now = await city.post('/api/meetings', { title: '防汛会商', scope });
    expect(now.status).toBe(201);
    expect(Math.abs(Date.parse(now.body.meeting.startsAt) - Date.parse('2027-01-01T00:02:00+08:00'))).toBeLessThan(10_000);

    const meeting = now.body.meeting;
    const venue = await login('150102-venue');
    await request(await venue.socket(), 'meeting:join', { meetingId: meeting.id });
    const att = (await city.get(`/api/meetings/${meeting.id}/attendance`)).body;
    expect(att.attendance.map((a: any) => a.unitCode)).toEqual(['150102']);
    const invited = meeting.units.map((u: any) => u.code);
    expect(att.absent.map((u: any) => u.unitCode).sort()).toEqual(invited.filter((c: string) => c !== '150102').sort());
    expect(att.absent.find((u: any) => u.unitCode === '150103').unitName).toBe('回民区');
  });

  it('tells the instructing office who gave feedback and what (no text for classified incidents)', async () => {
    pinClock('2027-02-28T23:59:00+08:00');
    const countyLeader = await login('150104-leader');
    const countyDuty = await login('150104-duty');
    const cityLeader = await login('150100-leader');
    const issuerSocket = await cityLeader.socket();
    for (const classification of [0, 2]) {
      const r = (await countyLeader.post('/api/reports', report({ classification }))).body.report;
      const ins = (await cityLeader.post('/api/reports/instructions', { incidentId: r.incidentId, text: '全力救援，及时反馈', unitCodes: ['150104'] })).body.instruction;
      const told = nextEvent(issuerSocket, 'instruction:feedback', (p: any) => p.id === ins.id);
      expect((await countyDuty.post(`/api/reports/instructions/${ins.id}/feedback`, { text: '已救出2人', done: false })).status).toBe(200);
      const p = await told;
      expect(p).toMatchObject({ issuer: '150100', unitCode: '150104', unitName: '玉泉区', authorName: '玉泉区值班员', done: false });
      if (classification === 0) expect(p.text).toBe('已救出2人');
      else expect(p.text).toBeUndefined();
    }
  });

  describe('handover follows the roster', () => {
    const people = async (c: Client) => (await c.get('/api/duty/people?unit=150102')).body.people as { id: number; username: string }[];

    it('the demo roster keeps the README flow: 150102-duty closes, 150102-duty2 (next shift) takes over, no one else', async () => {
      pinClock(LEAP_DAY);
      const duty = await login('150102-duty');
      const duty2 = await login('150102-duty2');
      const leader = await login('150102-leader');
      const state = (await duty.get('/api/duty/handover')).body;
      const shift = state.closable.find((c: any) => c.start === new Date('2028-02-29T08:30:00+08:00').toISOString());
      expect(shift.officers).toEqual(['新城区值班员']);
      const wrong = await duty2.post('/api/duty/handovers', { requestId: randomUUID(), slotStart: shift.start, summary: '替别人交班' });
      expect(wrong.status).toBe(403);
      expect(wrong.body.error).toMatchObject({ code: 'HANDOVER_NOT_ROSTERED', message: '该班次的值班员是新城区值班员，只有本班值班员可以交班' });
      const closed = await duty.post('/api/duty/handovers', { requestId: randomUUID(), slotStart: shift.start, summary: '本班平稳' });
      expect(closed.status).toBe(201);
      const h = closed.body.handover;
      const notNext = await leader.post(`/api/duty/handovers/${h.id}/accept`, {});
      expect(notNext.status).toBe(403);
      expect(notNext.body.error).toMatchObject({ code: 'HANDOVER_NOT_NEXT_ON_DUTY', message: '下一班的值班员是新城区值班员乙，只有下一班值班员可以接班' });
      expect((await leader.post(`/api/duty/handovers/${h.id}/ack`, { all: true })).body.error.code).toBe('HANDOVER_NOT_NEXT_ON_DUTY');
      expect((await duty2.post(`/api/duty/handovers/${h.id}/ack`, { all: true })).status).toBe(200);
      expect((await duty2.post(`/api/duty/handovers/${h.id}/accept`, {})).body.handover.incomingName).toBe('新城区值班员乙');
    });

    it('a shift rostered to duty2 cannot be closed by duty, and duty2 cannot "take over" its own shift', async () => {
      pinClock('2028-03-02T09:00:00+08:00'); // the shift of 3 March is rostered by the leader below
      const duty = await login('150102-duty');
      const duty2 = await login('150102-duty2');
      const leader = await login('150102-leader');
      const ids = await people(leader);
      const id = (u: string) => ids.find((p) => p.username === u)!.id;
      const today = new Date('2028-03-02T08:30:00+08:00').toISOString();
      const tomorrow = new Date('2028-03-03T08:30:00+08:00').toISOString();
      for (const [start, who] of [[today, '150102-duty2'], [tomorrow, '150102-duty']] as const) {
        const put = await leader.post('/api/duty/roster/slot', { start, officers: [{ userId: id(who) }], leader: { userId: id('150102-leader') } });
        expect(put.status).toBe(200);
      }
      expect((await duty.post('/api/duty/handovers', { requestId: randomUUID(), slotStart: today, summary: 'x' })).body.error.code).toBe('HANDOVER_NOT_ROSTERED');
      const h = (await duty2.post('/api/duty/handovers', { requestId: randomUUID(), slotStart: today, summary: '本班接电话3个' })).body.handover;
      expect((await duty2.post(`/api/duty/handovers/${h.id}/accept`, {})).body.error.code).toBe('HANDOVER_SELF');
      expect((await duty.post(`/api/duty/handovers/${h.id}/ack`, { all: true })).status).toBe(200);
      expect((await duty.post(`/api/duty/handovers/${h.id}/accept`, {})).body.handover.incomingName).toBe('新城区值班员');
    });
  });
});
