/**
 * Issue 8, the web edge: V6 a session's sockets end with it; V7 cross-site requests and non-JSON bodies are
 * refused (uploads need X-Requested-With), on HTTP and on the socket handshake; V8 security headers;
 * V9 login throttling per account and per address in the database, password change and admin reset.
 */
process.env.TEST_CLOCK = '1';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PASSWORD } from '../../server/seed/demo.ts';
import { createApp } from '../../server/app.ts';
import { clock } from '../../server/clock.ts';
import { LOGIN_MAX_FAILURES } from '../../server/auth/throttle.ts';
import { SESSION_TTL_MS } from '../../server/auth/sessions.ts';
import { Client, request, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const EVIL = 'http://evil.example';

describe.each(testDatabases())('web edge ($name)', (tdb) => {
  let srv: TestServer;
  const clients: Client[] = [];
  const login = async (u: string, password = DEMO_PASSWORD) => {
    const c = await Client.login(srv.baseUrl, u, password);
    clients.push(c);
    return c;
  };
  const raw = async (path: string, init: { method?: string; headers?: Record<string, string>; body?: BodyInit }) => {
    const res = await fetch(srv.baseUrl + path, { method: init.method ?? 'POST', headers: init.headers, body: init.body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };
  const loginFrom = (ip: string, username: string, password: string, base = srv.baseUrl) =>
    fetch(base + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ username, password }) }).then(
      async (r) => ({ status: r.status, body: await r.json() }),
    );
  const disconnected = (s: ReturnType<typeof ioClient>) => new Promise<void>((resolve) => (s.disconnected ? resolve() : s.once('disconnect', () => resolve())));

  beforeAll(async () => {
    srv = await startTestServer(await tdb.open());
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await srv?.close();
    clock.reset();
  });

  it('V6: logout ends the session\'s sockets; an expired session\'s socket is ended and cannot come back', async () => {
    const c = await login('150102-duty');
    const s = await c.socket();
    const other = await (await login('150102-duty')).socket(); // another session of the same user stays
    await c.post('/api/auth/logout', {});
    await disconnected(s);
    expect(other.connected).toBe(true);

    const e = await login('150103-duty');
    const es = await e.socket();
    // Expiry runs on the real clock: the process's Date moves past the session's lifetime (timers stay real).
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    try {
      vi.setSystemTime(Date.now() + SESSION_TTL_MS + 60_000);
      await srv.app.ctx.sessions.sweep();
      await disconnected(es);
      await expect(e.socket()).rejects.toMatchObject({ message: 'AUTH_REQUIRED' });
      expect((await e.get('/api/auth/me')).status).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });

  it('V7: a cross-site form cannot sign a report, a cross-site upload is refused, a foreign socket is refused', async () => {
    const duty = await login('150104-duty');
    const leader = await login('150104-leader');
    const sub = await duty.post('/api/reports', {
      requestId: randomUUID(),
      title: '跨站测试',
      eventTime: new Date(clock.now().getTime() - 60_000).toISOString(),
      place: '某地',
      grade: 4,
      summary: '内容',
      action: 'submit',
    });
    const id = sub.body.report.id;
    const form = { 'content-type': 'application/x-www-form-urlencoded', cookie: leader.cookie };
    expect((await raw(`/api/reports/${id}/sign`, { headers: { ...form, origin: EVIL }, body: 'comment=ok' })).body.error.code).toBe('CROSS_SITE');
    expect((await raw(`/api/reports/${id}/sign`, { headers: { ...form, 'sec-fetch-site': 'cross-site' }, body: 'comment=ok' })).status).toBe(403);
    expect((await raw(`/api/reports/${id}/sign`, { headers: form, body: 'comment=ok' })).body.error.code).toBe('JSON_REQUIRED');
    expect((await duty.get(`/api/reports/${id}`)).body.report.state).toBe('pending_signoff');
    // The console's own request (same origin, JSON) signs.
    const own = await raw(`/api/reports/${id}/sign`, { headers: { 'content-type': 'application/json', cookie: leader.cookie, origin: srv.baseUrl, 'sec-fetch-site': 'same-origin' }, body: '{}' });
    expect(own.status).toBe(200);

    const draft = (await duty.post('/api/reports', { requestId: randomUUID(), title: '附件', eventTime: new Date(clock.now().getTime() - 60_000).toISOString(), place: '某地', grade: 4, summary: '内容', action: 'draft' })).body.report;
    const upload = (h: Record<string, string>) => raw(`/api/reports/${draft.id}/attachments?filename=a.txt`, { headers: { 'content-type': 'text/plain', cookie: duty.cookie, ...h }, body: 'hello' });
    expect((await upload({ origin: EVIL, 'x-requested-with': 'XMLHttpRequest' })).body.error.code).toBe('CROSS_SITE');
    expect((await upload({})).body.error.code).toBe('UPLOAD_HEADER_REQUIRED');
    expect((await upload({ origin: srv.baseUrl, 'x-requested-with': 'XMLHttpRequest' })).status).toBe(201);
    expect((await duty.get(`/api/reports/${draft.id}`)).body.report.attachments).toHaveLength(1);

    const foreign = ioClient(srv.baseUrl, { transports: ['websocket'], extraHeaders: { cookie: duty.cookie, origin: EVIL }, reconnection: false });
    await expect(new Promise((resolve, reject) => (foreign.once('connect', () => resolve('connected')), foreign.once('connect_error', reject)))).rejects.toBeTruthy();
    foreign.close();
    const polling = ioClient(srv.baseUrl, { transports: ['polling'], extraHeaders: { cookie: duty.cookie, origin: EVIL }, reconnection: false });
    await expect(new Promise((resolve, reject) => (polling.once('connect', () => resolve('connected')), polling.once('connect_error', reject)))).rejects.toBeTruthy();
    polling.close();
    const mine = ioClient(srv.baseUrl, { transports: ['websocket'], extraHeaders: { cookie: duty.cookie, origin: srv.baseUrl }, reconnection: false });
    await new Promise((resolve, reject) => (mine.once('connect', () => resolve(1)), mine.once('connect_error', reject)));
    mine.close();
  });

  it('V8: security headers on every response; HSTS only over HTTPS', async () => {
    const res = await fetch(srv.baseUrl + '/api/auth/me');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    const behindTls = await fetch(srv.baseUrl + '/healthz', { headers: { 'x-forwarded-proto': 'https' } });
    expect(behindTls.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it('V9: an account locks after 5 wrong passwords, with the tries left shown, before scrypt; other accounts are not affected', async () => {
    const ip = '10.8.0.1';
    const left: number[] = [];
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
      const r = await loginFrom(ip, '150105-leader', 'Wrong@2026');
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('AUTH_INVALID');
      left.push(r.body.error.details.attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    const locked = await loginFrom(ip, '150105-leader', DEMO_PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatchObject({ code: 'AUTH_LOCKED', details: { retryAfterMin: 15 } });
    expect(locked.body.error.message).toContain('15 分钟后再试');
    // From another address too (the account is locked), while another account logs in from the same address.
    expect((await loginFrom('10.8.0.9', '150105-leader', DEMO_PASSWORD)).status).toBe(429);
    expect((await loginFrom(ip, '150105-duty', DEMO_PASSWORD)).status).toBe(200);

    // The counter is in the database: a second server process (or a restarted one) refuses as well.
    const second = await createApp({ dbHandle: { ...srv.app.ctx, kind: 'pglite', useAppRole: async () => undefined, close: async () => undefined } as never, pool: srv.pool, log: pino({ level: 'silent' }), sessionDefaults: { idleMinutes: 0, maxSessions: 0 } });
    const port = await second.listen(0, '127.0.0.1');
    expect((await loginFrom(ip, '150105-leader', DEMO_PASSWORD, `http://127.0.0.1:${port}`)).status).toBe(429);
    await second.close();
    second.server.close();

    clock.advance(16 * 60_000);
    expect((await loginFrom(ip, '150105-leader', DEMO_PASSWORD)).status).toBe(200);
  });

  it('V9: parallel guesses cannot outrun the count; an address is throttled across accounts', async () => {
    const tries = await Promise.all(Array.from({ length: 12 }, () => loginFrom('10.8.1.1', '150121-leader', 'Wrong@2026')));
    expect(tries.filter((t) => t.status === 401)).toHaveLength(LOGIN_MAX_FAILURES);
    expect(tries.filter((t) => t.status === 429)).toHaveLength(12 - LOGIN_MAX_FAILURES);

    const ip = '10.8.2.2';
    const users = ['150122', '150123', '150124', '150125', '150200', '150202'].flatMap((u) => [`${u}-duty`, `${u}-leader`, `${u}-venue`, `${u}-duty2`, `${u}-x`]);
    for (const u of users) await loginFrom(ip, u, 'Wrong@2026'); // 30 failures, at most 4 per account
    expect((await loginFrom(ip, '150203-duty', DEMO_PASSWORD)).status).toBe(429);
    expect((await loginFrom('10.8.2.3', '150203-duty', DEMO_PASSWORD)).status).toBe(200);
  }, 180_000); // ~40 scrypt runs (each refused one also writes its audit entry) on a loaded 2-core machine

  it('V9: password change needs the old password and the policy, and ends the other sessions; an admin resets and unlocks', async () => {
    const a = await login('150202-leader');
    const b = await login('150202-leader');
    const bs = await b.socket();
    expect((await a.post('/api/auth/password', { oldPassword: 'nope', newPassword: 'Better@2027' })).body.error.code).toBe('PASSWORD_OLD_WRONG');
    const weak = await a.post('/api/auth/password', { oldPassword: DEMO_PASSWORD, newPassword: 'abcdefgh' });
    expect(weak.body.error).toMatchObject({ code: 'PASSWORD_WEAK' });
    expect(weak.body.error.message).toContain('至少三类');
    expect((await a.post('/api/auth/password', { oldPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD })).body.error.message).toContain('不能与原密码相同');
    expect((await a.post('/api/auth/password', { oldPassword: DEMO_PASSWORD, newPassword: 'Better@2027' })).status).toBe(200);
    expect((await a.get('/api/auth/me')).status).toBe(200);
    expect((await b.get('/api/auth/me')).status).toBe(401);
    await disconnected(bs);
    await expect(Client.login(srv.baseUrl, '150202-leader')).rejects.toThrow(/401/);
    await login('150202-leader', 'Better@2027');

    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) await loginFrom('10.8.3.3', '150203-leader', 'Wrong@2026');
    expect((await loginFrom('10.8.3.3', '150203-leader', DEMO_PASSWORD)).status).toBe(429);
    const county = await login('150203-duty');
    expect((await county.post('/api/auth/reset', { username: '150203-leader', newPassword: 'Reset@2027x' })).status).toBe(403);
    const admin = await login('secadmin');
    expect((await admin.post('/api/auth/reset', { username: 'nobody-here', newPassword: 'Reset@2027x' })).status).toBe(404);
    expect((await admin.post('/api/auth/reset', { username: '150203-leader', newPassword: 'short' })).body.error.code).toBe('PASSWORD_WEAK');
    expect((await admin.post('/api/auth/reset', { username: '150203-leader', newPassword: 'Reset@2027x' })).status).toBe(200);
    expect((await loginFrom('10.8.3.3', '150203-leader', 'Reset@2027x')).status).toBe(200);
  });
});

void request;
