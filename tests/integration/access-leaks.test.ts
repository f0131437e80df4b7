/**
 * Issue 8, V1 and V2: a county's unsent work (drafts, reports awaiting sign-off, incidents nothing was sent
 * for) reaches nobody above it — not through the duty handover (open items, the stored handover, its push)
 * and not through instructions — while its lateness stays visible to the parent (unit, kind, grade, due time).
 */
process.env.TEST_CLOCK = '1';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clock } from '../../server/clock.ts';
import { suiteClients, nextEvent, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const [tdb] = testDatabases();
const SECRET = '未报送草稿标题-山洪淹没某村';

describe(`unsent work stays in its unit (${tdb!.name})`, () => {
  let srv: TestServer;
  const { login, closeAll } = suiteClients(() => srv.baseUrl);
  const report = (over: Record<string, unknown> = {}) => ({
    requestId: randomUUID(),
    title: SECRET,
    eventTime: new Date(clock.now().getTime() - 10 * 60_000).toISOString(),
    place: '新城区保合少镇',
    grade: 2,
    summary: '草稿内容：受困群众12人',
    action: 'draft',
    ...over,
  });

  beforeAll(async () => {
    srv = await startTestServer(await tdb!.open());
  });
  afterAll(async () => {
    closeAll();
    await srv?.close();
    clock.reset();
  });

  it('V1: the handover shows the city and region that a draft is pending, never its title; the unit itself sees it', async () => {
    const countyDuty = await login('150102-duty');
    const draft = await countyDuty.post('/api/reports', report());
    expect(draft.status).toBe(201);
    const city = await login('150100-duty');
    const region = await login('150000-duty');
    const [citySocket, regionSocket] = await Promise.all([city.socket(), region.socket()]);

    const own = (await countyDuty.get('/api/duty/handover')).body;
    expect(own.openItems.find((i: any) => i.kind === 'report_signoff').title).toBe(SECRET);
    for (const reader of [city, region]) {
      const view = await reader.get('/api/duty/handover?unit=150102');
      expect(view.status).toBe(200);
      expect(JSON.stringify(view.body)).not.toContain(SECRET);
      expect(JSON.stringify(view.body)).not.toContain(draft.body.report.id);
      // The fact stays: one item awaiting sign-off.
      expect(view.body.openItems.filter((i: any) => i.kind === 'report_signoff')).toHaveLength(1);
    }

    const cityPush = nextEvent(citySocket, 'duty:handover', (h: any) => h.unitCode === '150102');
    const regionPush = nextEvent(regionSocket, 'duty:handover', (h: any) => h.unitCode === '150102');
    const closed = await countyDuty.post('/api/duty/handovers', { requestId: randomUUID(), slotStart: own.closable[0].start, summary: '交班' });
    expect(closed.status).toBe(201);
    expect(closed.body.handover.items.find((i: any) => i.kind === 'report_signoff').title).toBe(SECRET);
    for (const pushed of await Promise.all([cityPush, regionPush])) {
      expect(JSON.stringify(pushed)).not.toContain(SECRET);
      expect(pushed.items.filter((i: any) => i.kind === 'report_signoff')).toHaveLength(1);
    }
    const id = closed.body.handover.id;
    expect(JSON.stringify((await city.get(`/api/duty/handovers/${id}`)).body)).not.toContain(SECRET);
    expect(JSON.stringify((await region.get('/api/duty/handover?unit=150102')).body)).not.toContain(SECRET);
    // The incoming officer of the unit still reads what is carried over.
    const incoming = await login('150102-duty2');
    expect((await incoming.get(`/api/duty/handovers/${id}`)).body.handover.items.find((i: any) => i.kind === 'report_signoff').title).toBe(SECRET);
    // Stored rows keep no unsent title: a closed handover does not carry it for years.
    const stored = await srv.app.ctx.db.selectFrom('duty_handover_items').select('title').where('handover_id', '=', id).execute();
    expect(JSON.stringify(stored)).not.toContain(SECRET);
  });

  it('V2: no instruction on an incident or report the issuer cannot read; lateness reaches the parent without the title', async () => {
    const countyDuty = await login('150102-duty');
    const countyLeader = await login('150102-leader');
    const cityLeader = await login('150100-leader');
    const regionLeader = await login('150000-leader');
    const citySocket = await cityLeader.socket();

    const hidden = (await countyDuty.post('/api/reports', report())).body.report;
    const sent = (await countyLeader.post('/api/reports', report({ title: '已报送的事件', action: 'sign' }))).body.report;
    expect(sent.state).toBe('sent');

    // An incident the city gets 404 for cannot be instructed on.
    expect((await cityLeader.get(`/api/reports/incidents/${hidden.incidentId}`)).status).toBe(404);
    const onHidden = await cityLeader.post('/api/reports/instructions', { incidentId: hidden.incidentId, text: '请核实', unitCodes: ['150102'] });
    expect(onHidden.status).toBe(404);
    // Nor a draft smuggled in as the report of a visible incident.
    const smuggled = await cityLeader.post('/api/reports/instructions', { incidentId: sent.incidentId, reportId: hidden.id, text: '请核实', unitCodes: ['150102'] });
    expect(smuggled.status).toBe(404);
    const ok = await cityLeader.post('/api/reports/instructions', { incidentId: sent.incidentId, reportId: sent.id, text: '请续报', unitCodes: ['150102'] });
    expect(ok.status).toBe(201);

    // The county's deadline passes with only a draft: the city learns the unit is late, kind, grade, due time.
    const missed = nextEvent(citySocket, 'deadline:missed', (p: any) => p.incidentId === hidden.incidentId && p.unitCode === '150102', 10_000);
    clock.advance(6 * 3600_000);
    await srv.app.ctx.reports.ticker.check();
    const notice = await missed;
    expect(notice).toMatchObject({ unitCode: '150102', grade: 2 });
    expect(notice.kind).toMatch(/phone|written/);
    expect(Date.parse(notice.dueAt)).toBeGreaterThan(0);
    expect(JSON.stringify(notice)).not.toContain(SECRET);

    for (const leader of [cityLeader, regionLeader]) {
      const board = (await leader.get('/api/reports/board')).body;
      expect(JSON.stringify(board)).not.toContain(SECRET);
      const late = board.lateUnsent.filter((m: any) => m.incidentId === hidden.incidentId && m.unitCode === '150102');
      expect(late.length).toBeGreaterThan(0);
      expect(late[0]).toMatchObject({ grade: 2, unitName: '新城区' });
    }
    const cityBoard = (await cityLeader.get('/api/reports/board')).body;
    expect(cityBoard.timeliness.find((r: any) => r.unitCode === '150102').missing).toBeGreaterThan(0);
    // The county's own instruction on its own draft incident does not show above either.
    expect((await countyLeader.post('/api/reports/instructions', { incidentId: hidden.incidentId, text: `核实${SECRET}`, unitCodes: ['150102'] })).status).toBe(201);
    for (const leader of [cityLeader, regionLeader]) {
      expect(JSON.stringify((await leader.get('/api/reports/instructions?box=issued')).body)).not.toContain(SECRET);
      expect(JSON.stringify((await leader.get('/api/reports/board')).body)).not.toContain(SECRET);
    }
  });
});
