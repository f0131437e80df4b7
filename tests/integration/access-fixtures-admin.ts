/** Administration data the access matrix acts on: an account made by the system administrator, two sessions to end. */
import { Client } from '../helpers/app.ts';

export interface AdminFixtures {
  /** An account of 新城区 (no roles yet) the administrators act on. */
  account: number;
  /** A session of 150123-leader (its owner ends it) and one of 150123-venue (the security administrator ends it). */
  ownSession: number;
  otherSession: number;
}

export async function makeAdminFixtures(baseUrl: string, as: (u: string) => Promise<Client>, ok: <T extends { status: number; body: any }>(r: T, what: string) => T): Promise<AdminFixtures> {
  const sys = await as('sysadmin');
  const account = ok(await sys.post('/api/admin/users', { username: 'matrix-account', displayName: '矩阵账号', unitCode: '150102' }), 'account').body.account.id as number;
  const sessionOf = async (u: string) => {
    const c = await Client.login(baseUrl, u);
    const id = (ok(await c.get('/api/auth/sessions'), 'sessions').body.sessions as { id: number; current: boolean }[]).find((s) => s.current)!.id;
    c.close();
    return id;
  };
  return { account, ownSession: await sessionOf('150123-leader'), otherSession: await sessionOf('150123-venue') };
}
