/**
 * Sessions (issue 16) on the real server with the production defaults (30 min idle, 3 concurrent): the idle
 * timeout on the pinned server clock for HTTP and sockets (reads and polling never count as activity), the
 * concurrent limit evicting the least recently active session, the list of one's sessions with their remote
 * ends, signing out one or all others, the security administrator's view and policy — all audited.
 */
process.env.TEST_CLOCK = '1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as ioClient } from 'socket.io-client';
import { Client, startTestServer, type Socket, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { clock } from '../../server/clock.ts';
import { DEMO_PASSWORD } from '../../server/seed/demo.ts';

// Not today's date: the last evening of February 2030 in Beijing.
const T0 = '2030-02-28T22:10:00+08:00';
const MIN = 60_000;

describe.each(testDatabases())('sessions ($name)', (tdb) => {
  let srv: TestServer;
  const clients: Client[] = [];
  const login = async (u: string) => {
    const c = await Client.login(srv.baseUrl, u);
    clients.push(c);
    return c;
  };
  /** A sign-in from a given address and browser (the server trusts X-Forwarded-For from loopback only). */
  const loginFrom = async (u: string, ip: string, ua: string) => {
    const res = await fetch(`${srv.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, 'user-agent': ua }, body: JSON.stringify({ username: u, password: DEMO_PASSWORD }) });
    expect(res.status).toBe(200);
    const c = new Client(srv.baseUrl);
    c.cookie = res.headers.getSetCookie().find((x) => x.startsWith('tl_session='))!.split(';')[0]!;
    clients.push(c);
    return c;
  };
  const ended = (s: Socket) => new Promise<{ reason?: string }>((resolve) => s.once('session:ended', resolve));
  const refusedHandshake = (c: Client) =>
    new Promise<unknown>((resolve, reject) => {
      const s = ioClient(srv.baseUrl, { transports: ['websocket'], extraHeaders: { cookie: c.cookie }, reconnection: false });
      s.once('connect', () => (s.close(), reject(new Error('connected'))));
      s.once('connect_error', (e: Error & { data?: unknown }) => (s.close(), resolve(e.data)));
    });
  const auditActions = async (action: string) => srv.app.ctx.db.selectFrom('audit_log').select(['username', 'detail', 'status']).where('action', '=', action).execute();

  beforeAll(async () => {
    clock.set(T0);
    srv = await startTestServer(await tdb.open(), { sessionDefaults: { idleMinutes: 30, maxSessions: 3 } });
  }, 300_000);
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await srv?.close();
  });

  it('an idle session ends after 30 minutes of the server clock; reads do not keep it alive, activity does', async () => {
    clock.set(T0);
    const idle = await login('150102-duty');
    const active = await login('150102-leader');
    const status = (await idle.get('/api/auth/session')).body;
    expect(status).toMatchObject({ idleMinutes: 30, warnSeconds: 120 });
    expect(Date.parse(status.idleExpiresAt) - Date.parse(status.now)).toBeGreaterThan(29 * MIN);

    clock.advance(20 * MIN);
    // The console's polling: reads answer, but do not count.
    expect((await idle.get('/api/reports')).status).toBe(200);
    expect((await idle.get('/api/auth/session')).status).toBe(200);
    expect((await active.post('/api/auth/activity', {})).status).toBe(200);
    clock.advance(11 * MIN);
    const lapsed = await idle.get('/api/auth/me');
    expect(lapsed.status).toBe(401);
    expect(lapsed.body.error).toMatchObject({ code: 'SESSION_IDLE' });
    expect(lapsed.body.error.message).toContain('长时间未操作');
    // Once ended it stays ended, even with activity afterwards.
    expect((await idle.post('/api/auth/activity', {})).body.error.code).toBe('SESSION_IDLE');
    // 31 minutes after sign-in but 11 after its activity: alive, and a change counts as activity too.
    expect((await active.get('/api/auth/me')).status).toBe(200);
    clock.advance(18 * MIN);
    expect((await active.post('/api/auth/activity', {})).status).toBe(200);
    clock.advance(29 * MIN);
    expect((await active.get('/api/auth/me')).status).toBe(200);
    const entries = await auditActions('auth.session_idle');
    expect(entries).toContainEqual(expect.objectContaining({ username: '150102-duty', status: 401 }));
    // The once-a-minute presence signal is not a trail entry (what it leads to is).
    expect(await auditActions('change POST /api/auth/activity')).toEqual([]);
  });

  it('an idle session’s socket is disconnected with the reason; it cannot reconnect', async () => {
    clock.set(T0);
    const c = await login('150103-duty');
    const s = await c.socket();
    clock.advance(25 * MIN);
    expect(await srv.app.ctx.sessions.sweep()).toBe(0);
    expect(s.connected).toBe(true);
    clock.advance(6 * MIN);
    const told = ended(s);
    expect(await srv.app.ctx.sessions.sweep()).toBeGreaterThanOrEqual(1);
    expect(await told).toEqual({ reason: 'idle' });
    expect(await refusedHandshake(c)).toMatchObject({ code: 'SESSION_IDLE' });
    expect((await c.get('/api/auth/me')).body.error.code).toBe('SESSION_IDLE');
  });

  it('a fourth sign-in evicts the least recently active session, whose console and socket are told', async () => {
    clock.set(T0);
    const first = await login('150104-duty');
    clock.advance(MIN);
    const second = await login('150104-duty');
    clock.advance(MIN);
    const third = await login('150104-duty');
    const s3 = await third.socket();
    clock.advance(MIN);
    await first.post('/api/auth/activity', {}); // now the first is the most recently active
    clock.advance(MIN);
    const told = ended(s3);
    const fourth = await login('150104-duty');
    expect((await second.get('/api/auth/me')).body.error.code).toBe('SESSION_EVICTED');
    expect((await second.get('/api/auth/me')).body.error.message).toContain('另一处登录');
    for (const c of [first, third, fourth]) expect((await c.get('/api/auth/me')).status).toBe(200);
    expect(s3.connected).toBe(true);
    // Now the third is the least recently active (the first acted after it).
    const fifth = await login('150104-duty');
    expect(await told).toEqual({ reason: 'evicted' });
    expect((await first.get('/api/auth/me')).status).toBe(200);
    expect((await third.get('/api/auth/me')).body.error.code).toBe('SESSION_EVICTED');
    expect((await fifth.get('/api/auth/sessions')).body.sessions).toHaveLength(3);
    expect(await auditActions('auth.session_evicted')).toHaveLength(2);
  });

  it('lists one’s sessions with their remote ends; signs out one, then all others (their sockets too)', async () => {
    clock.set(T0);
    const office = await loginFrom('150105-leader', '10.20.1.5', 'Mozilla/5.0 office-pc');
    clock.advance(MIN);
    const dutyRoom = await loginFrom('150105-leader', '10.20.1.9', 'Mozilla/5.0 duty-room');
    const list = (await office.get('/api/auth/sessions')).body.sessions;
    expect(list).toHaveLength(2);
    expect(list).toContainEqual(expect.objectContaining({ remote: '10.20.1.5', userAgent: 'Mozilla/5.0 office-pc', current: true, username: '150105-leader' }));
    const other = list.find((s: { current: boolean }) => !s.current);
    expect(other).toMatchObject({ remote: '10.20.1.9', userAgent: 'Mozilla/5.0 duty-room' });
    expect(Date.parse(other.startedAt)).toBeGreaterThanOrEqual(Date.parse(T0));
    expect(other.lastActiveAt).toBeTruthy();

    // Someone else's session is not found (ids are not secrets, but not theirs to end).
    const stranger = await login('150105-duty');
    expect((await stranger.post(`/api/auth/sessions/${other.id}/end`, {})).status).toBe(404);
    const ds = await dutyRoom.socket();
    const told = ended(ds);
    expect((await office.post(`/api/auth/sessions/${other.id}/end`, {})).body).toEqual({ ended: 1 });
    expect(await told).toEqual({ reason: 'revoked' });
    expect((await dutyRoom.get('/api/auth/me')).body.error.code).toBe('SESSION_REVOKED');

    const a = await loginFrom('150105-leader', '10.20.1.10', 'a');
    const b = await loginFrom('150105-leader', '10.20.1.11', 'b');
    expect((await office.post('/api/auth/sessions/end-others', {})).body).toEqual({ ended: 2 });
    for (const c of [a, b]) expect((await c.get('/api/auth/me')).status).toBe(401);
    expect((await office.get('/api/auth/sessions')).body.sessions).toHaveLength(1);
    const revoked = await auditActions('auth.session_revoked');
    expect(revoked.length).toBeGreaterThanOrEqual(2);
    expect((await srv.app.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'change POST /api/auth/sessions/end-others').execute()).length).toBe(1);
  });

  it('the security administrator sees and ends anyone’s sessions; the other administrators and business roles cannot', async () => {
    clock.set(T0);
    const target = await loginFrom('150121-leader', '10.30.0.7', 'Mozilla/5.0 county');
    const ts = await target.socket();
    const sec = await login('secadmin');
    const list = (await sec.get('/api/admin/sessions?username=150121-leader')).body.sessions;
    expect(list).toEqual([expect.objectContaining({ username: '150121-leader', remote: '10.30.0.7', userAgent: 'Mozilla/5.0 county', current: false })]);
    for (const u of ['sysadmin', 'auditadmin', '150000-leader']) {
      const c = await login(u);
      expect((await c.get('/api/admin/sessions')).status).toBe(403);
      expect((await c.post(`/api/admin/sessions/${list[0].id}/end`, {})).status).toBe(403);
    }
    expect((await target.get('/api/auth/me')).status).toBe(200);
    const told = ended(ts);
    expect((await sec.post(`/api/admin/sessions/${list[0].id}/end`, {})).body).toEqual({ ended: 1 });
    expect(await told).toEqual({ reason: 'revoked' });
    expect((await target.get('/api/auth/me')).body.error.code).toBe('SESSION_REVOKED');
    const entry = (await auditActions('auth.session_revoked')).find((e) => e.username === 'secadmin');
    expect(entry?.detail).toContain('150121-leader');
  });

  it('what ends or changes a session or its account shows on the very next request (the lookup is kept in memory)', async () => {
    clock.set(T0);
    const sec = await login('secadmin');
    const sys = await login('sysadmin');
    const idOf = async (u: string) => (await sec.get(`/api/admin/users?q=${u}`)).body.accounts.find((a: { username: string }) => a.username === u).id as number;
    const me = async (c: Client) => (await c.get('/api/auth/me')).body;
    // Logout: the same cookie, sent again by a second tab, is refused at once.
    const a = await login('150124-duty');
    const sameSession = new Client(srv.baseUrl);
    sameSession.cookie = a.cookie;
    expect((await me(sameSession)).user.username).toBe('150124-duty');
    await a.post('/api/auth/logout', {});
    expect((await me(sameSession)).error.code).toBe('AUTH_REQUIRED');
    // Roles, name and unit: the next answer carries the new ones.
    const b = await login('150124-leader');
    const id = await idOf('150124-leader');
    expect((await me(b)).user).toMatchObject({ roles: ['leader'], unitCode: '150124' });
    expect((await sec.post(`/api/admin/users/${id}/roles`, { roles: ['duty_officer'] })).status).toBe(200);
    expect((await me(b)).user.roles).toEqual(['duty_officer']);
    expect((await sys.post(`/api/admin/users/${id}`, { displayName: '清水河县带班领导乙', unitCode: '150123' })).status).toBe(200);
    expect((await me(b)).user).toMatchObject({ displayName: '清水河县带班领导乙', unitCode: '150123' });
    expect((await sys.post(`/api/admin/users/${id}`, { unitCode: '150124' })).status).toBe(200);
    expect((await sec.post(`/api/admin/users/${id}/roles`, { roles: ['leader'] })).status).toBe(200);
    expect((await me(b)).user).toMatchObject({ roles: ['leader'], unitCode: '150124' });
    // The administrator ends all of the user's sessions; then a password reset ends a new one.
    expect((await sec.post(`/api/admin/users/${id}/sessions/end`, {})).status).toBe(200);
    expect((await me(b)).error.code).toBe('SESSION_REVOKED');
    const c = await login('150124-leader');
    expect((await me(c)).user.username).toBe('150124-leader');
    expect((await sec.post('/api/auth/reset', { username: '150124-leader', newPassword: 'Qingshui@2030a' })).status).toBe(200);
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });

  it('the security administrator’s policy applies at once (idle minutes, max sessions) and can be reset', async () => {
    clock.set(T0);
    const sec = await login('secadmin');
    expect((await sec.get('/api/admin/security-policy')).body.policy).toMatchObject({ idleMinutes: 30, maxSessions: 3, updatedBy: null });
    expect((await sec.request('PUT', '/api/admin/security-policy', { idleMinutes: 0, maxSessions: 1 })).body.error.code).toBe('VALIDATION');
    const sys = await login('sysadmin');
    expect((await sys.request('PUT', '/api/admin/security-policy', { idleMinutes: 10, maxSessions: 1 })).status).toBe(403);
    const saved = await sec.request('PUT', '/api/admin/security-policy', { idleMinutes: 10, maxSessions: 1 });
    expect(saved.body.policy).toMatchObject({ idleMinutes: 10, maxSessions: 1, updatedBy: 'secadmin' });
    try {
      const one = await login('150122-duty');
      const two = await login('150122-duty');
      expect((await one.get('/api/auth/me')).body.error.code).toBe('SESSION_EVICTED');
      expect((await two.get('/api/auth/session')).body.idleMinutes).toBe(10);
      clock.advance(11 * MIN);
      expect((await two.get('/api/auth/me')).body.error.code).toBe('SESSION_IDLE');
    } finally {
      const sec2 = await login('secadmin');
      const reset = await sec2.post('/api/admin/security-policy/reset', {});
      expect(reset.body.policy).toMatchObject({ idleMinutes: 30, maxSessions: 3, updatedBy: null });
    }
    const change = await srv.app.ctx.db.selectFrom('audit_log').select('detail').where('action', '=', 'change PUT /api/admin/security-policy').where('status', '=', 200).execute();
    expect(change[0]?.detail).toMatch(/"before":\{"idleMinutes":30/);
  });
});
