/**
 * The audit trail (issue 16) against the real server on both databases: sign-ins and failures, changes with
 * before/after, classified reads and exports are recorded with who, unit, server time and address; the
 * application's role can only append; a row altered through a superuser connection is named by verification
 * (GET /api/audit/verify and the command's function alike).
 */
process.env.TEST_CLOCK = '1';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, suiteClients, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { clock } from '../../server/clock.ts';
import { verifyAudit } from '../../server/audit/service.ts';

// Not today's date: half a minute before New Year in Beijing.
const T0 = '2031-12-31T23:59:30+08:00';
clock.set(T0);

describe.each(testDatabases())('audit trail ($name)', (tdb) => {
  let srv: TestServer;
  const { login, closeAll } = suiteClients(() => srv.baseUrl);
  const entries = (q = '') => login('auditadmin').then((a) => a.get(`/api/audit?pageSize=200&from=${encodeURIComponent(new Date(T0).toISOString())}${q}`));

  beforeAll(async () => {
    srv = await startTestServer(await tdb.open());
  }, 300_000);
  afterAll(async () => {
    closeAll();
    await srv?.close();
  });

  it('records sign-ins and failures, changes with before/after, classified reads and exports', async () => {
    const anon = new Client(srv.baseUrl);
    expect((await anon.post('/api/auth/login', { username: '150102-duty', password: 'Wrong@2031' })).status).toBe(401);
    expect((await anon.post('/api/auth/login', { username: 'no-such-user', password: 'Wrong@2031' })).status).toBe(401);
    const duty = await login('150102-duty');
    const leader = await login('150102-leader');

    const draft = await duty.post('/api/reports', { requestId: randomUUID(), title: '涉密审计测试', eventTime: new Date(clock.now().getTime() - 60_000).toISOString(), place: '新城区', grade: 3, classification: 2, summary: '涉密内容', action: 'draft' });
    expect(draft.status).toBe(201);
    expect((await leader.get(`/api/reports/${draft.body.report.id}`)).body.report.redacted).toBe(false);
    const sys = await login('sysadmin');
    const rules = (await sys.get('/api/reports/rules')).body;
    expect((await sys.post('/api/reports/rules', { rules: rules.rules, ...rules.settings, warnMinutes: 20 })).status).toBe(200);
    const xlsx = await fetch(`${srv.baseUrl}/api/audit/export.xlsx`, { headers: { cookie: (await login('auditadmin')).cookie } });
    expect([xlsx.status, xlsx.headers.get('content-type'), (await xlsx.arrayBuffer()).byteLength > 1000]).toEqual([200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', true]);

    const { body } = await entries();
    const by = (action: string) => body.entries.filter((e: { action: string }) => e.action === action);
    expect(by('auth.login_failed').map((e: { username: string; detail: { reason: string } }) => [e.username, e.detail.reason]).sort()).toEqual([
      ['150102-duty', 'password'],
      ['no-such-user', 'unknown_user'],
    ]);
    expect(by('auth.login').find((e: { username: string }) => e.username === '150102-leader')).toMatchObject({ unitCode: '150102', unitName: '新城区', remote: '127.0.0.1', status: 200 });
    const created = by('change POST /api/reports/')[0];
    expect(created).toMatchObject({ username: '150102-duty', unitCode: '150102', status: 201, target: '/api/reports' });
    expect(Date.parse(created.at)).toBeGreaterThanOrEqual(Date.parse(T0)); // server time, the pinned clock
    expect(created.detail.body).toMatchObject({ title: '涉密审计测试', classification: 2 });
    expect(by('read GET /api/reports/:id')[0]).toMatchObject({ username: '150102-leader', detail: { read: [{ kind: 'report', id: draft.body.report.id, classification: 2 }] } });
    const changed = by('change POST /api/reports/rules')[0];
    expect(changed.detail.before.settings.warnMinutes).not.toBe(20);
    expect(changed.detail.after.settings.warnMinutes).toBe(20);
    expect(by('export GET /api/audit/export.xlsx')[0]).toMatchObject({ username: 'auditadmin', status: 200 });
    // Secrets never reach the trail.
    expect(JSON.stringify(body)).not.toContain('Wrong@2031');
    expect(JSON.stringify(body)).not.toContain('Demo@2026');
  });

  it('lets the application only append; even a superuser is refused by the trigger', async () => {
    const { db } = srv.app.ctx;
    // The application's connections work as the restricted role (SET ROLE, on PGlite and Postgres alike).
    expect((await sql<{ r: string }>`select current_user as r`.execute(db)).rows[0]!.r).toBe('tl_app');
    await expect(sql`update audit_log set action = 'x'`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/permission denied/);
    await db.connection().execute(async (c) => {
      await sql`reset role`.execute(c);
      try {
        await expect(sql`update audit_log set action = 'x'`.execute(c)).rejects.toThrow(/append-only/);
        await expect(sql`delete from audit_log`.execute(c)).rejects.toThrow(/append-only/);
      } finally {
        await sql`set role tl_app`.execute(c);
      }
    });
    expect(await verifyAudit(db)).toMatchObject({ ok: true, broken: null });
  });

  it('names the row a superuser altered behind the trigger', async () => {
    const { db } = srv.app.ctx;
    const victim = (await entries('&username=150102-leader')).body.entries.at(-1) as { id: string };
    await db.connection().execute(async (c) => {
      await sql`reset role`.execute(c);
      try {
        await sql`set session_replication_role = replica`.execute(c); // triggers off: what a superuser could do
        await sql`update audit_log set remote = '10.66.66.66' where id = ${victim.id}`.execute(c);
      } finally {
        await sql`set session_replication_role = origin`.execute(c);
        await sql`set role tl_app`.execute(c);
      }
    });
    const verdict = await verifyAudit(db, 7); // small batches: the walk crosses batch boundaries
    expect(verdict).toMatchObject({ ok: false, broken: { id: victim.id, reason: 'HASH' } });
    expect(verdict.checked).toBe(Number((await sql<{ n: string }>`select count(*) as n from audit_log where id < ${victim.id}`.execute(db)).rows[0]!.n));
    const api = await (await login('auditadmin')).get('/api/audit/verify');
    expect(api.body).toMatchObject({ ok: false, broken: { id: victim.id, reason: 'HASH' } });
  });
});
