/**
 * The urgent-report workflow end to end against the real server: phone report, written report with sign-off,
 * level-by-level relay with acknowledgements, follow-ups and the final report, deadlines on a test clock,
 * classification, instructions, missed reports, the board, and what the duty handover carries over.
 */
process.env.TEST_CLOCK = '1';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteClients, nextEvent, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { openReportItems } from '../../server/reports/openItems.ts';
import { clock } from '../../server/clock.ts';

// Not today's date: the last day of February, just after the 08:30 shift change in Beijing.
clock.set('2027-02-28T08:31:00+08:00');

const [db] = testDatabases();

describe(`urgent-report workflow (${db!.name})`, () => {
  let srv: TestServer;
  const { login, closeAll } = suiteClients(() => srv.baseUrl);
  const minutesAgo = (m: number) => new Date(clock.now().getTime() - m * 60_000).toISOString();
  const written = (over: Record<string, unknown> = {}) => ({
    requestId: randomUUID(),
    title: `某村山洪 ${randomUUID().slice(0, 6)}`,
    eventTime: minutesAgo(20),
    place: '新城区保合少镇',
    address: '保合少镇某村',
    category: 'natural_disaster',
    grade: 2,
    summary: '受困群众12人，已组织转移',
    casualties: '无人员死亡，2人轻伤',
    losses: '房屋倒塌3间',
    cause: '强降雨',
    measures: '转移群众',
    nextSteps: '持续监测',
    action: 'draft',
    ...over,
  });

  beforeAll(async () => {
    srv = await startTestServer(await db!.open());
  });
  afterAll(async () => {
    closeAll();
    await srv?.close();
    clock.reset();
  });

  it('runs one incident from the phone call to the final report, level by level, with every step on the timeline', async () => {
    const countyDuty = await login('150102-duty');
    const countyLeader = await login('150102-leader');
    const cityDuty = await login('150100-duty');
    const cityLeader = await login('150100-leader');
    const regionDuty = await login('150000-duty');
    const sibling = await login('150103-duty');
    const [sCity, sRegion] = await Promise.all([cityDuty.socket(), regionDuty.socket()]);
    const regionReceived: any[] = [];
    sRegion.on('report:received', (p) => regionReceived.push(p));

    // 电话报: recorded in seconds, reaches the city at once.
    const phoneBody = { requestId: randomUUID(), title: '保合少镇山洪', eventTime: minutesAgo(20), place: '保合少镇', grade: 2, summary: '电话报告：山洪，有群众受困', caller: '县值班员王某', callee: '市值班室李某' };
    const cityGotPhone = nextEvent(sCity, 'report:received', (p: any) => p.report.title === '保合少镇山洪');
    const phone = await countyDuty.post('/api/reports/phone', phoneBody);
    expect(phone.status).toBe(201);
    expect(phone.body.report).toMatchObject({ kind: 'phone', state: 'sent', caller: '县值班员王某', callee: '市值班室李某' });
    expect((await cityGotPhone).unitCode).toBe('150100');
    expect((await countyDuty.post('/api/reports/phone', phoneBody)).body.report.id).toBe(phone.body.report.id); // idempotent
    const incidentId = phone.body.report.incidentId;

    // 首报 drafted and submitted for sign-off: invisible above the county until signed.
    const draft = await countyDuty.post('/api/reports', written({ incidentId, title: '保合少镇山洪（首报）' }));
    expect(draft.status).toBe(201);
    const id = draft.body.report.id;
    expect(draft.body.report.state).toBe('draft');
    expect((await countyDuty.post(`/api/reports/${id}/submit`, {})).body.report.state).toBe('pending_signoff');
    expect((await cityDuty.get(`/api/reports/${id}`)).status).toBe(404);
    expect((await sibling.get(`/api/reports/${id}`)).status).toBe(404);
    expect((await cityDuty.get('/api/reports')).body.reports.map((r: any) => r.id)).not.toContain(id);
    expect((await countyDuty.post(`/api/reports/${id}/sign`, {})).body.error.code).toBe('ROLE_FORBIDDEN');

    // The leader returns it with comments; the duty officer corrects it (old value kept) and resubmits.
    expect((await countyLeader.post(`/api/reports/${id}/return`, {})).body.error.code).toBe('VALIDATION');
    expect((await countyLeader.post(`/api/reports/${id}/return`, { comment: '伤亡情况再核实' })).body.report).toMatchObject({ state: 'returned', signComment: '伤亡情况再核实' });
    expect((await countyDuty.post(`/api/reports/${id}/edit`, { casualties: '无人员伤亡' })).body.report.casualties).toBe('无人员伤亡');
    await countyDuty.post(`/api/reports/${id}/submit`, {});

    const cityGot = nextEvent(sCity, 'report:received', (p: any) => p.report.id === id);
    const signed = await countyLeader.post(`/api/reports/${id}/sign`, { comment: '同意上报' });
    expect(signed.body.report).toMatchObject({ state: 'sent', signedByName: expect.any(String) });
    expect((await countyLeader.post(`/api/reports/${id}/sign`, {})).status).toBe(200); // a double click changes nothing
    expect((await cityGot).report.hops[0]).toMatchObject({ unitCode: '150100', state: 'received' });
    // Sent means fixed: no edits, not even by the database owner.
    expect((await countyDuty.post(`/api/reports/${id}/edit`, { casualties: '改' })).body.error.code).toBe('REPORT_STATE');
    await expect(sql`update urgent_reports set summary = 'x' where id = ${id}`.execute(srv.app.ctx.db)).rejects.toThrow(/immutable/);

    // Grade II is not copied to the region: it must come through the city.
    await new Promise((r) => setTimeout(r, 200));
    expect(regionReceived.filter((p) => p.report.id === id)).toEqual([]);
    expect((await regionDuty.post(`/api/reports/${id}/acknowledge`, {})).body.error.code).toBe('SCOPE_FORBIDDEN');

    // The city: 签收, 研判, submit the relay, its leader signs → the region receives it.
    expect((await cityDuty.post(`/api/reports/${id}/relay`, {})).body.error.code).toBe('REPORT_STATE');
    expect((await cityDuty.post(`/api/reports/${id}/acknowledge`, {})).body.report.hops[0].state).toBe('acknowledged');
    await cityDuty.post(`/api/reports/${id}/assess`, { text: '市级研判：需省级关注' });
    expect((await cityDuty.post(`/api/reports/${id}/relay`, {})).body.report.hops[0].state).toBe('relay_pending');
    const regionGot = nextEvent(sRegion, 'report:received', (p: any) => p.report.id === id);
    const relayed = await cityLeader.post(`/api/reports/${id}/relay-sign`, {});
    expect(relayed.body.report.hops.map((h: any) => [h.unitCode, h.state])).toEqual([['150100', 'relayed'], ['150000', 'received']]);
    expect((await regionGot).report.hops[0].assessment).toBe('市级研判：需省级关注');
    expect((await regionDuty.post(`/api/reports/${id}/acknowledge`, {})).status).toBe(200);
    expect((await regionDuty.post(`/api/reports/${id}/relay`, {})).body.error.code).toBe('REPORT_STATE'); // the top does not relay

    // 续报一 and 终报 (signed directly by the leader) close the incident.
    const f1 = await countyLeader.post('/api/reports', written({ incidentId, kind: 'followup', action: 'sign', title: '续报' }));
    expect(f1.body.report).toMatchObject({ kind: 'followup', seq: 1, state: 'sent' });
    const fin = await countyLeader.post('/api/reports', written({ incidentId, kind: 'final', action: 'sign', title: '终报' }));
    expect(fin.body.report).toMatchObject({ kind: 'final', state: 'sent' });
    const detail = (await regionDuty.get(`/api/reports/incidents/${incidentId}`)).body;
    expect(detail.incident.status).toBe('closed');
    expect((await countyLeader.post('/api/reports', written({ incidentId, kind: 'followup', action: 'sign' }))).body.error.code).toBe('REPORT_STATE');

    const actions = detail.timeline.map((e: any) => `${e.unitCode}:${e.action}`);
    for (const step of [
      '150102:incident_opened', '150102:phone_recorded', '150100:received', '150102:submitted', '150102:returned', '150102:edited',
      '150102:signed', '150100:acknowledged', '150100:assessed', '150100:relay_submitted', '150100:relayed', '150000:received',
      '150000:acknowledged', '150102:incident_closed',
    ]) expect(actions).toContain(step);
    expect(actions.indexOf('150102:signed')).toBeLessThan(actions.indexOf('150100:acknowledged'));
    expect(detail.timeline.find((e: any) => e.action === 'edited').detail.before.casualties).toBe('无人员死亡，2人轻伤');
    // The written deadlines were met on time by the county and the city.
    expect(detail.incident.deadlines.map((d: any) => `${d.unitCode}:${d.kind}:${d.status}`)).toEqual([
      '150102:phone:met_on_time', '150102:written:met_on_time', '150100:phone:met_on_time', '150100:written:met_on_time',
    ]);
    // The timeline is append-only.
    await expect(sql`update report_events set action = 'x' where incident_id = ${incidentId}`.execute(srv.app.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from report_events where incident_id = ${incidentId}`.execute(srv.app.ctx.db)).rejects.toThrow(/append-only/);
  });

  it('copies the gravest grade straight to the region (configurable), still expecting the city relay', async () => {
    const countyLeader = await login('150104-leader');
    const regionDuty = await login('150000-duty');
    const sRegion = await regionDuty.socket();
    const got = nextEvent(sRegion, 'report:received', (p: any) => p.report.unitCode === '150104');
    const r = await countyLeader.post('/api/reports', written({ grade: 1, action: 'sign', title: '特别重大事件' }));
    expect(r.status).toBe(201);
    const p = await got;
    expect(p.report.hops.find((h) => h.unitCode === '150000')?.isCopy).toBe(true);
  });

  it('marks a missed deadline as 迟报 once, live to the unit and the office above, and keeps it forever', async () => {
    const countyDuty = await login('150105-duty');
    const countyLeader = await login('150105-leader');
    const cityDuty = await login('150100-duty');
    const [sCounty, sCity] = await Promise.all([countyDuty.socket(), cityDuty.socket()]);
    const r = await countyDuty.post('/api/reports', written({ grade: 3, eventTime: minutesAgo(100), action: 'submit', title: '迟报测试' }));
    const incidentId = r.body.report.incidentId;
    let inc = (await countyDuty.get(`/api/reports/incidents/${incidentId}`)).body.incident;
    expect(inc.deadlines[0]).toMatchObject({ unitCode: '150105', kind: 'written', status: 'pending', lateRecordedAt: null });

    const warned = nextEvent(sCounty, 'deadline:warning', (p: any) => p.incidentId === incidentId);
    expect((await countyDuty.post('/api/test/clock', { advanceMs: 10 * 60_000 })).status).toBe(200);
    await warned;
    const missedCounty = nextEvent(sCounty, 'deadline:missed', (p: any) => p.incidentId === incidentId);
    const missedCity = nextEvent(sCity, 'deadline:missed', (p: any) => p.incidentId === incidentId);
    await countyDuty.post('/api/test/clock', { advanceMs: 15 * 60_000 });
    // What the alert shows: unit, kind, grade and due time; the title only for the county's own office.
    expect(await missedCounty).toMatchObject({ unitCode: '150105', unitName: '赛罕区', kind: 'written', grade: 3, title: '迟报测试', dueAt: expect.any(String) });
    const toCity = await missedCity; // escalated to the city
    expect(toCity).toMatchObject({ unitCode: '150105', unitName: '赛罕区', kind: 'written', grade: 3, dueAt: expect.any(String) });
    expect(toCity).not.toHaveProperty('title'); // the city never learns what the unsent report says

    await countyDuty.post('/api/test/clock', { advanceMs: 60_000 });
    const misses = await srv.app.ctx.db.selectFrom('deadline_misses').selectAll().where('incident_id', '=', incidentId).execute();
    expect(misses).toHaveLength(1);
    inc = (await cityDuty.get(`/api/reports/incidents/${incidentId}`)).body.incident;
    expect(inc).toBeUndefined(); // not yet sent: the city does not see the county's draft incident
    inc = (await countyDuty.get(`/api/reports/incidents/${incidentId}`)).body.incident;
    expect(inc.deadlines[0].status).toBe('overdue');
    expect(inc.deadlines[0].lateRecordedAt).toBe(misses[0]!.recorded_at.toISOString());

    await countyLeader.post(`/api/reports/${r.body.report.id}/sign`, {});
    inc = (await cityDuty.get(`/api/reports/incidents/${incidentId}`)).body.incident;
    expect(inc.deadlines[0]).toMatchObject({ status: 'met_late', lateRecordedAt: misses[0]!.recorded_at.toISOString() });
    await expect(sql`update deadline_misses set recorded_at = now() where incident_id = ${incidentId}`.execute(srv.app.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from deadline_misses where incident_id = ${incidentId}`.execute(srv.app.ctx.db)).rejects.toThrow(/append-only/);
  });

  it('shows classified reports only to cleared roles, in lists, reads, pushes and attachments', async () => {
    const countyDuty = await login('150202-duty');
    const countyLeader = await login('150202-leader');
    const cityDuty = await login('150200-duty');
    const cityLeader = await login('150200-leader');
    const [sDuty, sLeader] = await Promise.all([cityDuty.socket(), cityLeader.socket()]);
    const r = await countyDuty.post('/api/reports', written({ classification: 2, title: '涉密事件标题', summary: '涉密内容', action: 'submit' }));
    const id = r.body.report.id;
    expect(r.body.report.redacted).toBe(false); // the drafter reads what they wrote

    const up = await fetch(`${srv.baseUrl}/api/reports/${id}/attachments?filename=${encodeURIComponent('现场.png')}`, {
      method: 'POST',
      headers: { cookie: countyDuty.cookie, 'content-type': 'image/png', 'x-requested-with': 'XMLHttpRequest' },
      body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
    });
    expect(up.status).toBe(201);
    const att = (await up.json()).report.attachments[0];
    expect(att).toMatchObject({ filename: '现场.png', mime: 'image/png', size: 7 });
    const bad = await fetch(`${srv.baseUrl}/api/reports/${id}/attachments?filename=x.exe`, {
      method: 'POST',
      headers: { cookie: countyDuty.cookie, 'content-type': 'application/x-msdownload', 'x-requested-with': 'XMLHttpRequest' },
      body: Buffer.from([1]),
    });
    expect(bad.status).toBe(415);

    const dutyGot = nextEvent(sDuty, 'report:received', (p: any) => p.report.id === id);
    const leaderGot = nextEvent(sLeader, 'report:received', (p: any) => p.report.id === id);
    await countyLeader.post(`/api/reports/${id}/sign`, {});
    const [d, l] = await Promise.all([dutyGot, leaderGot]);
    expect(d.report).toMatchObject({ redacted: true, title: '【涉密信息】', summary: '', attachments: [] });
    expect(l.report).toMatchObject({ redacted: false, title: '涉密事件标题', summary: '涉密内容' });
    expect(JSON.stringify(d)).not.toContain('涉密内容');

    expect((await cityDuty.get(`/api/reports/${id}`)).body.report.summary).toBe('');
    expect((await cityDuty.get('/api/reports')).body.reports.find((x: any) => x.id === id).title).toBe('【涉密信息】');
    const incidents = (await cityDuty.get('/api/reports/incidents')).body.incidents;
    expect(incidents.find((x: any) => x.id === r.body.report.incidentId).title).toBe('【涉密信息】');
    expect((await cityDuty.get(`/api/reports/attachments/${att.id}`)).status).toBe(403);
    const detail = (await cityDuty.get(`/api/reports/incidents/${r.body.report.incidentId}`)).body;
    expect(JSON.stringify(detail)).not.toContain('涉密事件标题');
    expect(JSON.stringify((await cityLeader.get(`/api/reports/incidents/${r.body.report.incidentId}`)).body)).toContain('涉密事件标题');
    const file = await fetch(`${srv.baseUrl}/api/reports/attachments/${att.id}`, { headers: { cookie: cityLeader.cookie } });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    // A duty officer may still acknowledge (receipt is a fact) but not assess or relay what they cannot read.
    expect((await cityDuty.post(`/api/reports/${id}/acknowledge`, {})).status).toBe(200);
    expect((await cityDuty.post(`/api/reports/${id}/relay`, {})).body.error.code).toBe('REPORT_CLASSIFIED');
  });

  it('records a missed report (漏报) when the level above learns first, and demands the report', async () => {
    const cityDuty = await login('150100-duty');
    const countyDuty = await login('150103-duty');
    const sCounty = await countyDuty.socket();
    const demanded = nextEvent(sCounty, 'incident:demanded');
    const res = await cityDuty.post('/api/reports/incidents/demand', { unitCode: '150103', title: '网传回民区火灾', eventTime: minutesAgo(30), place: '回民区', grade: 3, note: '请立即核实上报' });
    expect(res.status).toBe(201);
    expect((await demanded).byUnit).toBe('150100');
    const list = (await countyDuty.get('/api/reports/incidents')).body.incidents;
    expect(list.find((i: any) => i.id === res.body.incident.id)).toMatchObject({ demandedByUnit: '150100', demandNote: '请立即核实上报' });
    expect((await cityDuty.post('/api/reports/incidents/demand', { unitCode: '150202', title: 'x', eventTime: minutesAgo(1), place: 'x', grade: 4 })).body.error.code).toBe('SCOPE_FORBIDDEN');
    const board = (await cityDuty.get('/api/reports/board')).body;
    expect(board.timeliness.find((t: any) => t.unitCode === '150103').demanded).toBeGreaterThanOrEqual(1);
  });

  it('sends a leader\'s instruction down as a task, takes feedback, and supervises what is overdue', async () => {
    const regionLeader = await login('150000-leader');
    const cityDuty = await login('150100-duty');
    const countyDuty = await login('150102-duty');
    const inc = (await regionLeader.get('/api/reports/incidents')).body.incidents.find((i: any) => i.unitCode === '150102');
    const sCounty = await countyDuty.socket();
    const got = nextEvent(sCounty, 'instruction:new');
    expect((await cityDuty.post('/api/reports/instructions', { incidentId: inc.id, text: 'x', unitCodes: ['150102'] })).body.error.code).toBe('ROLE_FORBIDDEN');
    const res = await regionLeader.post('/api/reports/instructions', {
      incidentId: inc.id, text: '全力搜救，做好群众安置', unitCodes: ['150100', '150102'], dueAt: new Date(clock.now().getTime() + 3600_000).toISOString(),
    });
    expect(res.status).toBe(201);
    await got;
    const ins = res.body.instruction;
    expect((await countyDuty.get('/api/reports/instructions')).body.instructions.map((i: any) => i.id)).toContain(ins.id);
    const fb = await countyDuty.post(`/api/reports/instructions/${ins.id}/feedback`, { text: '已安置群众12人', done: true });
    expect(fb.body.instruction.targets.find((t: any) => t.unitCode === '150102').doneAt).not.toBeNull();
    expect((await countyDuty.post(`/api/reports/instructions/${ins.id}/feedback`, { text: '再报', done: true })).body.error.code).toBe('REPORT_STATE');
    await regionLeader.post('/api/test/clock', { advanceMs: 2 * 3600_000 });
    const issued = (await regionLeader.get('/api/reports/instructions?box=issued')).body.instructions.find((i: any) => i.id === ins.id);
    expect(issued.targets.map((t: any) => [t.unitCode, t.overdue])).toEqual([['150100', true], ['150102', false]]);
    expect(issued.feedback[0]).toMatchObject({ unitCode: '150102', text: '已安置群众12人', done: true });
    const board = (await regionLeader.get('/api/reports/board')).body;
    expect(board.pendingInstructions.map((i: any) => i.id)).toContain(ins.id);
    expect(board.openByGrade).toBeDefined();
    const xlsx = await fetch(`${srv.baseUrl}/api/reports/board.xlsx`, { headers: { cookie: regionLeader.cookie } });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });

  it('tells the duty handover what is open: sign-offs, relays, follow-ups, instructions', async () => {
    const countyDuty = await login('150121-duty');
    const draft = await countyDuty.post('/api/reports', written({ action: 'submit', title: '交接班测试' }));
    const { db: kdb, tree } = srv.app.ctx;
    const county = await openReportItems(kdb, tree, '150121');
    expect(county).toContainEqual(expect.objectContaining({ kind: 'report_signoff', id: draft.body.report.id, dueAt: expect.any(String) }));
    const city = await openReportItems(kdb, tree, '150100');
    expect(city.some((i) => i.kind === 'instruction_feedback')).toBe(true);
  });

  it('keeps deadline rules as data that only an administrator changes', async () => {
    const admin = await login('sysadmin');
    const leader = await login('150000-leader');
    const { rules, settings } = (await leader.get('/api/reports/rules')).body;
    expect(rules).toContainEqual({ grade: 1, level: 3, kind: 'phone', minutes: 30 });
    expect(settings).toEqual({ followupTimes: ['08:00', '17:00'], directCopyMaxGrade: 1, warnMinutes: 15 });
    expect((await leader.post('/api/reports/rules', { rules, ...settings })).body.error.code).toBe('ROLE_FORBIDDEN');
    const changed = rules.map((r: any) => (r.level === 3 && r.kind === 'written' && r.grade === 4 ? { ...r, minutes: 180 } : r));
    const res = await admin.post('/api/reports/rules', { rules: changed, ...settings, followupTimes: ['09:00'] });
    expect(res.body.rules).toContainEqual({ grade: 4, level: 3, kind: 'written', minutes: 180 });
    expect(res.body.settings.followupTimes).toEqual(['09:00']);
    const county = await login('150122-duty');
    const r = await county.post('/api/reports', written({ grade: 4, action: 'submit' }));
    const inc = (await county.get(`/api/reports/incidents/${r.body.report.incidentId}`)).body.incident;
    const d = inc.deadlines.find((x: any) => x.unitCode === '150122');
    expect(Date.parse(d.dueAt) - Date.parse(inc.eventTime)).toBe(180 * 60_000);
    await admin.post('/api/reports/rules', { rules, ...settings });
  });

  it('takes no more reports after the 终报, not even a draft left over', async () => {
    const leader = await login('150123-leader');
    const first = await leader.post('/api/reports', written({ action: 'sign' }));
    const incidentId = first.body.report.incidentId;
    const leftover = await leader.post('/api/reports', written({ incidentId, kind: 'followup', action: 'draft' }));
    await leader.post('/api/reports', written({ incidentId, kind: 'final', action: 'sign' }));
    expect((await leader.post(`/api/reports/${leftover.body.report.id}/sign`, {})).body.error.code).toBe('REPORT_STATE');
  });

  it('reminds the reporting unit when a 续报 is due (08:00 and 17:00), and the handover shows it', async () => {
    const leader = await login('150124-leader');
    const s = await leader.socket();
    const first = await leader.post('/api/reports', written({ action: 'sign', grade: 4 }));
    const incidentId = first.body.report.incidentId;
    const inc = (await leader.get(`/api/reports/incidents/${incidentId}`)).body.incident;
    const due = Date.parse(inc.followupDueAt);
    const local = new Date(due + 8 * 3600_000);
    expect([8, 17]).toContain(local.getUTCHours());
    expect(due).toBeGreaterThan(Date.parse(first.body.report.signedAt));
    const reminded = nextEvent(s, 'followup:due', (p: any) => p.incidentId === incidentId);
    await leader.post('/api/test/clock', { advanceMs: due - clock.now().getTime() + 1000 });
    expect((await reminded).dueAt).toBe(inc.followupDueAt);
    const items = await openReportItems(srv.app.ctx.db, srv.app.ctx.tree, '150124');
    expect(items).toContainEqual({ kind: 'report_followup', id: incidentId, title: expect.any(String), dueAt: inc.followupDueAt });
  });
});
