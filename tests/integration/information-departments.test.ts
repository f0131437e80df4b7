/**
 * Departments as submitting units (内设机构, migration 010) against the real server, on PGlite and Postgres:
 * a region department submits to the region; a county department submits to its county, which adopts it into
 * its own 《政务信息》, forwards it to the city and publishes an issue the department reads; an office registers
 * a new department whose accounts then work — and nobody outside sees a department's unsent or unrouted work.
 */
process.env.TEST_CLOCK = '1';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { clock } from '../../server/clock.ts';

describe.each(testDatabases())('departments as submitting units on $name', (target) => {
  let srv: TestServer;
  const clients: Client[] = [];
  const login = async (u: string, password?: string) => {
    const c = await Client.login(srv.baseUrl, u, password);
    clients.push(c);
    return c;
  };
  const review = { containsSecrets: false, fitToPublish: true, figuresChecked: true };
  const pubOf = async (c: Client, name: string) => ((await c.get('/api/information/publications')).body.publications as any[]).find((p) => p.name === name);
  /** Drafted by the officer, sent for sign-off and signed by the unit's head: returns the item. */
  const submitted = async (officer: Client, head: Client, title: string) => {
    const id = randomUUID();
    expect((await officer.request('PUT', `/api/information/items/${id}`, { kind: 'practice', title, body: `${title}。全年救助困难群众 1,204 户。`, classification: 0 })).status).toBe(200);
    expect((await officer.post(`/api/information/items/${id}/submit`, {})).status).toBe(200);
    const signed = await head.post(`/api/information/items/${id}/signoff`, { decision: 'sign', review, classification: 0 });
    expect(signed.status).toBe(200);
    return signed.body.item;
  };

  beforeAll(async () => {
    clock.set('2026-02-28T16:30:00Z'); // 00:30 on 1 March in UTC+8
    srv = await startTestServer(await target.open());
  }, 180_000);
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await srv?.close();
    clock.reset();
  });

  it('routes a region department’s item to the region only, and keeps it from its sibling and the cities', async () => {
    const [officer, head, sibling, region, cityEditor] = await Promise.all(['150000-01-info', '150000-01-leader', '150000-02-info', '150000-editor', '150100-editor'].map((u) => login(u)));
    const me = (await officer.get('/api/auth/me')).body.user;
    expect(me).toMatchObject({ unitCode: '150000-01', unitName: '内蒙古自治区社会救助处', unitKind: 'department', roles: ['info_officer'] });
    // The meeting and duty tree stays the 116 divisions.
    const tree = JSON.stringify((await officer.get('/api/org/tree')).body.root);
    expect(tree).not.toContain('150000-01');

    const id = randomUUID();
    expect((await officer.request('PUT', `/api/information/items/${id}`, { kind: 'dynamic', title: '社会救助处草稿', body: '尚未送审。', classification: 0 })).status).toBe(200);
    for (const c of [sibling, region, cityEditor]) expect((await c.get(`/api/information/items/${id}`)).status).toBe(404);
    // Only the department's own head signs: the region's leader is not it.
    expect((await officer.post(`/api/information/items/${id}/submit`, {})).status).toBe(200);
    const regionLeader = await login('150000-leader');
    expect((await regionLeader.post(`/api/information/items/${id}/signoff`, { decision: 'sign', review, classification: 0 })).status).toBe(404);
    expect((await head.get('/api/information/items?box=signoff')).body.rows.map((r: any) => r.id)).toEqual([id]);

    const item = await submitted(officer, head, '自治区社会救助处推进低保扩围');
    expect(item.deliveries.map((d: any) => [d.officeCode, d.route])).toEqual([['150000', 'parent']]);
    const inbox = (await region.get('/api/information/inbox?unit=150000-01')).body.rows;
    expect(inbox.map((r: any) => [r.itemId, r.unitName])).toEqual([[item.id, '内蒙古自治区社会救助处']]);
    expect((await sibling.get(`/api/information/items/${item.id}`)).status).toBe(404);
    expect((await cityEditor.get(`/api/information/items/${item.id}`)).status).toBe(404);
    const pub = await pubOf(region, '政务信息');
    expect(pub.distribution.map((u: any) => u.code)).toEqual(expect.arrayContaining(['150100', '150000-01', '150000-02']));
    expect((await region.post(`/api/information/deliveries/${inbox[0].deliveryId}/adopt`, { publicationId: pub.id, title: item.title, body: item.body })).status).toBe(200);
    const notices = (await officer.get('/api/information/notices')).body.notices;
    expect(notices.map((n: any) => n.action)).toContain('adopted');
    expect((await sibling.get('/api/information/notices')).body.notices).toEqual([]);
  });

  it('lets a county run its own publication from its departments’ items, forward one up, and publish to them', async () => {
    const [officer, head, otherDept, county, countyLeader, city, siblingCounty] = await Promise.all(
      ['150102-01-info', '150102-01-leader', '150102-02-info', '150102-editor', '150102-leader', '150100-editor', '150103-info'].map((u) => login(u)),
    );
    const item = await submitted(officer, head, '新城区办公室建立信息直报机制');
    expect(item.deliveries.map((d: any) => d.officeCode)).toEqual(['150102']);
    const row = (await county.get('/api/information/inbox')).body.rows.find((r: any) => r.itemId === item.id);
    expect(row.unitName).toBe('新城区办公室');
    // The city sees a submitted item of a unit below it; the sibling county does not.
    expect((await city.get(`/api/information/items/${item.id}`)).status).toBe(200);
    expect((await siblingCounty.get(`/api/information/items/${item.id}`)).status).toBe(404);
    const pub = await pubOf(county, '政务信息');
    expect(pub.cc.map((u: any) => u.code)).toEqual(['150100']);
    expect((await county.post(`/api/information/deliveries/${row.deliveryId}/adopt`, { publicationId: pub.id, title: item.title, body: item.body })).status).toBe(200);
    expect((await county.post(`/api/information/deliveries/${row.deliveryId}/forward`, {})).status).toBe(200);
    const atCity = (await city.get('/api/information/inbox')).body.rows.find((r: any) => r.itemId === item.id);
    expect([atCity.route, atCity.fromOfficeName, atCity.unitName]).toEqual(['forward', '新城区', '新城区办公室']);

    const issue = (await county.post('/api/information/issues', { publicationId: pub.id })).body.issue;
    expect(issue.label).toBe('2026年第1期');
    const adoption = (await county.get(`/api/information/publications/${pub.id}/unissued`)).body.adoptions.find((a: any) => a.itemId === item.id);
    expect((await county.post(`/api/information/issues/${issue.id}/items`, { adoptionIds: [adoption.id] })).status).toBe(200);
    expect((await county.post(`/api/information/issues/${issue.id}/submit`, {})).status).toBe(200);
    expect((await countyLeader.post(`/api/information/issues/${issue.id}/signoff`, { decision: 'sign' })).status).toBe(200);
    expect((await otherDept.get(`/api/information/issues/${issue.id}`)).status).toBe(404); // not published yet
    expect((await county.post(`/api/information/issues/${issue.id}/publish`, {})).body.issue.state).toBe('published');
    for (const c of [officer, otherDept, city]) expect((await c.get(`/api/information/issues/${issue.id}`)).status).toBe(200);
    // The PDF of the issue, read back as a reader's search would: the item's title and its department.
    const pdf = await fetch(`${srv.baseUrl}/api/information/issues/${issue.id}/pdf`, { headers: { cookie: otherDept.cookie } });
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    expect(decodeURIComponent(pdf.headers.get('content-disposition') ?? '')).toContain('政务信息2026年第1期.pdf');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tl-dept-pdf-')), 'issue.pdf');
    fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const s of ['政务信息', '第1期', '新城区编', '签发人：新城区带班领导', item.title, '（新城区办公室）', '报：呼和浩特市。', '发：新城区办公室，新城区社会救助股。']) expect(text).toContain(s);
    expect((await siblingCounty.get(`/api/information/issues/${issue.id}`)).status).toBe(404);
    const archive = (await otherDept.get('/api/information/issues')).body.rows;
    expect(archive.map((i: any) => i.id)).toContain(issue.id);
    // A department is no direct reporting point.
    const regionEditor = await login('150000-editor');
    expect((await regionEditor.post('/api/information/direct-points', { unitCode: '150102-01' })).body.error.code).toBe('VALIDATION');
  });

  it('registers a department whose accounts sign in and submit to the office; others may not register', async () => {
    const [cityLeader, cityEditor, deptHead, deptOfficer, siblingCounty] = await Promise.all(['150100-leader', '150100-editor', '150100-01-leader', '150100-01-info', '150103-info'].map((u) => login(u)));
    const body = { name: '救灾科', officerName: '王晓燕', officerPhone: '0471-6900301', leaderName: '李建国', initialPassword: 'Kz#7pqWx2026' };
    expect((await deptHead.post('/api/information/departments', body)).status).toBe(403);
    expect((await deptOfficer.post('/api/information/departments', body)).status).toBe(403);
    expect((await cityLeader.post('/api/information/departments', { ...body, initialPassword: 'abc' })).body.error.code).toBe('PASSWORD_WEAK');
    expect((await cityLeader.post('/api/information/departments', { ...body, initialPassword: 'X150100x#9q' })).body.error.code).toBe('PASSWORD_WEAK');
    const made = await cityLeader.post('/api/information/departments', body);
    expect(made.status).toBe(201);
    expect(made.body.department).toMatchObject({ code: '150100-03', name: '呼和浩特市救灾科', officeCode: '150100' });
    expect(made.body.department.accounts.map((a: any) => a.username).sort()).toEqual(['150100-03-info', '150100-03-leader']);
    expect((await cityLeader.post('/api/information/departments', body)).body.error.code).toBe('INFO_DEPARTMENT_EXISTS');
    expect((await cityEditor.get('/api/information/departments')).body.departments.map((d: any) => d.code)).toEqual(['150100-01', '150100-02', '150100-03']);
    expect((await cityEditor.get('/api/information/departments?office=150102')).body.departments.map((d: any) => d.code)).toEqual(['150102-01', '150102-02']);
    expect((await siblingCounty.get('/api/information/departments?office=150102')).status).toBe(403);

    const officer = await login('150100-03-info', body.initialPassword);
    const head = await login('150100-03-leader', body.initialPassword);
    expect((await officer.get('/api/auth/me')).body.user).toMatchObject({ unitCode: '150100-03', unitKind: 'department', displayName: '王晓燕' });
    expect((await cityEditor.get('/api/information/officers?unit=150100-03')).body.officers.map((o: any) => [o.name, o.phone])).toEqual([['王晓燕', '0471-6900301']]);
    const item = await submitted(officer, head, '呼和浩特市救灾科完成冬春救助摸底');
    expect(item.deliveries.map((d: any) => d.officeCode)).toEqual(['150100']);
    expect((await cityEditor.get('/api/information/inbox?unit=150100-03')).body.rows.map((r: any) => r.itemId)).toEqual([item.id]);
    expect((await (await login('150200-01-info')).get(`/api/information/items/${item.id}`)).status).toBe(404);
  });
});
