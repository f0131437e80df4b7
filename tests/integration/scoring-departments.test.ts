/**
 * The region ranks its cities and its own departments (内设机构) in separate tables, May 2037 (UTC+8): the
 * departments' quota class (2 items, no analysis) in the region's scheme, effective-dated (a change dated 20 May
 * does not move May's quota); a commissioned request answered by one department and missed by the other; an
 * adoption and an instruction — every department point an explained line; the Word, Excel and PDF hold the same
 * numbers as the API, in the same two tables. A department is ranked, never an office that ranks.
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
describe(`department ranking on ${db!.name}`, () => {
  let srv: TestServer;
  const { login, closeAll } = suiteClients(() => srv.baseUrl);
  const review = { containsSecrets: false, fitToPublish: true, figuresChecked: true };
  const at = (iso: string) => clock.set(iso);
  const download = async (c: Client, url: string) => Buffer.from(await (await fetch(`${srv.baseUrl}${url}`, { headers: { cookie: c.cookie } })).arrayBuffer());

  beforeAll(async () => {
    at('2037-04-30T10:00:00+08:00');
    srv = await startTestServer(await db!.open());
  }, 180_000);
  afterAll(async () => {
    closeAll();
    await srv?.close();
    clock.reset();
  });

  it('ranks the region’s departments in their own table, by their own quota class, every point explained', async () => {
    const [region, regionLeader, info1, head1, info2, head2, cityInfo, cityLeader] = await Promise.all(
      ['150000-editor', '150000-leader', '150000-01-info', '150000-01-leader', '150000-02-info', '150000-02-leader', '150200-info', '150200-leader'].map(login),
    );

    // The region's scheme from 1 May: departments 2 items and no analysis; everyone else 2 items with 1 analysis.
    const rules = { ...DEFAULT_RULES, quotas: [{ unitClass: 'any', minItems: 2, minAnalysis: 1 }, { unitClass: 'department', minItems: 2, minAnalysis: 0 }] };
    expect((await region.request('PUT', '/api/scoring/scheme', { effectiveFrom: '2037-05-01', rules: { ...rules, quotas: [...rules.quotas, { unitClass: 'department', minItems: 1, minAnalysis: 0 }] } })).body.error.code).toBe('VALIDATION');
    expect((await region.request('PUT', '/api/scoring/scheme', { effectiveFrom: '2037-05-01', rules })).status).toBe(200);
    // A department is ranked by the region: it reads the region's scheme and may not write one.
    expect((await head1.get('/api/scoring/scheme')).body.officeCode).toBe('150000');
    expect((await head1.request('PUT', '/api/scoring/scheme', { effectiveFrom: '2037-05-01', rules })).body.error.code).toBe('ROLE_FORBIDDEN');
    expect((await head1.get('/api/scoring/quota?view=office')).body.error.code).toBe('ROLE_FORBIDDEN');

    at('2037-05-04T10:00:00+08:00');
    const req = { id: randomUUID(), topic: '社会救助兜底保障情况', requirements: '600字以内', deadline: '2037-05-25T18:00:00+08:00', targets: ['150000-01', '150000-02'] };
    expect((await region.post('/api/scoring/requests', req)).status).toBe(201);
    expect((await info2.get('/api/scoring/requests?box=received')).body.requests.map((r: any) => r.targets.map((t: any) => t.unitCode))).toEqual([['150000-02']]);

    const signed = async (officer: Client, head: Client, kind: string, title: string) => {
      const id = randomUUID();
      expect((await officer.request('PUT', `/api/information/items/${id}`, { kind, title, body: `${title}。`, classification: 0 })).status).toBe(200);
      expect((await officer.post(`/api/information/items/${id}/submit`, {})).status).toBe(200);
      const item = (await head.post(`/api/information/items/${id}/signoff`, { decision: 'sign', review, classification: 0 })).body.item;
      return { id, delivery: item.deliveries.find((d: any) => d.officeCode === '150000').id as string };
    };
    const d1a = await signed(info1, head1, 'dynamic', '社会救助处开展低保专项核查');
    const d1b = await signed(info1, head1, 'dynamic', '社会救助处兜底保障情况');
    const d2 = await signed(info2, head2, 'dynamic', '办公室推进信息化建设');
    const c1 = await signed(cityInfo, cityLeader, 'analysis', '包头市救助资金绩效分析');
    await signed(cityInfo, cityLeader, 'dynamic', '包头市冬春救助');

    // 20 May: a stricter department quota from then on — May keeps the one in force on its first day.
    at('2037-05-20T10:00:00+08:00');
    expect((await region.request('PUT', '/api/scoring/scheme', { effectiveFrom: '2037-05-20', rules: { ...rules, quotas: [rules.quotas[0], { unitClass: 'department', minItems: 5, minAnalysis: 0 }] } })).status).toBe(200);
    const office = (await region.get('/api/scoring/quota?view=office&month=2037-05')).body.progress;
    const unit = (code: string) => office.units.find((u: any) => u.unitCode === code);
    expect(unit('150000-01')).toMatchObject({ group: 'department', unitClass: 'department', minItems: 2, minAnalysis: 0, items: 2, met: true });
    expect(unit('150000-02')).toMatchObject({ group: 'department', minItems: 2, items: 1, behind: true });
    expect(unit('150200')).toMatchObject({ group: 'division', unitClass: 'city', minItems: 2, minAnalysis: 1, items: 2, analysis: 1, met: true });
    expect((await info2.get('/api/scoring/quota?month=2037-05')).body.progress).toMatchObject({ officeCode: '150000', units: [{ unitCode: '150000-02', minItems: 2, items: 1, behind: true }] });

    // The region adopts one item of each (own 政务信息, tier 1) and its leader instructs on 办公室's.
    const pub = ((await region.get('/api/information/publications')).body.publications as any[]).find((p) => p.name === '政务信息').id;
    for (const x of [d1a, d2, c1]) expect((await region.post(`/api/information/deliveries/${x.delivery}/adopt`, { publicationId: pub, title: '采用稿', body: '正文' })).status).toBe(200);
    expect((await regionLeader.post(`/api/information/items/${d2.id}/instructions`, { text: '抓紧推进' })).status).toBe(201);
    expect((await info1.post(`/api/scoring/requests/${req.id}/answers`, { itemId: d1b.id })).body.request.targets).toMatchObject([{ unitCode: '150000-01', state: 'on_time' }]);

    // Month end: the department behind is reminded with its own class's quota.
    at('2037-05-29T09:00:00+08:00');
    await srv.app.ctx.scoring.check();
    expect((await info2.get('/api/scoring/reminders')).body.reminders.filter((r: any) => r.kind === 'quota').map((r: any) => r.text)).toEqual([expect.stringContaining('已报送1条（应≥2条），综合分析0条（应≥0条）')]);
    expect((await info1.get('/api/scoring/reminders')).body.reminders.filter((r: any) => r.kind === 'quota')).toEqual([]);

    at('2037-06-01T09:00:00+08:00');
    const published = await region.post('/api/scoring/bulletins', { period: '2037-05' });
    expect(published.status).toBe(201);
    const b = published.body.bulletin;
    expect(b.docNumber).toBe('内政信通〔2037〕1号');
    const divisions = b.rows.filter((r: any) => r.group === 'division');
    const depts = b.rows.filter((r: any) => r.group === 'department');
    // Twelve leagues and cities, then the two departments: each table ranked from 1.
    expect(divisions).toHaveLength(12);
    expect(b.rows.slice(12)).toEqual(depts);
    expect(divisions[0]).toMatchObject({ unitCode: '150200', rank: 1, points: 20 }); // base 10 + own.1 5×2
    expect(divisions.slice(1).every((r: any) => r.rank === 2 && r.points === 0)).toBe(true);
    expect(depts.map((r: any) => [r.unitName, r.rank, r.points, r.submitted, r.adoptedOwn])).toEqual([
      ['内蒙古自治区社会救助处', 1, 20, 2, 1],
      ['内蒙古自治区办公室', 2, 0, 1, 1],
    ]);
    // The month's base by the version of its first day; the adoption and the request by the one of their dates.
    const lines = (u: string) => b.lines.filter((l: any) => l.unitCode === u).map((l: any) => [l.rule, l.points, l.schemeFrom, l.text]);
    expect(lines('150000-01')).toEqual([
      ['monthlyBase', 10, '2037-05-01', '2037年5月完成任务量（报送2条≥2条，综合分析0条≥0条）：月度基础分 +10'],
      ['own.1', 5, '2037-05-20', '《社会救助处开展低保专项核查》被内蒙古自治区《政务信息》采用（本级刊物·一类）+5'],
      ['request.onTime', 5, '2037-05-20', '约稿《社会救助兜底保障情况》按时报送 +5'],
    ]);
    expect(lines('150000-02').map((l: any) => [l[0], l[1]])).toEqual([
      ['own.1', 5],
      ['instruction.own', 5],
      ['request.missed', -10],
    ]);
    // Every point of a row is the sum of its lines.
    for (const r of b.rows) expect(b.lines.filter((l: any) => l.unitCode === r.unitCode).reduce((s: number, l: any) => s + l.points, 0)).toBe(r.points);
    // Delivered: each department keeps the 约稿 it was sent and the published bulletin among its reminders.
    const kept = (await info2.get('/api/scoring/reminders')).body.reminders.map((r: any) => [r.kind, r.text]);
    expect(kept).toContainEqual(['bulletin', '内蒙古自治区印发《2037年5月政务信息工作通报》']);
    expect(kept).toContainEqual(['request_new', '内蒙古自治区约稿：《社会救助兜底保障情况》']);
    expect((await cityInfo.get('/api/scoring/reminders')).body.reminders.map((r: any) => r.kind)).toContain('bulletin'); // the cities too
    // The departments see the bulletin that ranks them.
    expect((await info2.get('/api/scoring/bulletins/2037-05?office=150000')).body.bulletin.rows).toEqual(b.rows);

    // Word: two tables, the departments' after the cities', with the same numbers.
    const xml = await (await JSZip.loadAsync(await download(region, '/api/scoring/bulletins/2037-05/docx'))).file('word/document.xml')!.async('string');
    const tables = [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((m) => [...m[1]!.matchAll(/<w:tr>([\s\S]*?)<\/w:tr>/g)].map((r) => [...r[1]!.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1])));
    expect(tables).toHaveLength(2);
    expect(tables[0]!.slice(1).map((r) => [r[0], r[1], r[5]])).toEqual(divisions.map((r: any) => [String(r.rank), r.unitName, String(r.points)]));
    expect(tables[1]!.slice(1).map((r) => [r[0], r[1], r[5]])).toEqual(depts.map((r: any) => [String(r.rank), r.unitName, String(r.points)]));
    expect(xml).toContain('各处室（内设机构）报送、采用、得分及排名');
    expect(xml).toContain('内政信通〔2037〕1号');

    // Excel: the departments on their own sheet.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download(info1, '/api/scoring/bulletins/2037-05/xlsx?office=150000')) as never);
    const sheet = (name: string) => (wb.getWorksheet(name)!.getSheetValues() as unknown[][]).slice(2).map((r) => [r[1], r[2], r[9]]);
    expect(sheet('排名')).toEqual(divisions.map((r: any) => [r.rank, r.unitName, r.points]));
    expect(sheet('处室排名')).toEqual(depts.map((r: any) => [r.rank, r.unitName, r.points]));
    // Adoptions by publication: 社会救助处's one in the region's 《政务信息》.
    expect((wb.getWorksheet('处室排名')!.getSheetValues() as unknown[][])[2]![15]).toBe('内蒙古自治区·政务信息 1');

    // PDF: read back with pdftotext, the departments' table with the same ranks and points.
    const pdf = await download(info1, '/api/scoring/bulletins/2037-05/pdf?office=150000');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tl-rank-')), 'b.pdf');
    fs.writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    const flat = text.replace(/\s+/g, '');
    for (const s of ['内蒙古自治区政务信息工作通报', '内政信通〔2037〕1号', '2037年5月政务信息报送情况通报', '各处室（内设机构）报送、采用、得分及排名', '抄送：', '印发']) expect(flat).toContain(s);
    const rowOf = (name: string) => text.split('\n').find((l) => l.includes(name))!.trim().split(/\s+/);
    for (const r of b.rows) {
      const cells = rowOf(r.unitName);
      expect([cells[0], cells[1], cells[5]]).toEqual([String(r.rank), r.unitName, String(r.points)]);
    }
    expect(flat.indexOf('各处室（内设机构）报送')).toBeGreaterThan(flat.indexOf('各盟市报送'));
  }, 240_000);

  it('two bulletins published at the same instant get consecutive 发文字号, never the same', async () => {
    const region = await login('150000-editor');
    at('2037-07-01T09:00:00+08:00');
    const [month, quarter] = await Promise.all([region.post('/api/scoring/bulletins', { period: '2037-06' }), region.post('/api/scoring/bulletins', { period: '2037-Q2' })]);
    expect([month.status, quarter.status]).toEqual([201, 201]);
    const numbers = [month.body.bulletin.docNumber, quarter.body.bulletin.docNumber].sort();
    // May's bulletin (the test above) is No. 1 of 2037; these two take 2 and 3 in whichever order they ran.
    expect(numbers).toEqual(['内政信通〔2037〕2号', '内政信通〔2037〕3号']);
  }, 120_000);

  it('the yearly assessment’s award lists are in the Excel as on the screen: 先进单位, 先进处室, 优秀信息员', async () => {
    const region = await login('150000-editor');
    at('2037-07-02T09:00:00+08:00');
    const b = (await region.get('/api/scoring/bulletins/2037')).body.bulletin;
    // So far in 2037 (the draft): 包头市 and 社会救助处 lead with points, so each list has someone on it.
    expect(b.awards.units).toContain('包头市');
    expect(b.awards.departments).toContain('内蒙古自治区社会救助处');
    expect(b.awards.people.length).toBeGreaterThan(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download(region, '/api/scoring/bulletins/2037/xlsx')) as never);
    const rows = (wb.getWorksheet('年度考核')!.getSheetValues() as unknown[][]).slice(2).map((r) => [r[1], r[2], r[3]]);
    const pointsOf = (name: string) => b.rows.find((r: any) => r.unitName === name)?.points;
    expect(rows).toEqual([
      ...b.awards.units.map((n: string) => ['先进单位', n, pointsOf(n)]),
      ...b.awards.departments.map((n: string) => ['先进处室', n, pointsOf(n)]),
      ...b.awards.people.map((n: string) => ['优秀信息员', n, b.people.find((p: any) => p.name === n).points]),
    ]);
    // A month has no assessment sheet.
    const month = new ExcelJS.Workbook();
    await month.xlsx.load((await download(region, '/api/scoring/bulletins/2037-05/xlsx')) as never);
    expect(month.getWorksheet('年度考核')).toBeUndefined();
  }, 120_000);
});
