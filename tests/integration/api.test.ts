/**
 * The HTTP API and live pushes end to end against the real server: real database, real mediasoup worker,
 * real socket.io. Permissions are checked by unit and role here.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, suiteClients, nextEvent, request, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const [db] = testDatabases(); // the DB suite covers both databases; one is enough for the API

describe(`API and live updates (${db!.name})`, () => {
  let srv: TestServer;
  const { login, closeAll } = suiteClients(() => srv.baseUrl);
  const report = (over: Record<string, unknown> = {}) => ({
    requestId: randomUUID(),
    title: '某村发生山洪',
    eventTime: new Date(Date.now() - 10 * 60_000).toISOString(),
    place: '新城区保合少镇',
    grade: 2,
    summary: '受困群众12人，已组织转移',
    ...over,
  });

  beforeAll(async () => {
    srv = await startTestServer(await db!.open());
  });
  afterAll(async () => {
    closeAll();
    await srv?.close();
  });

  describe('auth', () => {
    it('refuses a wrong password with a stable code and a Chinese message', async () => {
      const c = new Client(srv.baseUrl);
      const r = await c.post('/api/auth/login', { username: '150102-duty', password: 'wrong' });
      expect(r.status).toBe(401);
      // The tries left before the account locks are told (issue 8, V9).
      expect(r.body.error).toEqual({ code: 'AUTH_INVALID', message: '用户名或密码错误，还可尝试 4 次', details: { attemptsLeft: 4 } });
    });

    it('requires a session for every API route and for socket.io', async () => {
      const anon = new Client(srv.baseUrl);
      for (const path of ['/api/meetings', '/api/reports', '/api/org/tree', '/api/auth/me']) {
        expect((await anon.get(path)).body.error.code).toBe('AUTH_REQUIRED');
      }
      await expect(anon.socket()).rejects.toThrow(/AUTH_REQUIRED/);
    });

    it('logs in, tells who and where I am, and logs out for real', async () => {
      const c = await login('150102-duty');
      const me = await c.get('/api/auth/me');
      expect(me.body.user).toMatchObject({ username: '150102-duty', unitCode: '150102', unitName: '新城区', unitLevel: 3, roles: ['duty_officer'] });
      const cookie = c.cookie;
      await c.post('/api/auth/logout', {});
      c.cookie = cookie; // replaying the old cookie must not work
      expect((await c.get('/api/auth/me')).status).toBe(401);
    });
  });

  describe('urgent reports', () => {
    it('waits for the county leader\'s sign-off, then reaches the own unit, the city and the region live — and not a sibling county', async () => {
      const county = await login('150102-duty');
      const countyLeader = await login('150102-leader');
      const city = await login('150100-duty');
      const region = await login('150000-duty');
      const sibling = await login('150103-duty');
      const [sOwn, sCity, sRegion, sSibling] = await Promise.all([countyLeader.socket(), city.socket(), region.socket(), sibling.socket()]);
      const cityGot: unknown[] = [];
      const siblingGot: unknown[] = [];
      sCity.on('report:new', (r) => cityGot.push(r));
      sSibling.on('report:new', (r) => siblingGot.push(r));

      const body = report();
      const toSign = nextEvent(sOwn, 'report:update', (r: any) => r.title === body.title && r.state === 'pending_signoff');
      const res = await county.post('/api/reports', body);
      expect(res.status).toBe(201);
      expect(res.body.report.state).toBe('pending_signoff');
      await toSign; // the leader on duty sees it waiting for sign-off
      await new Promise((r) => setTimeout(r, 300));
      expect(cityGot).toEqual([]); // not before the county's own sign-off
      expect((await city.get('/api/reports')).body.reports.map((r: any) => r.id)).not.toContain(res.body.report.id);

      const seen = Promise.all([sOwn, sCity, sRegion].map((s) => nextEvent(s, 'report:new', (r: any) => r.title === body.title && r.unitCode === '150102')));
      const signed = await countyLeader.post(`/api/reports/${res.body.report.id}/sign`, {});
      expect(signed.body.report.state).toBe('sent');
      const pushed = await seen;
      for (const p of pushed) expect(p).toMatchObject({ id: res.body.report.id, state: 'sent', title: body.title });
      await new Promise((r) => setTimeout(r, 300));
      expect(siblingGot).toEqual([]);

      expect((await city.get('/api/reports')).body.reports.map((r: any) => r.id)).toContain(res.body.report.id);
      expect((await region.get('/api/reports')).body.reports.map((r: any) => r.id)).toContain(res.body.report.id);
      expect((await sibling.get('/api/reports')).body.reports.map((r: any) => r.id)).not.toContain(res.body.report.id);
    });

    it('takes the time of receipt from the server, and a double submit stores one report', async () => {
      const county = await login('150102-duty');
      const body = report({ title: '重复提交测试' });
      const before = Date.now();
      const [a, b] = await Promise.all([county.post('/api/reports', body), county.post('/api/reports', body)]);
      expect([a.status, b.status].sort()).toEqual([200, 201]);
      expect(a.body.report.id).toBe(b.body.report.id);
      const createdAt = Date.parse(a.body.report.createdAt);
      expect(createdAt).toBeGreaterThanOrEqual(before - 2000);
      expect(createdAt).toBeLessThanOrEqual(Date.now() + 2000);
      const mine = (await county.get('/api/reports')).body.reports.filter((r: any) => r.title === '重复提交测试');
      expect(mine).toHaveLength(1);
    });

    it('explains bad input field by field and stores nothing', async () => {
      const county = await login('150102-duty');
      const res = await county.post('/api/reports', report({ grade: 7, title: '', eventTime: 'yesterday' }));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION');
      expect(res.body.error.details.map((d: any) => d.path).sort()).toEqual(['eventTime', 'grade', 'title']);
    });

    it('refuses an event time in the future', async () => {
      const county = await login('150102-duty');
      const res = await county.post('/api/reports', report({ eventTime: new Date(Date.now() + 3600_000).toISOString() }));
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].path).toBe('eventTime');
    });

    it('lets only duty officers and leaders report', async () => {
      const venue = await login('150102-venue');
      const res = await venue.post('/api/reports', report());
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('ROLE_FORBIDDEN');
    });
  });

  describe('meetings', () => {
    it('a city convenes its counties; each invited unit is told live and lists it, others do not', async () => {
      const leader = await login('150100-leader');
      const invited = await login('150102-venue');
      const outsider = await login('150202-venue');
      const [sInvited, sOutsider] = await Promise.all([invited.socket(), outsider.socket()]);
      const outsiderGot: unknown[] = [];
      sOutsider.on('meeting:new', (m) => outsiderGot.push(m));
      const told = nextEvent(sInvited, 'meeting:new', (m: any) => m.title === '呼和浩特市防汛调度会');

      const res = await leader.post('/api/meetings', { title: '呼和浩特市防汛调度会', scope: { kind: 'cityWithCounties', cityCode: '150100' } });
      expect(res.status).toBe(201);
      expect(res.body.meeting.hostUnitCode).toBe('150100');
      expect(res.body.meeting.units).toHaveLength(10);
      expect(res.body.meeting.units[0]).toEqual({ code: '150100', name: '呼和浩特市', role: 'main' });
      expect((await told).id).toBe(res.body.meeting.id);
      expect((await invited.get('/api/meetings')).body.meetings.map((m: any) => m.id)).toContain(res.body.meeting.id);
      expect((await outsider.get('/api/meetings')).body.meetings.map((m: any) => m.id)).not.toContain(res.body.meeting.id);
      expect(outsiderGot).toEqual([]);
    });

    it('refuses scopes outside the convener\'s jurisdiction and conveners without the role', async () => {
      const cityLeader = await login('150100-leader');
      const other = await cityLeader.post('/api/meetings', { title: 'x', scope: { kind: 'cityWithCounties', cityCode: '150200' } });
      expect(other.status).toBe(403);
      expect(other.body.error.code).toBe('SCOPE_FORBIDDEN');
      const duty = await login('150100-duty');
      expect((await duty.post('/api/meetings', { title: 'x', scope: { kind: 'level', level: 3 } })).body.error.code).toBe('ROLE_FORBIDDEN');
    });

    it('lets invited units into the media room and keeps others out', async () => {
      const leader = await login('150100-leader');
      const { body } = await leader.post('/api/meetings', { title: '入会权限测试', scope: { kind: 'units', unitCodes: ['150102'] } });
      const meetingId = body.meeting.id;

      const outsider = await (await login('150103-venue')).socket();
      await expect(request(outsider, 'meeting:join', { meetingId })).rejects.toMatchObject({ code: 'MEETING_NOT_INVITED' });
      await expect(request(outsider, 'transport:create', { direction: 'send' })).rejects.toMatchObject({ code: 'NOT_IN_MEETING' });
      await expect(request(outsider, 'meeting:join', { meetingId: 'not-a-uuid' })).rejects.toMatchObject({ code: 'VALIDATION' });

      const host = await leader.socket();
      const county = await (await login('150102-venue')).socket();
      const joinedHost = await request(host, 'meeting:join', { meetingId });
      expect(joinedHost.routerRtpCapabilities.codecs.map((c: any) => c.mimeType)).toEqual(
        expect.arrayContaining(['audio/opus', 'video/VP8', 'video/H264']),
      );
      const peerJoined = nextEvent(host, 'peer:joined');
      const joinedCounty = await request(county, 'meeting:join', { meetingId });
      expect(joinedCounty.peers).toEqual([expect.objectContaining({ unitCode: '150100', unitName: '呼和浩特市' })]);
      expect(await peerJoined).toMatchObject({ unitCode: '150102', unitName: '新城区' });

      const t = await request(county, 'transport:create', { direction: 'send' });
      expect(t.iceCandidates.length).toBeGreaterThan(0);
      expect(t.iceCandidates.every((c: any) => c.address === '127.0.0.1')).toBe(true);
      expect(t.dtlsParameters.fingerprints.length).toBeGreaterThan(0);

      expect(joinedHost.peers).toEqual([]);
      const countyPeerId = county.id;
      const left = nextEvent(host, 'peer:left');
      county.disconnect();
      expect((await left).peerId).toBe(countyPeerId);
      const attendance = await srv.app.ctx.db
        .selectFrom('meeting_attendance')
        .select(['unit_code', 'left_at'])
        .where('meeting_id', '=', meetingId)
        .execute();
      expect(attendance.map((a) => a.unit_code).sort()).toEqual(['150100', '150102']);
      await expect.poll(async () =>
        (await srv.app.ctx.db.selectFrom('meeting_attendance').select('left_at').where('meeting_id', '=', meetingId).where('unit_code', '=', '150102').executeTakeFirstOrThrow()).left_at,
      ).not.toBeNull();
    });
  });
});
