/**
 * Routine government information end to end against the real server, on PGlite and Postgres: drafts,
 * sign-off with the secrecy review, delivery, adoption at two levels with a forward, an issue compiled,
 * signed, published and rendered as Word, instructions with feedback — and who may not see or do any of it.
 */
process.env.TEST_CLOCK = '1';
import { randomUUID } from 'node:crypto';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, suiteClients, nextEvent, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { clock } from '../../server/clock.ts';
import { issueYear } from '../../contract/information.ts';

describe.each(testDatabases())('information work on $name', (target) => {
  let srv: TestServer;
  const { login, closeAll } = suiteClients(() => srv.baseUrl);
  const draft = (over: Record<string, unknown> = {}) => ({ kind: 'dynamic', title: `新城区开展冬季救助 ${randomUUID().slice(0, 6)}`, body: '新城区民政局开展冬季送温暖活动，走访困难群众126户。\n发放救助金38.5万元。', classification: 0, ...over });
  const review = { containsSecrets: false, fitToPublish: true, figuresChecked: true };
  const pubOf = async (c: Client, name: string) => ((await c.get('/api/information/publications')).body.publications as any[]).find((p) => p.name === name);

  beforeAll(async () => {
    srv = await startTestServer(await target.open());
  }, 180_000); // migrations and the demo seed on a loaded 2-core machine
  afterAll(async () => {
    closeAll();
    await srv?.close();
    clock.reset();
  });

  it('runs an item from draft to a published issue and an instruction, with every refusal on the way', async () => {
    const [officer, leader, city, cityLeader, region, regionLeader, sibling, otherCityEditor, cityDuty] = await Promise.all(
      ['150102-info', '150102-leader', '150100-editor', '150100-leader', '150000-editor', '150000-leader', '150103-info', '150200-editor', '150100-duty'].map(login),
    );
    const anon = new Client(srv.baseUrl);
    const countySocket = await officer.socket();
    const citySocket = await cityLeader.socket();

    // Draft, saved as typed: the same id twice is one item; anonymous and other units see nothing.
    const id = randomUUID();
    const body = draft();
    expect((await officer.request('PUT', `/api/information/items/${id}`, body)).status).toBe(200);
    const again = await officer.request('PUT', `/api/information/items/${id}`, body);
    expect(again.body.item.version).toBe(1);
    expect((await anon.get(`/api/information/items/${id}`)).status).toBe(401);
    expect((await officer.get('/api/information/items?box=mine')).body.total).toBe(1);
    expect((await cityDuty.request('PUT', `/api/information/items/${randomUUID()}`, body)).body.error.code).toBe('ROLE_FORBIDDEN');
    expect((await sibling.request('PUT', `/api/information/items/${id}`, body)).body.error.code).toBe('REQUEST_ID_CONFLICT');
    expect((await officer.request('PUT', `/api/information/items/${randomUUID()}`, { ...body, kind: 'gossip' })).body.error.code).toBe('INFO_KIND');
    expect((await officer.request('PUT', `/api/information/items/${randomUUID()}`, { ...body, title: '' })).body.error.code).toBe('VALIDATION');

    // 送审: still unsent, so the city and region cannot read it.
    expect((await officer.post(`/api/information/items/${id}/submit`, {})).body.item.state).toBe('pending_signoff');
    for (const c of [city, region, sibling]) expect((await c.get(`/api/information/items/${id}`)).status).toBe(404);
    expect((await city.get('/api/information/inbox')).body.total).toBe(0);
    const queue = (await leader.get('/api/information/items?box=signoff')).body;
    expect(queue.rows.map((r: any) => r.id)).toEqual([id]);
    expect(queue.rows[0].canSign).toBe(true);

    // Sign-off: only the leader, only with the secrecy review complete and a matching 密级.
    expect((await officer.post(`/api/information/items/${id}/signoff`, { decision: 'sign', review, classification: 0 })).body.error.code).toBe('ROLE_FORBIDDEN');
    expect((await cityLeader.post(`/api/information/items/${id}/signoff`, { decision: 'sign', review, classification: 0 })).status).toBe(404);
    expect((await leader.post(`/api/information/items/${id}/signoff`, { decision: 'sign', review: { ...review, figuresChecked: false }, classification: 0 })).body.error.code).toBe('INFO_REVIEW');
    expect((await leader.post(`/api/information/items/${id}/signoff`, { decision: 'sign', review: { ...review, containsSecrets: true }, classification: 1 })).body.error.code).toBe('INFO_CLASSIFICATION');
    const signed = (await leader.post(`/api/information/items/${id}/signoff`, { decision: 'sign', review, classification: 1, comment: '同意报送' })).body.item;
    expect(signed.state).toBe('submitted');
    expect(signed.review).toEqual(review);
    expect(signed.signedBy).toBe('新城区带班领导');
    expect(signed.deliveries.map((d: any) => [d.officeCode, d.state])).toEqual([['150100', 'received']]);

    // The city's inbox has it; another city's editor and the sibling county do not.
    const inbox = (await city.get('/api/information/inbox?state=received')).body;
    expect(inbox.rows.map((r: any) => r.itemId)).toEqual([id]);
    const deliveryId = inbox.rows[0].deliveryId;
    expect((await otherCityEditor.get(`/api/information/items/${id}`)).status).toBe(404);
    expect((await otherCityEditor.get('/api/information/inbox')).body.total).toBe(0);
    expect((await otherCityEditor.post(`/api/information/deliveries/${deliveryId}/acknowledge`, {})).status).toBe(404);
    expect((await sibling.get(`/api/information/items/${id}`)).status).toBe(404);
    expect((await region.get(`/api/information/items/${id}`)).status).toBe(200); // the region is above it
    expect((await officer.get('/api/information/inbox')).body.error.code).toBe('ROLE_FORBIDDEN');

    // 签收 and 采用 with an edited text; the officer hears at once; the original stays beside it.
    const acked = nextEvent(countySocket, 'information:notice', (n: any) => n.action === 'acknowledged');
    expect((await city.post(`/api/information/deliveries/${deliveryId}/acknowledge`, {})).status).toBe(200);
    expect((await acked).text).toContain('呼和浩特市');
    const cityPub = await pubOf(city, '政务信息');
    const regionPub = await pubOf(region, '要情快报');
    expect((await city.post(`/api/information/deliveries/${deliveryId}/adopt`, { publicationId: regionPub.id, title: 't', body: 'b' })).body.error.code).toBe('INFO_PUBLICATION_OFFICE');
    const adoptedNotice = nextEvent(countySocket, 'information:notice', (n: any) => n.action === 'adopted');
    const edited = { title: '新城区冬季送温暖走访困难群众126户', body: '新城区民政局走访困难群众126户，发放救助金38.5万元。' };
    expect((await city.post(`/api/information/deliveries/${deliveryId}/adopt`, { publicationId: cityPub.id, ...edited })).status).toBe(200);
    expect((await adoptedNotice).text).toContain('《政务信息》');
    const afterAdopt = (await officer.get(`/api/information/items/${id}`)).body.item;
    expect(afterAdopt.title).toBe(body.title);
    expect(afterAdopt.adoptions.map((a: any) => [a.officeCode, a.publicationName, a.title])).toEqual([['150100', '政务信息', edited.title]]);
    const history = (await city.get(`/api/information/items/${id}/history`)).body.revisions;
    expect(history.map((r: any) => r.title)).toEqual([body.title, edited.title]);
    expect((await city.post(`/api/information/deliveries/${deliveryId}/adopt`, { publicationId: cityPub.id, ...edited })).body.error.code).toBe('INFO_STATE');

    // 转报 to the region, which adopts it too: both adoptions count for the county.
    expect((await city.post(`/api/information/deliveries/${deliveryId}/forward`, {})).status).toBe(200);
    expect((await city.post(`/api/information/deliveries/${deliveryId}/forward`, {})).body.error.code).toBe('INFO_DONE');
    const regionInbox = (await region.get('/api/information/inbox')).body.rows;
    // What reaches the region is the city's edit, not the county's draft.
    expect(regionInbox.map((r: any) => [r.itemId, r.route, r.fromOfficeName, r.title])).toEqual([[id, 'forward', '呼和浩特市', edited.title]]);
    expect((await region.post(`/api/information/deliveries/${regionInbox[0].deliveryId}/adopt`, { publicationId: regionPub.id, ...edited })).status).toBe(200);
    // An adoption outside the system (民政部), recorded by the region's editor; the sibling's editor may not.
    expect((await otherCityEditor.post(`/api/information/items/${id}/external`, { body: '民政部', publication: '民政信息' })).status).toBe(404);
    expect((await region.post(`/api/information/items/${id}/external`, { body: '民政部', publication: '民政信息' })).status).toBe(200);
    const adoptions = (await officer.get(`/api/information/items/${id}`)).body.item.adoptions;
    expect(adoptions.map((a: any) => a.officeCode ?? a.officeName).sort()).toEqual(['150000', '150100', '民政部']);

    // An issue of the region's 要情快报: numbered in the year of the server clock (UTC+8), signed by the leader, published.
    const issue = (await region.post('/api/information/issues', { publicationId: regionPub.id })).body.issue;
    expect(issue.label).toBe(`${issueYear(clock.now())}年第1期`);
    expect((await city.post('/api/information/issues', { publicationId: regionPub.id })).status).toBe(404);
    const unissued = (await region.get(`/api/information/publications/${regionPub.id}/unissued`)).body.adoptions;
    expect(unissued.map((a: any) => a.itemId)).toEqual([id]);
    expect((await region.post(`/api/information/issues/${issue.id}/submit`, {})).body.error.code).toBe('INFO_ISSUE_EMPTY');
    const compiled = (await region.post(`/api/information/issues/${issue.id}/items`, { adoptionIds: [unissued[0].id] })).body.issue;
    expect(compiled.items.map((i: any) => [i.title, i.unitName])).toEqual([[edited.title, '新城区']]);
    expect((await city.get(`/api/information/issues/${issue.id}`)).status).toBe(404); // not published yet
    expect((await region.post(`/api/information/issues/${issue.id}/submit`, {})).body.issue.state).toBe('pending_signoff');
    expect((await region.post(`/api/information/issues/${issue.id}/signoff`, { decision: 'sign' })).body.error.code).toBe('ROLE_FORBIDDEN');
    expect((await regionLeader.post(`/api/information/issues/${issue.id}/signoff`, { decision: 'sign' })).body.issue.signedBy).toBe('内蒙古自治区带班领导');
    // Signed but not yet published: its Word and PDF are the office's alone, not yet the distribution's.
    const fileStatus = async (c: Client, f: string) => (await fetch(`${srv.baseUrl}/api/information/issues/${issue.id}/${f}`, { headers: { cookie: c.cookie } })).status;
    for (const f of ['docx', 'pdf']) expect([await fileStatus(city, f), await fileStatus(region, f)]).toEqual([404, 200]);
    const pushed = nextEvent(citySocket, 'information:issue', (p: any) => p.id === issue.id);
    expect((await region.post(`/api/information/issues/${issue.id}/publish`, {})).body.issue.state).toBe('published');
    expect((await pushed).publicationName).toBe('要情快报');
    expect((await city.get(`/api/information/issues/${issue.id}`)).status).toBe(200);

    // The Word file: a real .docx whose document XML holds the item, its source unit and 签发人.
    const res = await fetch(`${srv.baseUrl}/api/information/issues/${issue.id}/docx`, { headers: { cookie: city.cookie } });
    expect(res.status).toBe(200);
    const xml = await (await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()))).file('word/document.xml')!.async('string');
    for (const s of ['要情快报', `第${issue.number}期`, '内蒙古自治区编', edited.title, '（新城区）', '签发人：内蒙古自治区带班领导', '发：呼和浩特市']) expect(xml).toContain(s);
    expect((await anon.get(`/api/information/issues/${issue.id}/docx`)).status).toBe(401);
    // Both downloads are exports in the audit trail, by who took them.
    expect((await fetch(`${srv.baseUrl}/api/information/issues/${issue.id}/pdf`, { headers: { cookie: city.cookie } })).status).toBe(200);
    const trail = (await (await login('auditadmin')).get('/api/audit?pageSize=200')).body.entries as { action: string; username: string; status: number; target: string }[];
    for (const f of ['docx', 'pdf']) {
      expect(trail.find((e) => e.action === `export GET /api/information/issues/:id/${f}` && e.target === `/api/information/issues/${issue.id}/${f}`)).toMatchObject({ username: '150100-editor', status: 200 });
    }

    // The archive finds it by the text of its items.
    expect((await city.get(`/api/information/issues?q=${encodeURIComponent('126户')}`)).body.rows.map((r: any) => r.id)).toEqual([issue.id]);
    expect((await city.get(`/api/information/issues?q=${encodeURIComponent('没有这句话')}`)).body.total).toBe(0);
    expect((await otherCityEditor.get(`/api/information/issues?q=${encodeURIComponent('126户')}`)).body.total).toBe(1); // distributed to every city

    // 批示: a region leader instructs, the county feeds back; others cannot.
    expect((await region.post(`/api/information/items/${id}/instructions`, { text: '请总结推广' })).body.error.code).toBe('ROLE_FORBIDDEN');
    expect((await (await login('150200-leader')).post(`/api/information/items/${id}/instructions`, { text: '请总结推广' })).status).toBe(404);
    const instructed = nextEvent(countySocket, 'information:notice', (n: any) => n.action === 'instructed');
    const due = new Date(clock.now().getTime() + 3600_000).toISOString();
    const ins = (await regionLeader.post(`/api/information/items/${id}/instructions`, { text: '请总结推广经验', dueAt: due })).body.instruction;
    expect((await instructed).text).toContain('请总结推广经验');
    const received = (await officer.get('/api/information/instructions?box=received')).body.instructions;
    expect(received.map((x: any) => x.id)).toEqual([ins.id]);
    expect((await sibling.post(`/api/information/instructions/${ins.id}/feedback`, { text: 'x', done: true })).status).toBe(404);
    // Information instructions are not answered through the incident route.
    expect((await officer.post(`/api/reports/instructions/${ins.id}/feedback`, { text: 'x', done: true })).status).toBeGreaterThanOrEqual(403);
    await officer.post('/api/test/clock', { advanceMs: 2 * 3600_000 });
    const overdue = (await regionLeader.get('/api/information/instructions?box=issued')).body.instructions[0];
    expect(overdue.targets[0].overdue).toBe(true);
    expect((await officer.post(`/api/information/instructions/${ins.id}/feedback`, { text: '已在全区推广', done: true })).status).toBe(200);
    const closed = (await regionLeader.get('/api/information/instructions?box=issued')).body.instructions[0];
    expect(closed.targets[0]).toMatchObject({ overdue: false, unitName: '新城区' });
    expect(closed.feedback.map((f: any) => f.text)).toEqual(['已在全区推广']);
    const notices = (await officer.get('/api/information/notices')).body.notices.map((n: any) => n.action);
    expect(notices).toEqual(expect.arrayContaining(['signed', 'acknowledged', 'adopted', 'forwarded', 'instructed', 'published']));
  }, 120_000); // one long story; slow on a loaded machine

  it('lets the unit name its officers and its 分管领导, who alone then signs items off', async () => {
    const db = srv.app.ctx.db;
    const hash = (await db.selectFrom('users').select('password_hash').where('username', '=', '150105-leader').executeTakeFirstOrThrow()).password_hash;
    const second = await db.insertInto('users').values({ username: '150105-leader2', display_name: '赛罕区分管领导', password_hash: hash, unit_code: '150105', roles: ['leader'], phone: null }).returning('id').executeTakeFirstOrThrow();
    const [officer, leader, inCharge, foreign] = await Promise.all(['150105-info', '150105-leader', '150105-leader2', '150102-info'].map(login));
    const officerId = (await officer.get('/api/auth/me')).body.user.id;
    const foreignId = (await foreign.get('/api/auth/me')).body.user.id;
    const body = { officers: [{ userId: officerId, phone: '0471-5550101' }], signoffUserId: second.id };
    expect((await officer.request('PUT', '/api/information/officers', body)).body.error.code).toBe('ROLE_FORBIDDEN');
    expect((await leader.request('PUT', '/api/information/officers', { ...body, officers: [{ userId: foreignId, phone: '0471-5550101' }] })).body.error.code).toBe('SCOPE_FORBIDDEN');
    expect((await leader.request('PUT', '/api/information/officers', { ...body, signoffUserId: officerId })).body.error.code).toBe('VALIDATION');
    const named = (await leader.request('PUT', '/api/information/officers', body)).body;
    expect([named.officers.map((o: any) => [o.name, o.phone]), named.signoffUserId]).toEqual([[['赛罕区信息员', '0471-5550101']], second.id]);
    expect((await foreign.get('/api/information/officers?unit=150105')).body.error.code).toBe('SCOPE_FORBIDDEN');

    const id = randomUUID();
    await officer.request('PUT', `/api/information/items/${id}`, draft());
    await officer.post(`/api/information/items/${id}/submit`, {});
    expect((await leader.get('/api/information/items?box=signoff')).body.rows[0].canSign).toBe(false);
    expect((await leader.post(`/api/information/items/${id}/signoff`, { decision: 'sign', review, classification: 0 })).body.error.code).toBe('INFO_SIGNER');
    expect((await inCharge.post(`/api/information/items/${id}/signoff`, { decision: 'sign', review, classification: 0 })).body.item.signedBy).toBe('赛罕区分管领导');
  });

  it('returns an item for revision, refuses items above a publication’s classification, and copies a 直报点 to the region', async () => {
    const [officer, leader, city, region, regionLeader] = await Promise.all(['150103-info', '150103-leader', '150100-editor', '150000-editor', '150000-leader'].map(login));
    // 150103 becomes a direct reporting point: its next item goes to the city and to the region.
    const points = (await region.post('/api/information/direct-points', { unitCode: '150103', note: '2026年度直报点' })).body.points;
    expect(points.map((p: any) => [p.unitCode, p.droppedAt])).toEqual([['150103', null]]);
    expect((await city.post('/api/information/direct-points', { unitCode: '150103' })).body.error.code).toBe('ROLE_FORBIDDEN');
    const id = randomUUID();
    await officer.request('PUT', `/api/information/items/${id}`, draft({ classification: 2, kind: 'analysis' }));
    await officer.post(`/api/information/items/${id}/submit`, {});
    const signed = (await leader.post(`/api/information/items/${id}/signoff`, { decision: 'sign', review: { containsSecrets: true, fitToPublish: false, figuresChecked: true }, classification: 2 })).body.item;
    expect(signed.deliveries.map((d: any) => [d.officeCode, d.route]).sort()).toEqual([['150000', 'direct'], ['150100', 'parent']]);

    // 秘密 does not fit the city's 政务信息 (内部 at most).
    const [row] = (await city.get('/api/information/inbox?kind=analysis')).body.rows;
    const pub = await pubOf(city, '政务信息');
    expect((await city.post(`/api/information/deliveries/${row.deliveryId}/adopt`, { publicationId: pub.id, title: 't', body: 'b' })).body.error.code).toBe('INFO_CLASSIFICATION');

    // 退回修改: the item is back in the county; edited and signed again, the same delivery is open again.
    expect((await city.post(`/api/information/deliveries/${row.deliveryId}/return`, { reason: '数据口径不一致' })).status).toBe(200);
    expect((await officer.get(`/api/information/items/${id}`)).body.item.state).toBe('returned');
    await officer.request('PUT', `/api/information/items/${id}`, draft({ classification: 1, kind: 'analysis', title: '修改后的分析' }));
    // Being revised, it is unsent work again: the city keeps only its inbox row with the text it received.
    expect((await city.get(`/api/information/items/${id}`)).status).toBe(404);
    const whileRevised = (await city.get('/api/information/inbox?kind=analysis')).body.rows[0];
    expect([whileRevised.state, whileRevised.title, whileRevised.reason]).toEqual(['returned', row.title, '数据口径不一致']);
    await officer.post(`/api/information/items/${id}/submit`, {});
    await leader.post(`/api/information/items/${id}/signoff`, { decision: 'sign', review: { containsSecrets: false, fitToPublish: true, figuresChecked: true }, classification: 1 });
    const reopened = (await city.get('/api/information/inbox?kind=analysis')).body.rows[0];
    expect([reopened.deliveryId, reopened.state, reopened.title]).toEqual([row.deliveryId, 'received', '修改后的分析']);
    // Filters are applied on the server: another unit's items are not in this page.
    expect((await city.get('/api/information/inbox?unit=150102&kind=analysis')).body.total).toBe(0);

    // Dropping the point keeps its history.
    const dropped = (await regionLeader.post(`/api/information/direct-points/${points[0].id}/drop`, {})).body.points;
    expect(dropped[0].droppedAt).not.toBeNull();
  });
});
