/**
 * The reports list paged on the server: pages and totals, filters and sorts, the unit subtree, search that
 * does not leak classified titles, what waits for me whatever the page, and today's count across Beijing
 * midnight. Real server, real database, a pinned clock.
 */
process.env.TEST_CLOCK = '1';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, suiteClients, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { clock } from '../../server/clock.ts';

// New Year's Eve in Beijing, ten minutes before midnight (still the afternoon of Dec 31 in UTC).
clock.set('2036-12-31T23:50:00+08:00');

const [db] = testDatabases();

describe(`reports list, paged on the server (${db!.name})`, () => {
  let srv: TestServer;
  const { login, closeAll } = suiteClients(() => srv.baseUrl);
  const minutesAgo = (m: number) => new Date(clock.now().getTime() - m * 60_000).toISOString();
  const phone = (c: Client, title: string, grade: number, eventMinutesAgo: number) =>
    c.post('/api/reports/phone', { requestId: randomUUID(), title, eventTime: minutesAgo(eventMinutesAgo), place: '测试镇', grade, summary: '电话报告', caller: '县值班员', callee: '市值班室' });

  let countyDuty: Client;
  let countyLeader: Client;
  let cityDuty: Client;
  let cityLeader: Client;
  let regionDuty: Client;
  const ids: string[] = [];

  beforeAll(async () => {
    srv = await startTestServer(await db!.open());
    [countyDuty, countyLeader, cityDuty, cityLeader, regionDuty] = await Promise.all(['150102-duty', '150102-leader', '150100-duty', '150100-leader', '150000-duty'].map(login));
    // 25 phone reports from one county, grades cycling 1–4, each event a minute older than the next.
    for (let i = 0; i < 25; i++) {
      clock.set(new Date(Date.parse('2036-12-31T23:00:00+08:00') + i * 60_000));
      const r = await phone(countyDuty, `列表测试 ${String(i).padStart(2, '0')}`, (i % 4) + 1, 30 + 2 * i);
      expect(r.status).toBe(201);
      ids.push(r.body.report.id);
    }
    // One from a county of another city: the region sees it, the first city does not.
    const other = await login('150202-duty');
    expect((await phone(other, '另一盟市的报告', 3, 5)).status).toBe(201);
    clock.set('2036-12-31T23:50:00+08:00');
  });
  afterAll(async () => {
    closeAll();
    await srv?.close();
    clock.reset();
  });

  it('sends one page at a time with the total, newest first, and a later page holds the rest', async () => {
    const p1 = await cityDuty.get('/api/reports?page=1&pageSize=10');
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({ total: 25, page: 1, pageSize: 10 });
    expect(p1.body.reports.map((r: any) => r.id)).toEqual(ids.slice(-10).reverse());
    const p3 = await cityDuty.get('/api/reports?page=3&pageSize=10');
    expect(p3.body.reports.map((r: any) => r.id)).toEqual(ids.slice(0, 5).reverse());
    // The default page is 20 rows, not everything.
    expect((await cityDuty.get('/api/reports')).body.reports).toHaveLength(20);
    const small = JSON.stringify((await cityDuty.get('/api/reports?pageSize=10')).body.reports).length;
    const all = JSON.stringify((await cityDuty.get('/api/reports?pageSize=100')).body.reports).length;
    expect(small * 2).toBeLessThan(all);
    // Rows are what the table shows, not whole reports: no long fields; each hop's unit and state for the alarms.
    const row = p1.body.reports[0];
    expect(row).not.toHaveProperty('summary');
    expect(row).not.toHaveProperty('attachments');
    expect(row).toMatchObject({ state: 'sent', kind: 'phone', eventTime: expect.any(String), createdByName: expect.any(String), redacted: false });
    expect(row.hops).toContainEqual({ id: expect.any(String), unitCode: '150100', state: 'received' });
    expect(JSON.stringify(row).length).toBeLessThan(800); // a whole report is ~2,000
  });

  it('pages the incidents on the server, the most pressing first, and finds the ones asked for by id', async () => {
    const get = async (q: string) => (await cityDuty.get(`/api/reports/incidents?${q}`)).body;
    const p1 = await get('pageSize=10');
    expect(p1).toMatchObject({ total: 25, page: 1, pageSize: 10 });
    expect(p1.incidents).toHaveLength(10);
    const [p2, p3, all] = [(await get('pageSize=10&page=2')).incidents, (await get('pageSize=10&page=3')).incidents, (await get('pageSize=100')).incidents];
    expect(p3).toHaveLength(5);
    const id = (i: any) => i.id;
    expect([...p1.incidents, ...p2, ...p3].map(id)).toEqual(all.map(id));
    // By default the most pressing deadline first (overdue, due soon, pending, met), then the newest event.
    const rank = (i: any) => Math.min(4, ...i.deadlines.map((d: any) => ({ overdue: 0, due_soon: 1, pending: 2 })[d.status as string] ?? 3));
    const ranks = all.map(rank);
    expect(ranks).toEqual([...ranks].sort((a: number, b: number) => a - b));
    expect(new Set(ranks).size).toBeGreaterThan(1);
    const grades = (await get('sort=grade&order=desc&pageSize=100')).incidents.map((i: any) => i.grade);
    expect(grades).toEqual([...grades].sort((a: number, b: number) => a - b));
    expect(grades[0]).toBe(1);
    // Asked for by id (the console settles its alarms on incidents off its page), never one the reader may not see.
    const some = all.slice(20, 23).map(id);
    expect((await get(`ids=${some.join(',')}`)).incidents.map(id).sort()).toEqual([...some].sort());
    const foreign = (await regionDuty.get('/api/reports/incidents?pageSize=100')).body.incidents.find((i: any) => i.unitCode.startsWith('1502'));
    expect(await get(`ids=${foreign.id}`)).toMatchObject({ total: 0, incidents: [] });
    expect((await get('status=closed')).total).toBe(0);
    for (const q of ['pageSize=0', 'pageSize=101', 'page=x', 'sort=title', 'ids=not-a-uuid', 'status=gone']) {
      const r = await cityDuty.get(`/api/reports/incidents?${q}`);
      expect([q, r.status, r.body.error?.code]).toEqual([q, 400, 'VALIDATION']);
    }
  });

  it('filters by grade and state, and sorts by grade (most severe first) and by event time', async () => {
    const g1 = (await cityDuty.get('/api/reports?grade=1&pageSize=100')).body;
    expect(g1.total).toBe(7); // i = 0, 4, …, 24
    expect(g1.reports.every((r: any) => r.grade === 1)).toBe(true);
    expect((await cityDuty.get('/api/reports?state=draft')).body.total).toBe(0); // the county's drafts are not the city's
    const bySeverity = (await cityDuty.get('/api/reports?sort=grade&order=desc&pageSize=100')).body.reports.map((r: any) => r.grade);
    expect(bySeverity).toEqual([...bySeverity].sort((a: number, b: number) => a - b));
    expect(bySeverity[0]).toBe(1);
    const byEvent = (await cityDuty.get('/api/reports?sort=eventTime&order=asc&pageSize=100')).body.reports.map((r: any) => Date.parse(r.eventTime));
    expect(byEvent).toEqual([...byEvent].sort((a: number, b: number) => a - b));
    expect(byEvent).toHaveLength(25);
  });

  it('narrows to a unit subtree inside my own, and refuses a unit outside it', async () => {
    expect((await regionDuty.get('/api/reports?pageSize=100')).body.total).toBe(26);
    expect((await regionDuty.get('/api/reports?unit=150100&pageSize=100')).body.total).toBe(25);
    const otherCity = (await regionDuty.get('/api/reports?unit=150200')).body;
    expect(otherCity.reports.map((r: any) => r.title)).toEqual(['另一盟市的报告']);
    const outside = await cityDuty.get('/api/reports?unit=150200');
    expect(outside.status).toBe(403);
    expect(outside.body.error.code).toBe('SCOPE_FORBIDDEN');
  });

  it('searches title and place with the user’s % and _ taken literally, never through a title the reader may not read', async () => {
    expect((await cityDuty.get(`/api/reports?q=${encodeURIComponent('列表测试 07')}`)).body.reports.map((r: any) => r.title)).toEqual(['列表测试 07']);
    expect((await cityDuty.get(`/api/reports?q=${encodeURIComponent('%')}`)).body.total).toBe(0);
    expect((await cityDuty.get(`/api/reports?q=${encodeURIComponent('测_')}`)).body.total).toBe(0);
    const secret = await countyLeader.post('/api/reports', {
      requestId: randomUUID(),
      title: '绝密水库险情',
      eventTime: minutesAgo(15),
      place: '某水库',
      grade: 2,
      classification: 2,
      summary: '涉密内容',
      action: 'sign',
    });
    expect(secret.status).toBe(201);
    // The duty officer sees the redacted stub in the list, but cannot find it by the words of its title.
    expect((await cityDuty.get('/api/reports?pageSize=5')).body.reports.some((r: any) => r.id === secret.body.report.id && r.redacted)).toBe(true);
    expect((await cityDuty.get(`/api/reports?q=${encodeURIComponent('水库险情')}`)).body.total).toBe(0);
    expect((await cityLeader.get(`/api/reports?q=${encodeURIComponent('水库险情')}`)).body.reports.map((r: any) => r.title)).toEqual(['绝密水库险情']);
  });

  it('sends what waits for me (to sign for; for leaders to sign off) on its own, never with the page', async () => {
    const w = (await cityDuty.get('/api/reports/waiting')).body.waiting;
    expect((await cityDuty.get('/api/reports?page=2&pageSize=5&grade=4')).body).not.toHaveProperty('waiting');
    expect(w.length).toBe(26); // 25 phone reports + the classified one, none from the other city
    expect(w.every((r: any) => r.hops.some((h: any) => h.unitCode === '150100' && h.state === 'received'))).toBe(true);
    // Enough to announce and count each, without the long fields: a hundred waiting reports stay small.
    expect(w[0]).toMatchObject({ title: expect.any(String), grade: expect.any(Number), unitName: '新城区' });
    expect(w[0]).not.toHaveProperty('summary');
    expect(JSON.stringify(w).length / w.length).toBeLessThan(450);
    // Of the hops only mine: the rest is the list's and the incident's business.
    expect(w.every((r: any) => r.hops.every((h: any) => h.unitCode === '150100'))).toBe(true);
    expect(w[0]).not.toHaveProperty('eventTime');
    // The classified one waits too, redacted for the duty officer as in the list; its leader reads it.
    expect(w.filter((r: any) => r.redacted)).toEqual([expect.objectContaining({ title: '【涉密信息】', place: '', classification: 2 })]);
    expect((await cityLeader.get('/api/reports/waiting')).body.waiting.find((r: any) => r.title === '绝密水库险情')).toMatchObject({ redacted: false });
    expect((await cityDuty.post(`/api/reports/${ids[3]}/acknowledge`, {})).status).toBe(200);
    const after = (await cityDuty.get('/api/reports/waiting')).body.waiting.map((r: any) => r.id);
    expect(after).toHaveLength(25);
    expect(after).not.toContain(ids[3]);
    // A county report submitted for sign-off waits for the county's leader, not for its duty officer.
    const sub = await countyDuty.post('/api/reports', { requestId: randomUUID(), title: '待签发的首报', eventTime: minutesAgo(10), place: '测试镇', grade: 3, summary: '情况', action: 'submit' });
    expect(sub.status).toBe(201);
    expect((await countyLeader.get('/api/reports/waiting')).body.waiting.map((r: any) => r.id)).toContain(sub.body.report.id);
    expect((await countyDuty.get('/api/reports/waiting')).body.waiting.map((r: any) => r.id)).not.toContain(sub.body.report.id);
    expect((await cityDuty.get('/api/reports?pageSize=100')).body.reports.map((r: any) => r.id)).not.toContain(sub.body.report.id);
  });

  it('refuses a malformed query with a stable code', async () => {
    for (const q of ['pageSize=1000', 'page=0', 'sort=evil', 'grade=9', 'state=hacked', 'unit=abc']) {
      const r = await cityDuty.get(`/api/reports?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code, q).toBe('VALIDATION');
    }
  });

  it("counts today's reports on the Beijing day, across midnight into the New Year", async () => {
    // So far every report was submitted on Dec 31 in Beijing.
    expect((await regionDuty.get('/api/reports/board')).body.todayReports).toBe(27);
    clock.set('2037-01-01T00:05:00+08:00');
    expect((await regionDuty.get('/api/reports/board')).body.todayReports).toBe(0);
    expect((await phone(countyDuty, '新年第一报', 4, 3)).status).toBe(201);
    expect((await regionDuty.get('/api/reports/board')).body.todayReports).toBe(1);
    expect((await cityDuty.get('/api/reports/board')).body.todayReports).toBe(1);
    clock.set('2036-12-31T23:50:00+08:00');
  });
});
