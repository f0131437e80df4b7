/**
 * Account, unit and role management of the separated administrators (三员分立, issue 16), on the real server:
 * the system administrator keeps accounts and units (a unit created at run time is in the tree every check
 * uses; a move that makes a cycle is refused), the security administrator assigns roles (never two
 * administrator roles to one person) and resets passwords (forcing a change), and none does another's work.
 */
process.env.TEST_CLOCK = '1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestServer, type TestServer } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { clock } from '../../server/clock.ts';
import { DEMO_PASSWORD } from '../../server/seed/demo.ts';

clock.set('2029-12-31T23:40:00+08:00');

describe.each(testDatabases())('administrators ($name)', (tdb) => {
  let srv: TestServer;
  const clients: Client[] = [];
  const login = async (u: string, password = DEMO_PASSWORD) => {
    const c = await Client.login(srv.baseUrl, u, password);
    clients.push(c);
    return c;
  };
  const findUnit = (n: { code: string; children: any[] }, code: string): any => (n.code === code ? n : n.children.map((c) => findUnit(c, code)).find(Boolean));

  beforeAll(async () => {
    srv = await startTestServer(await tdb.open());
  }, 300_000);
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await srv?.close();
  });

  it('units: created at run time, it is in the tree and in meeting scope; renamed; moved; cycles and level breaks refused', async () => {
    const sys = await login('sysadmin');
    const created = await sys.post('/api/admin/units', { code: '150199', name: '测试新区', parentCode: '150100' });
    expect(created.status).toBe(200);
    expect(created.body.unit).toMatchObject({ code: '150199', level: 3, parentCode: '150100' });
    expect((await sys.post('/api/admin/units', { code: '150199', name: '重复', parentCode: '150100' })).body.error.code).toBe('UNIT_CODE_TAKEN');
    expect((await sys.post('/api/admin/units', { code: '150198', name: '过深', parentCode: '150102' })).body.error.code).toBe('UNIT_LEVEL');
    const leader = await login('150100-leader');
    expect(findUnit((await leader.get('/api/org/tree')).body.root, '150199')).toMatchObject({ name: '测试新区' });
    // The city convenes its counties, the new one among them (scope checks and org order see it).
    const m = await leader.post('/api/meetings', { title: '新区测试会', scope: { kind: 'cityWithCounties', cityCode: '150100' } });
    expect(m.status).toBe(201);
    expect(m.body.meeting.units.map((u: { code: string }) => u.code)).toContain('150199');

    expect((await sys.post('/api/admin/units/150199', { name: '测试新区（更名）' })).body.unit.name).toBe('测试新区（更名）');
    // A city under one of its own counties: a cycle.
    const cycle = await sys.post('/api/admin/units/150100', { parentCode: '150199' });
    expect(cycle.status).toBe(409);
    expect(cycle.body.error).toMatchObject({ code: 'UNIT_CYCLE' });
    expect(cycle.body.error.message).toContain('循环');
    expect((await sys.post('/api/admin/units/150199', { parentCode: '150000' })).body.error.code).toBe('UNIT_LEVEL');
    expect((await sys.post('/api/admin/units/150000', { parentCode: '150100' })).body.error.code).toBe('UNIT_ROOT');
    expect((await sys.post('/api/admin/units/150199', { parentCode: '150200' })).body.unit.parentCode).toBe('150200');
    // Now 包头市's: 呼和浩特市 can no longer address it.
    const outside = await leader.post('/api/meetings', { title: '越权', scope: { kind: 'units', unitCodes: ['150199'] } });
    expect(outside.status).toBe(403);
    expect(findUnit((await leader.get('/api/org/tree')).body.root, '150200').children.map((c: { code: string }) => c.code)).toContain('150199');

    for (const u of ['secadmin', 'auditadmin', '150000-leader']) {
      const c = await login(u);
      expect((await c.post('/api/admin/units', { code: '150197', name: '越权', parentCode: '150100' })).status).toBe(403);
      expect((await c.post('/api/admin/units/150199', { name: '越权' })).status).toBe(403);
    }
  });

  it('accounts: sysadmin creates one in a unit, secadmin gives it a role and resets its password, the user must change it', async () => {
    const sys = await login('sysadmin');
    const sec = await login('secadmin');
    const made = await sys.post('/api/admin/users', { username: 'xq-duty', displayName: '新区值班员', unitCode: '150102' });
    expect(made.status).toBe(200);
    expect(made.body.account).toMatchObject({ username: 'xq-duty', roles: [], disabled: false, unitName: '新城区' });
    expect((await sys.post('/api/admin/users', { username: 'xq-duty', displayName: 'x', unitCode: '150102' })).body.error.code).toBe('USERNAME_TAKEN');
    expect((await sys.post('/api/admin/users', { username: 'xq 2', displayName: 'x', unitCode: '150102' })).body.error.code).toBe('VALIDATION');
    const id = made.body.account.id;
    // Without a password from the security administrator nobody can sign in with it.
    expect((await new Client(srv.baseUrl).post('/api/auth/login', { username: 'xq-duty', password: '!' })).status).toBe(401);

    // 三员分立: the system administrator neither assigns roles nor resets passwords; the security one creates no accounts.
    expect((await sys.post(`/api/admin/users/${id}/roles`, { roles: ['duty_officer'] })).status).toBe(403);
    expect((await sys.post('/api/auth/reset', { username: 'xq-duty', newPassword: 'Xinqu@2030a' })).status).toBe(403);
    expect((await sec.post('/api/admin/users', { username: 'xq-2', displayName: 'x', unitCode: '150102' })).status).toBe(403);
    expect((await sec.post(`/api/admin/users/${id}`, { displayName: '改名' })).status).toBe(403);

    expect((await sec.post(`/api/admin/users/${id}/roles`, { roles: ['sys_admin', 'audit_admin'] })).body.error.code).toBe('ROLE_SEPARATION');
    expect((await sec.post(`/api/admin/users/${id}/roles`, { roles: ['security_admin', 'leader'] })).body.error.code).toBe('ROLE_SEPARATION');
    expect((await sec.post(`/api/admin/users/${id}/roles`, { roles: ['duty_officer'] })).body.account.roles).toEqual(['duty_officer']);
    expect((await sec.post('/api/auth/reset', { username: 'xq-duty', newPassword: 'Xinqu@2030a' })).status).toBe(200);

    const user = new Client(srv.baseUrl);
    const first = await user.post('/api/auth/login', { username: 'xq-duty', password: 'Xinqu@2030a' });
    expect(first.body.user).toMatchObject({ username: 'xq-duty', mustChangePassword: true, roles: ['duty_officer'] });
    const blocked = await user.get('/api/reports');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await user.post('/api/auth/password', { oldPassword: 'Xinqu@2030a', newPassword: 'Mine@2030bb' })).status).toBe(200);
    expect((await user.get('/api/auth/me')).body.user.mustChangePassword).toBeUndefined();
    expect((await user.get('/api/reports')).status).toBe(200);

    // Edit name and unit; the list shows it; disable ends its sessions and refuses sign-in; enable again.
    expect((await sys.post(`/api/admin/users/${id}`, { displayName: '新区值班员甲', unitCode: '150103' })).body.account).toMatchObject({ displayName: '新区值班员甲', unitCode: '150103' });
    expect((await sys.get('/api/admin/users?unit=150103')).body.accounts.map((a: { username: string }) => a.username)).toContain('xq-duty');
    expect((await sec.get('/api/admin/users?q=xq-duty')).body.accounts).toHaveLength(1);
    expect((await sys.post(`/api/admin/users/${id}/disable`, {})).body.account.disabled).toBe(true);
    expect((await user.get('/api/auth/me')).body.error.code).toBe('ACCOUNT_DISABLED');
    const refused = await new Client(srv.baseUrl).post('/api/auth/login', { username: 'xq-duty', password: 'Mine@2030bb' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('停用');
    expect((await sys.post(`/api/admin/users/${id}/enable`, {})).body.account.disabled).toBe(false);
    await login('xq-duty', 'Mine@2030bb');

    // The administrators' own accounts: the system administrator cannot silence the others, nobody edits their own roles.
    const secId = (await sys.get('/api/admin/users?q=secadmin')).body.accounts[0].id;
    expect((await sys.post(`/api/admin/users/${secId}/disable`, {})).body.error.code).toBe('ADMIN_PROTECTED');
    expect((await sec.post(`/api/admin/users/${secId}/roles`, { roles: [] })).body.error.code).toBe('ADMIN_SELF');
    const audit = await login('auditadmin');
    expect((await audit.get('/api/admin/users')).status).toBe(403);
    expect((await (await login('150102-leader')).get('/api/admin/users')).status).toBe(403);

    const changes = await srv.app.ctx.db.selectFrom('audit_log').select(['action', 'username', 'detail']).where('action', 'like', 'change POST /api/admin/users%').execute();
    expect(changes.find((c) => c.action === 'change POST /api/admin/users/:id/roles' && c.username === 'secadmin' && c.detail?.includes('"after":{"roles":["duty_officer"]}'))).toBeTruthy();
  });
});
