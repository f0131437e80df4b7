/**
 * 24-hour duty against the real server on both databases: roster edits with history, permissions by unit and
 * role, swap approval, Excel export/import round trip, the duty log, handover with carry-over acknowledgement.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clock } from '../../server/clock.ts';
import { addDays, localDate, slotAt } from '../../server/duty/rules.ts';
import { Client, suiteClients, nextEvent, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

process.env.TEST_CLOCK = '1'; // this file's worker only: lets a test step over the 08:30 shift change
// Not today's date: New Year's Eve in Beijing, a minute before midnight (the demo roster is seeded around it).
clock.set('2026-12-31T23:59:00+08:00');
const COUNTY = '150102';
const day = (n: number) => slotAt(['08:30'], new Date(clock.now().getTime() + n * 86400_000)).start.toISOString();

describe.each(testDatabases())('duty ($name)', (tdb) => {
  let srv: TestServer;
  const { login, closeAll } = suiteClients(() => srv.baseUrl);
  const upload = async (c: Client, path: string, body: Buffer) => {
    const res = await fetch(srv.baseUrl + path, { method: 'POST', headers: { cookie: c.cookie, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'x-requested-with': 'XMLHttpRequest' }, body: new Uint8Array(body) });
    return { status: res.status, body: await res.json() };
  };
  const download = async (c: Client, path: string) => {
    const res = await fetch(srv.baseUrl + path, { headers: { cookie: c.cookie } });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };
  const people = async (c: Client, unit = COUNTY) => (await c.get(`/api/duty/people?unit=${unit}`)).body.people as { id: number; username: string; name: string }[];
  const idOf = async (c: Client, username: string) => (await people(c, username.slice(0, 6))).find((p) => p.username === username)!.id;

  beforeAll(async () => {
    srv = await startTestServer(await tdb.open());
  });
  afterAll(async () => {
    closeAll();
    await srv?.close();
  });

  describe('on duty now', () => {
    it('the city sees who is on duty at each of its counties, with phone numbers; a county sees only itself', async () => {
      const city = await login('150100-leader');
      const r = await city.get('/api/duty/now');
      expect(r.status).toBe(200);
      const county = r.body.units.find((u: any) => u.code === COUNTY);
      expect(county.officers).toHaveLength(1);
      expect(county.officers[0].name).toMatch(/^新城区值班员/);
      expect(county.officers[0].phone).toMatch(/^139150102/);
      expect(county.leader).toMatchObject({ name: '新城区带班领导', phone: '13815010201' });
      expect(r.body.units.map((u: any) => u.code)).not.toContain('150200');
      const region = await login('150000-duty');
      expect((await region.get('/api/duty/now')).body.units).toHaveLength(116);
      const own = await login(`${COUNTY}-duty`);
      expect((await own.get('/api/duty/now')).body.units.map((u: any) => u.code)).toEqual([COUNTY]);
    });
  });

  describe('shift change', () => {
    it('at 08:30 the next officer is on duty, for the unit and for the levels above', async () => {
      const city = await login('150100-duty');
      const who = async () => (await city.get('/api/duty/now')).body.units.find((u: any) => u.code === '150104').officers.map((o: any) => o.name);
      const before = await who();
      const cur = slotAt(['08:30'], clock.now());
      const offset = clock.offsetMs;
      try {
        clock.advance(cur.end.getTime() - clock.now().getTime() - 1000);
        expect(await who()).toEqual(before);
        clock.advance(2000);
        const after = await who();
        expect(after).toHaveLength(1);
        expect(after).not.toEqual(before); // the seed alternates 值班员 / 值班员乙
      } finally {
        clock.advance(offset - clock.offsetMs); // back to the pinned timeline
      }
    });
  });

  describe('roster', () => {
    it('a leader changes a slot; the old version stays in the history; the change is pushed up', async () => {
      const leader = await login(`${COUNTY}-leader`);
      const city = await login('150100-duty');
      const cityS = await city.socket();
      const pushed = nextEvent(cityS, 'duty:roster', (p: any) => p.unitCode === COUNTY);
      const duty2 = await idOf(leader, `${COUNTY}-duty2`);
      const leaderId = await idOf(leader, `${COUNTY}-leader`);
      const start = day(2);
      const res = await leader.post('/api/duty/roster/slot', {
        start,
        officers: [{ userId: duty2 }, { name: '临时替班 王五', phone: '13700000000' }],
        leader: { userId: leaderId },
        note: '防汛加强值班',
      });
      expect(res.status).toBe(200);
      expect(res.body.entry.officers.map((o: any) => o.name)).toEqual(['新城区值班员乙', '临时替班 王五']);
      expect(res.body.entry.version).toBe(2);
      await pushed;
      const hist = await leader.get(`/api/duty/roster/history?start=${encodeURIComponent(start)}`);
      expect(hist.body.versions.map((v: any) => [v.version, v.source, v.supersededAt === null])).toEqual([
        [2, 'manual', true],
        [1, 'seed', false],
      ]);
      expect(hist.body.versions[0].createdByName).toBe('新城区带班领导');

      // The city reads the county's roster; the week view shows the change.
      const week = await city.get(`/api/duty/roster?unit=${COUNTY}&from=${localDate(clock.now())}&to=${addDays(localDate(clock.now()), 6)}`);
      expect(week.status).toBe(200);
      expect(week.body.canEdit).toBe(false);
      expect(week.body.slots.find((s: any) => s.start === start).entry.note).toBe('防汛加强值班');
    });

    it('a leader fills the weeks after the seeded ones by rotation, without touching scheduled shifts', async () => {
      const leader = await login('150103-leader');
      const ids = await people(leader, '150103');
      const id = (u: string) => ids.find((p) => p.username === u)!.id;
      const from = addDays(localDate(clock.now()), 1);
      const to = addDays(from, 27);
      const res = await leader.post('/api/duty/roster/fill', { from, to, officers: [{ userId: id('150103-duty') }, { userId: id('150103-duty2') }], leaders: [{ userId: id('150103-leader') }] });
      expect(res.status).toBe(200);
      expect(res.body.slots + res.body.skipped).toBe(28);
      expect(res.body.skipped).toBeGreaterThan(0); // the seeded days stay as they are
      const view = (await leader.get(`/api/duty/roster?from=${from}&to=${to}`)).body.slots;
      expect(view.every((s: any) => s.entry)).toBe(true);
      const again = await leader.post('/api/duty/roster/fill', { from, to, officers: [{ userId: id('150103-duty') }], leaders: [{ userId: id('150103-leader') }] });
      expect(again.body).toMatchObject({ slots: 0, changed: 0, skipped: 28 });
      const duty = await login('150103-duty');
      expect((await duty.post('/api/duty/roster/fill', { from, to, officers: [{ userId: id('150103-duty') }], leaders: [{ userId: id('150103-leader') }] })).body.error.code).toBe('ROLE_FORBIDDEN');
    });

    it('a unit switches to day and night shifts; the earlier 24-hour entries stay visible', async () => {
      const leader = await login('150105-leader');
      expect((await leader.post('/api/duty/settings', { shiftStarts: ['08:30', '8:30'], dutyPhone: null })).status).toBe(400);
      const saved = await leader.post('/api/duty/settings', { shiftStarts: ['17:30', '08:30'], dutyPhone: '0471-1111111' });
      expect(saved.body.settings).toEqual({ shiftStarts: ['08:30', '17:30'], dutyPhone: '0471-1111111' });
      const d = addDays(localDate(clock.now()), 2);
      const view = (await leader.get(`/api/duty/roster?from=${d}&to=${d}`)).body;
      expect(view.slots.map((s: any) => [s.startTime, s.entry?.source ?? null])).toEqual([
        ['08:30', 'seed'],
        ['17:30', null],
      ]);
      const night = view.slots[1];
      const ids = await people(leader, '150105');
      const put = await leader.post('/api/duty/roster/slot', { start: night.start, officers: [{ userId: ids.find((p) => p.username === '150105-duty2')!.id }], leader: { userId: ids.find((p) => p.username === '150105-leader')!.id } });
      expect(put.status).toBe(200);
      expect(Date.parse(put.body.entry.end) - Date.parse(put.body.entry.start)).toBe(15 * 3600_000);
      const city = await login('150100-duty');
      expect((await city.get('/api/duty/now')).body.units.find((u: any) => u.code === '150105').dutyPhone).toBe('0471-1111111');
    });

    it('history cannot be rewritten, even in the database', async () => {
      const db = srv.app.ctx.db;
      await expect(sql`update duty_roster set note = 'x' where superseded_at is not null`.execute(db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from duty_roster`.execute(db)).rejects.toThrow(/cannot be deleted/);
    });

    it('only leaders of the unit edit its roster; nobody reads a sibling or a unit above', async () => {
      const duty = await login(`${COUNTY}-duty`);
      const cityLeader = await login('150100-leader');
      const body = { start: day(3), officers: [{ name: '某人', phone: '123456' }], leader: { name: '某领导', phone: '123456' } };
      expect((await duty.post('/api/duty/roster/slot', body)).body.error.code).toBe('ROLE_FORBIDDEN');
      expect((await cityLeader.post('/api/duty/roster/slot', { ...body, unitCode: COUNTY })).body.error.code).toBe('DUTY_UNIT_FORBIDDEN');
      const from = localDate(clock.now());
      expect((await duty.get(`/api/duty/roster?unit=150103&from=${from}&to=${from}`)).body.error.code).toBe('SCOPE_FORBIDDEN');
      expect((await duty.get(`/api/duty/roster?unit=150100&from=${from}&to=${from}`)).body.error.code).toBe('SCOPE_FORBIDDEN');
      const leader = await login(`${COUNTY}-leader`);
      const bad = await leader.post('/api/duty/roster/slot', { ...body, start: new Date(Date.parse(day(3)) + 3600_000).toISOString() });
      expect(bad.status).toBe(400);
      const past = await leader.post('/api/duty/roster/slot', { ...body, start: day(-2) });
      expect(past.body.error.code).toBe('ROSTER_SLOT_PAST');
    });
  });

  describe('swaps', () => {
    it('an officer asks to swap, an officer cannot approve, the leader approves and the roster changes', async () => {
      const duty = await login('150103-duty');
      const leader = await login('150103-leader');
      const a = await idOf(leader, '150103-duty');
      const b = await idOf(leader, '150103-duty2');
      // Seed alternates duty / duty2 day by day: find a future slot of each.
      const from = localDate(clock.now());
      const roster = (await duty.get(`/api/duty/roster?from=${from}&to=${addDays(from, 6)}`)).body.slots.filter((s: any) => s.entry && Date.parse(s.end) > clock.now().getTime() + 86400_000);
      const mine = roster.find((s: any) => s.entry.officers[0].userId === a);
      const theirs = roster.find((s: any) => s.entry.officers[0].userId === b);
      const req = { requestId: randomUUID(), kind: 'swap', slotStart: mine.start, otherSlotStart: theirs.start, from: { userId: a }, to: { userId: b }, reason: '家中有事' };
      const created = await duty.post('/api/duty/swaps', req);
      expect(created.status).toBe(201);
      expect((await duty.post('/api/duty/swaps', req)).body.swap.id).toBe(created.body.swap.id); // idempotent
      const id = created.body.swap.id;
      expect((await duty.post(`/api/duty/swaps/${id}/approve`, {})).body.error.code).toBe('ROLE_FORBIDDEN');
      const ok = await leader.post(`/api/duty/swaps/${id}/approve`, { note: '同意' });
      expect(ok.status).toBe(200);
      expect(ok.body.swap).toMatchObject({ status: 'approved', decidedByName: '回民区带班领导', requestedByName: '回民区值班员' });
      expect((await leader.post(`/api/duty/swaps/${id}/approve`, {})).body.error.code).toBe('SWAP_DECIDED');
      const after = (await duty.get(`/api/duty/roster?from=${from}&to=${addDays(from, 6)}`)).body.slots;
      const s1 = after.find((s: any) => s.start === mine.start).entry;
      const s2 = after.find((s: any) => s.start === theirs.start).entry;
      expect([s1.officers[0].userId, s2.officers[0].userId]).toEqual([b, a]);
      expect([s1.source, s1.swapId, s1.createdByName]).toEqual(['swap', id, '回民区带班领导']);
      // Now invalid: the requester is no longer on that slot.
      const again = await duty.post('/api/duty/swaps', { ...req, requestId: randomUUID() });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('SWAP_NOT_ON_SLOT');
    });
  });

  describe('Excel', () => {
    it('exports a month and imports it back unchanged; bad rows are reported in Chinese and nothing is lost', async () => {
      const leader = await login('150104-leader');
      // A month with at least two future seeded shifts (the seed covers this week and next).
      const month = localDate(new Date(clock.now().getTime() + 3 * 86400_000)).slice(0, 7);
      const file = await download(leader, `/api/duty/roster/export?month=${month}`);
      const again = await upload(leader, `/api/duty/roster/import?month=${month}`, file);
      expect(again.status).toBe(200);
      expect(again.body.changed).toBe(0);
      expect(again.body.imported).toBeGreaterThan(0);

      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(file as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      expect(ws.getCell(1, 1).value).toBe(`玉泉区（150104）${month.slice(0, 4)}年${Number(month.slice(5))}月值班表`);
      const today = localDate(clock.now());
      const rows: number[] = [];
      const pastRows: number[] = [];
      ws.eachRow((row, n) => {
        if (n <= 2 || !row.getCell(4).value) return;
        if (String(row.getCell(1).value) > today) rows.push(n);
        else if (String(row.getCell(1).value) < today) pastRows.push(n);
      });
      const [r1, r2] = rows as [number, number];
      const p = pastRows[0];
      if (p) ws.getCell(p, 4).value = String(ws.getCell(p, 4).value).endsWith('乙') ? '玉泉区值班员' : '玉泉区值班员乙';
      ws.getCell(r1, 4).value = '玉泉区值班员乙'; // a real change (may already be them: set the other one below)
      const before1 = String(ws.getCell(r1, 4).value);
      ws.getCell(r1, 5).value = '';
      ws.getCell(r2, 4).value = '查无此人';
      ws.getCell(r2, 5).value = '';
      const bad = Buffer.from(await wb.xlsx.writeBuffer());
      const refused = await upload(leader, `/api/duty/roster/import?month=${month}`, bad);
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('DUTY_IMPORT_INVALID');
      const expected = [{ row: r2, message: `第 ${r2} 行：值班员「查无此人」不是本单位账号，请填写其电话` }];
      if (p) expected.unshift({ row: p, message: `第 ${p} 行：该班次已结束，不能修改` }); // ended shifts are facts
      expect(refused.body.error.details.errors).toEqual(expected);

      const partial = await upload(leader, `/api/duty/roster/import?month=${month}&mode=valid`, bad);
      expect(partial.status).toBe(200);
      expect(partial.body.errors).toEqual(expected);
      const roundTrip = await download(leader, `/api/duty/roster/export?month=${month}`);
      const wb2 = new ExcelJS.Workbook();
      await wb2.xlsx.load(roundTrip as unknown as ArrayBuffer);
      expect(String(wb2.worksheets[0]!.getCell(r1, 4).value)).toBe(before1);
      expect(String(wb2.worksheets[0]!.getCell(r2, 4).value)).not.toBe('查无此人');

      const duty = await login('150104-duty');
      expect((await upload(duty, `/api/duty/roster/import?month=${month}`, file)).body.error.code).toBe('ROLE_FORBIDDEN');
      const other = await login('150105-leader');
      const wrongUnit = await upload(other, `/api/duty/roster/import?month=${month}`, file);
      expect(wrongUnit.body.error.details.errors[0].message).toMatch(/150104 的值班表/);
    });
  });

  describe('duty log and handover', () => {
    const call = (over: Record<string, unknown> = {}) => ({
      requestId: randomUUID(),
      kind: 'call',
      callTime: new Date(clock.now().getTime() - 5 * 60_000).toISOString(),
      callerUnit: '保合少镇政府',
      callerName: '李明',
      callerTitle: '值班员',
      callerPhone: '0471-1234567',
      summary: '保合少镇某村道路被洪水冲毁，请求支援',
      place: '保合少镇',
      cause: '强降雨',
      measures: '已通知应急局',
      notified: '带班领导张局长',
      ...over,
    });

    it('logs a call once per requestId, keeps every revision, refuses stale edits and other units', async () => {
      const duty = await login('150105-duty');
      const body = call();
      const [a, b] = await Promise.all([duty.post('/api/duty/log', body), duty.post('/api/duty/log', body)]);
      expect([a.status, b.status].sort()).toEqual([200, 201]);
      const e = a.body.entry;
      expect(e.status).toBe('open');
      expect(Math.abs(Date.parse(e.receivedAt) - clock.now().getTime())).toBeLessThan(5000);
      const edited = await duty.post(`/api/duty/log/${e.id}`, { ...call(), revision: 1, measures: '已通知应急局，救援队已出发', status: 'closed' });
      expect(edited.status).toBe(200);
      expect(edited.body.entry).toMatchObject({ revision: 2, status: 'closed', receivedAt: e.receivedAt });
      const stale = await duty.post(`/api/duty/log/${e.id}`, { ...call(), revision: 1 });
      expect(stale.body.error.code).toBe('DUTY_LOG_STALE');
      const revs = (await duty.get(`/api/duty/log/${e.id}/revisions`)).body.revisions;
      expect(revs.map((r: any) => [r.revision, r.data.measures])).toEqual([
        [1, '已通知应急局'],
        [2, '已通知应急局，救援队已出发'],
      ]);
      const sibling = await login('150104-duty');
      expect((await sibling.post(`/api/duty/log/${e.id}`, { ...call(), revision: 2 })).status).toBe(404);
      const cityLeader = await login('150100-leader');
      expect((await cityLeader.get('/api/duty/log?unit=150105')).body.entries.map((x: any) => x.id)).toContain(e.id);
      expect((await cityLeader.post(`/api/duty/log/${e.id}`, { ...call(), revision: 2 })).body.error.code).toBe('DUTY_UNIT_FORBIDDEN');
      const today = localDate(new Date(clock.now().getTime() - 5 * 60_000));
      expect((await duty.get(`/api/duty/log?date=${today}&status=closed`)).body.entries.map((x: any) => x.id)).toContain(e.id);
      expect((await duty.get(`/api/duty/log?status=open`)).body.entries.map((x: any) => x.id)).not.toContain(e.id);
    });

    it('closing a shift carries open items; the incoming officer must acknowledge them before taking over', async () => {
      const out = await login('150125-duty');
      const inc = await login('150125-duty2');
      const city = await login('150100-duty');
      const citySocket = await city.socket();
      const open = (await out.post('/api/duty/log', call({ summary: '群众来电反映某小区停水，待回复' }))).body.entry;
      await out.post('/api/duty/log', call({ summary: '已办结的来电', status: 'closed' }));

      const state = (await out.get('/api/duty/handover')).body;
      expect(state.openItems.map((i: any) => i.refId)).toEqual([open.id]);
      const slotStart = state.closable[0].start;
      const closedPush = nextEvent(citySocket, 'duty:handover', (h: any) => h.unitCode === '150125');
      const closed = await out.post('/api/duty/handovers', { requestId: randomUUID(), slotStart, summary: '本班接电话2个，1个待回复' });
      expect(closed.status).toBe(201);
      const h = closed.body.handover;
      expect(h.items.map((i: any) => [i.kind, i.refId])).toEqual([['log', open.id]]);
      await closedPush;
      expect((await out.post('/api/duty/handovers', { requestId: randomUUID(), slotStart, summary: 'again' })).body.error.code).toBe('HANDOVER_NOT_CLOSABLE');

      expect((await out.post(`/api/duty/handovers/${h.id}/accept`, {})).body.error.code).toBe('HANDOVER_SELF');
      const refused = await inc.post(`/api/duty/handovers/${h.id}/accept`, {});
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('HANDOVER_UNACKNOWLEDGED');
      const pending = (await inc.get('/api/duty/handover')).body.pending;
      expect(pending.map((p: any) => p.id)).toEqual([h.id]);
      const acked = await inc.post(`/api/duty/handovers/${h.id}/ack`, { itemIds: [h.items[0].id] });
      expect(acked.body.handover.items[0]).toMatchObject({ acknowledgedByName: '武川县值班员乙' });
      const accepted = await inc.post(`/api/duty/handovers/${h.id}/accept`, {});
      expect(accepted.status).toBe(200);
      expect(accepted.body.handover).toMatchObject({ incomingName: '武川县值班员乙', outgoingName: '武川县值班员' });
      expect(Date.parse(accepted.body.handover.acceptedAt)).toBeGreaterThanOrEqual(Date.parse(h.closedAt));
      expect((await inc.post(`/api/duty/handovers/${h.id}/accept`, {})).body.error.code).toBe('HANDOVER_ACCEPTED');
      await expect(sql`update duty_handovers set summary = 'rewritten'`.execute(srv.app.ctx.db)).rejects.toThrow(/cannot be rewritten/);
      // The city reads it; a sibling county does not.
      expect((await city.get(`/api/duty/handovers/${h.id}`)).status).toBe(200);
      expect((await (await login('150102-duty')).get(`/api/duty/handovers/${h.id}`)).status).toBe(404);
    });
  });
});
