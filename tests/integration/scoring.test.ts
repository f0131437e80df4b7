/**
 * A month of information work at 呼和浩特市 (150100) against the real server, with the clock pinned to
 * November 2026 (UTC+8): the city's own scheme from a date on, quotas with the who-is-behind view and the
 * reminder three days before month end, a commissioned request answered late by 新城区 and missed by 回民区,
 * adoptions at two levels and an instruction, a late urgent report; the bulletin after month end with points,
 * ranks, every line explained, Word and Excel — and who may not see any of it.
 */
process.env.TEST_CLOCK = '1';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, suiteClients, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { clock } from '../../server/clock.ts';
import { DEFAULT_RULES } from '../../contract/scoring.ts';

const [db] = testDatabases();
describe(`scoring on ${db!.name}`, () => {
  let srv: TestServer;
  const { login, closeAll } = suiteClients(() => srv.baseUrl);
  const review = { containsSecrets: false, fitToPublish: true, figuresChecked: true };
  const at = (iso: string) => clock.set(iso);

  beforeAll(async () => {
    srv = await startTestServer(await db!.open());
  }, 180_000);
  afterAll(async () => {
    closeAll();
    await srv?.close();
    clock.reset();
  });

  it('scores a month and publishes its bulletin, each number traced to items and rules', async () => {
    at('2026-10-30T10:00:00+08:00');
    const [city, cityLeader, region, info2, leader2, info3, leader3, otherCity, otherCounty, duty2] = await Promise.all(
      ['150100-editor', '150100-leader', '150000-editor', '150102-info', '150102-leader', '150103-info', '150103-leader', '150200-editor', '150202-info', '150102-duty'].map(login),
    );
    const anon = new Client(srv.baseUrl);

    // The scheme: defaults until the city saves its own, from a day not past; never back-dated, one per date.
    expect((await info2.get('/api/scoring/scheme')).body.current.rules).toEqual(DEFAULT_RULES);
    const rules = { ...DEFAULT_RULES, quotas: [{ unitClass: 'any', minItems: 2, minAnalysis: 1 }] };
    expect((await city.request('PUT', '/api/scoring/scheme', { effectiveFrom: '2026-10-29', rules })).body.error.code).toBe('SCORE_SCHEME_PAST');
    expect((await info2.request('PUT', '/api/scoring/scheme', { effectiveFrom: '2026-11-01', rules })).body.error.code).toBe('ROLE_FORBIDDEN');
    expect((await city.request('PUT', '/api/scoring/scheme', { effectiveFrom: '2026-11-01', rules: { ...rules, monthlyBase: 99999 } })).body.error.code).toBe('VALIDATION');
    const saved = (await city.request('PUT', '/api/scoring/scheme', { effectiveFrom: '2026-11-01', rules })).body;
    expect([saved.current.effectiveFrom, saved.versions.at(-1).effectiveFrom]).toEqual(['1970-01-01', '2026-11-01']); // today still the default
    expect((await city.request('PUT', '/api/scoring/scheme', { effectiveFrom: '2026-11-01', rules })).body.error.code).toBe('SCORE_SCHEME_EXISTS');
    expect((await otherCounty.get('/api/scoring/scheme?office=150100')).body.error.code).toBe('SCOPE_FORBIDDEN');
    expect((await anon.get('/api/scoring/scheme')).status).toBe(401);

    at('2026-11-02T10:00:00+08:00');
    // 约稿 to two counties; another city's county is not the city's to ask.
    const req = { id: randomUUID(), topic: '冬季救助工作成效', requirements: '800字以内，附数据', deadline: '2026-11-20T18:00:00+08:00', targets: ['150102', '150103'] };
    expect((await city.post('/api/scoring/requests', { ...req, id: randomUUID(), targets: ['150202'] })).body.error.code).toBe('SCORE_TARGETS');
    expect((await info2.post('/api/scoring/requests', req)).body.error.code).toBe('ROLE_FORBIDDEN');
    expect((await city.post('/api/scoring/requests', { ...req, id: randomUUID(), deadline: '2026-11-01T18:00:00+08:00' })).body.error.code).toBe('SCORE_DEADLINE_PAST');
    expect((await city.post('/api/scoring/requests', req)).status).toBe(201);
    expect((await city.post('/api/scoring/requests', req)).status).toBe(201); // resent: still one request
    expect((await city.get('/api/scoring/requests?box=issued')).body.requests.filter((r: any) => r.id === req.id)).toHaveLength(1);
    const received = (await info3.get('/api/scoring/requests?box=received')).body.requests;
    expect(received.map((r: any) => [r.topic, r.targets.map((t: any) => t.unitCode)])).toEqual([['冬季救助工作成效', ['150103']]]);
    expect((await otherCounty.get('/api/scoring/requests?box=received')).body.requests).toEqual([]);

    // Items: 新城区 an analysis and a news item; 回民区 one news item.
    const signed = async (officer: Client, leader: Client, kind: string, title: string) => {
      const id = randomUUID();
      expect((await officer.request('PUT', `/api/information/items/${id}`, { kind, title, body: `${title}。`, classification: 0 })).status).toBe(200);
      const item = (await leader.post(`/api/information/items/${id}/signoff`, { decision: 'sign', review, classification: 0 })).body.item;
      return { id, delivery: item.deliveries.find((d: any) => d.officeCode === '150100').id as string };
    };
    const analysis = await signed(info2, leader2, 'analysis', '新城区救助资金使用情况调研');
    await signed(info2, leader2, 'dynamic', '新城区开展冬季走访');
    const news3 = await signed(info3, leader3, 'dynamic', '回民区发放取暖补贴');

    // Quota: 新城区 met (2 items, 1 analysis); the office sees 回民区 and the rest behind; nobody else sees that view.
    const own = (await info2.get('/api/scoring/quota')).body.progress;
    expect(own).toMatchObject({ month: '2026-11', officeCode: '150100', minItems: 2, minAnalysis: 1, units: [{ unitCode: '150102', items: 2, analysis: 1, met: true }] });
    const office = (await city.get('/api/scoring/quota?view=office')).body.progress;
    expect(office.units.find((u: any) => u.unitCode === '150103')).toMatchObject({ items: 1, analysis: 0, behind: true });
    expect(office.units.find((u: any) => u.unitCode === '150102')).toMatchObject({ behind: false });
    expect((await info3.get('/api/scoring/quota?view=office')).body.error.code).toBe('ROLE_FORBIDDEN');
    expect((await info3.get('/api/scoring/quota')).body.progress.units.map((u: any) => u.unitCode)).toEqual(['150103']);

    // Adoptions at two levels, an instruction.
    const pub = async (c: Client, name: string) => ((await c.get('/api/information/publications')).body.publications as any[]).find((p) => p.name === name).id;
    expect((await city.post(`/api/information/deliveries/${analysis.delivery}/adopt`, { publicationId: await pub(city, '信息专报'), title: '救助资金调研', body: '正文' })).status).toBe(200);
    expect((await city.post(`/api/information/deliveries/${analysis.delivery}/forward`, {})).status).toBe(200);
    const atRegion = ((await region.get('/api/information/inbox')).body.rows as any[]).find((r) => r.itemId === analysis.id).deliveryId;
    expect((await region.post(`/api/information/deliveries/${atRegion}/adopt`, { publicationId: await pub(region, '政务信息'), title: '救助资金调研', body: '正文' })).status).toBe(200);
    expect((await city.post(`/api/information/deliveries/${news3.delivery}/adopt`, { publicationId: await pub(city, '政务信息'), title: '回民区发放取暖补贴', body: '正文' })).status).toBe(200);
    expect((await cityLeader.post(`/api/information/items/${news3.id}/instructions`, { text: '做法很好' })).status).toBe(201);

    // An urgent report five hours after the event: the phone deadline met late, the written one missed.
    at('2026-11-10T15:00:00+08:00');
    const phone = await duty2.post('/api/reports/phone', { requestId: randomUUID(), title: '新城区供暖管道破裂', eventTime: '2026-11-10T10:00:00+08:00', place: '新城区', grade: 2, summary: '电话报告', caller: '县值班员', callee: '市值班室' });
    expect(phone.status).toBe(201);
    // Its 报送单 through the documents module, PDF and Word: the report's own fields, times in formal Chinese.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tl-report-')), 'r.pdf');
    fs.writeFileSync(file, Buffer.from(await (await fetch(`${srv.baseUrl}/api/reports/${phone.body.report.id}/pdf`, { headers: { cookie: duty2.cookie } })).arrayBuffer()));
    const sheet = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const x of ['新城区突发事件信息报送单', '电话报', '特急', '呼和浩特市：', `事件名称${phone.body.report.title}`, '发生时间2026年11月10日10时00分', '报告人县值班员', '接报人市值班室']) expect(sheet).toContain(x);
    const reportDocx = await fetch(`${srv.baseUrl}/api/reports/${phone.body.report.id}/docx`, { headers: { cookie: duty2.cookie } });
    expect((await (await JSZip.loadAsync(Buffer.from(await reportDocx.arrayBuffer()))).file('word/document.xml')!.async('string'))).toContain('2026年11月10日10时00分');
    expect((await otherCounty.get(`/api/reports/${phone.body.report.id}/pdf`)).status).toBe(404);

    // The day before the deadline both targets are reminded once; 新城区 answers late (after the deadline).
    at('2026-11-19T18:30:00+08:00');
    await srv.app.ctx.scoring.check();
    await srv.app.ctx.scoring.check();
    for (const c of [info2, info3]) expect((await c.get('/api/scoring/reminders')).body.reminders.filter((r: any) => r.kind === 'request')).toHaveLength(1);
    at('2026-11-21T09:00:00+08:00');
    const late = await signed(info2, leader2, 'dynamic', '新城区冬季救助工作成效');
    expect((await info3.post(`/api/scoring/requests/${req.id}/answers`, { itemId: late.id })).body.error.code).toBe('SCORE_ANSWER_ITEM');
    expect((await otherCounty.post(`/api/scoring/requests/${req.id}/answers`, { itemId: late.id })).status).toBe(404);
    const answered = (await info2.post(`/api/scoring/requests/${req.id}/answers`, { itemId: late.id })).body.request;
    expect(answered.targets).toMatchObject([{ unitCode: '150102', state: 'late' }]);

    // Three days before month end: 回民区 is behind and reminded (once), 新城区 is not.
    at('2026-11-27T23:59:00+08:00');
    await srv.app.ctx.scoring.check();
    expect((await info3.get('/api/scoring/reminders')).body.reminders.filter((r: any) => r.kind === 'quota')).toHaveLength(0);
    at('2026-11-28T00:00:30+08:00');
    await srv.app.ctx.scoring.check();
    await srv.app.ctx.scoring.check();
    expect((await info3.get('/api/scoring/reminders')).body.reminders.filter((r: any) => r.kind === 'quota').map((r: any) => r.text)).toEqual([expect.stringContaining('2026年11月任务量尚未完成')]);
    expect((await info2.get('/api/scoring/reminders')).body.reminders.filter((r: any) => r.kind === 'quota')).toHaveLength(0);

    // Not before the month is over.
    expect((await city.post('/api/scoring/bulletins', { period: '2026-11' })).body.error.code).toBe('SCORE_PERIOD_OPEN');
    at('2026-12-01T09:00:00+08:00');
    const draft = (await city.get('/api/scoring/bulletins/2026-11')).body.bulletin;
    expect(draft.state).toBe('draft');
    for (const c of [info2, otherCity]) expect((await c.get('/api/scoring/bulletins/2026-11?office=150100')).status).toBe(404);
    const row = (u: string) => draft.rows.find((r: any) => r.unitCode === u);
    // 新城区: base 10 + 信息专报 10×2 + region 20×2 + late 0 = 70; 回民区: 政务信息 5 + instruction 5 − missed 10 = 0.
    expect(row('150102')).toMatchObject({ points: 70, rank: 1, submitted: 3, adopted: 2, adoptedOwn: 1, adoptedUp: 1, requests: { asked: 1, late: 1, missing: 0 }, timeliness: { late: 1, missing: 1 } });
    expect(row('150103')).toMatchObject({ points: 0, rank: 2, requests: { missing: 1 } });
    expect(draft.lines.filter((l: any) => l.unitCode === '150102').map((l: any) => [l.rule, l.points, l.schemeFrom])).toEqual([
      ['monthlyBase', 10, '2026-11-01'],
      ['own.2×kindMultiplier.analysis', 20, '2026-11-01'],
      ['up1.1×kindMultiplier.analysis', 40, '2026-11-01'],
      ['request.late', 0, '2026-11-01'],
    ]);
    expect(draft.lines.find((l: any) => l.rule === 'request.missed').text).toBe('约稿《冬季救助工作成效》未报送 −10');
    expect(draft.people[0]).toMatchObject({ name: '新城区信息员', points: 60, rank: 1 });

    const published = await city.post('/api/scoring/bulletins', { period: '2026-11' });
    expect(published.status).toBe(201);
    expect((await city.post('/api/scoring/bulletins', { period: '2026-11' })).body.error.code).toBe('SCORE_PUBLISHED');
    const seen = (await info2.get('/api/scoring/bulletins/2026-11?office=150100')).body.bulletin;
    expect(seen.rows).toEqual(published.body.bulletin.rows);
    expect((await info2.get('/api/scoring/bulletins')).body.bulletins.map((b: any) => b.label)).toContain('2026年11月');
    for (const c of [otherCounty, otherCity]) expect((await c.get('/api/scoring/bulletins/2026-11?office=150100')).status).toBe(404);

    // Word holds the ranking; the Excel sheet matches the screen.
    const docx = await fetch(`${srv.baseUrl}/api/scoring/bulletins/2026-11/docx?office=150100`, { headers: { cookie: info2.cookie } });
    const xml = await (await JSZip.loadAsync(Buffer.from(await docx.arrayBuffer()))).file('word/document.xml')!.async('string');
    expect(xml).toContain('2026年11月政务信息报送情况通报');
    expect(xml).toContain('新城区');
    const xlsx = await fetch(`${srv.baseUrl}/api/scoring/bulletins/2026-11/xlsx?office=150100`, { headers: { cookie: city.cookie } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    // The city's counties on one sheet, its own departments (办公室, 社会事务科) ranked among themselves on another.
    const sheetRows = (name: string) => (wb.getWorksheet(name)!.getSheetValues() as unknown[][]).slice(2).map((r) => [r[2], r[1], r[9]]);
    expect(sheetRows('排名')).toEqual(seen.rows.filter((r: any) => r.group === 'division').map((r: any) => [r.unitName, r.rank, r.points]));
    expect(sheetRows('处室排名')).toEqual([
      ['呼和浩特市办公室', 1, 0],
      ['呼和浩特市社会事务科', 1, 0],
    ]);
  }, 240_000);
});
