/** Demo data: the org tree and one account per role per unit, so every site can be tried at once. */
import type { Kysely } from 'kysely';
import type { Database, Role } from '../../db/schema.ts';
import { hashPassword } from '../auth/password.ts';
import { ORG_TREE, type SeedUnit } from './org-tree.ts';
import { seedDutyDemo } from './duty.ts';
import { clock } from '../clock.ts';
import { seedInformationDemo } from './information.ts';
import { seedDepartmentsDemo } from './departments.ts';

export const DEMO_PASSWORD = 'Demo@2026';

interface FlatUnit {
  code: string;
  name: string;
  name_en: string;
  level: 1 | 2 | 3;
  parent_code: string | null;
  sort_order: number;
}

export function flattenTree(root: SeedUnit): FlatUnit[] {
  const out: FlatUnit[] = [];
  const walk = (u: SeedUnit, level: 1 | 2 | 3, parent: string | null, order: number) => {
    out.push({ code: u.code, name: u.name, name_en: u.nameEn, level, parent_code: parent, sort_order: order });
    u.children?.forEach((c, i) => walk(c, (level + 1) as 2 | 3, u.code, i));
  };
  walk(root, 1, null, 0);
  return out;
}

/** Which demo accounts a unit gets: `${code}-duty`, `${code}-leader`, `${code}-venue`, plus the three administrators (`sysadmin`, `secadmin`, `auditadmin`) at the top. */
export function demoAccountsFor(unit: Pick<FlatUnit, 'code' | 'name' | 'level'>) {
  const accounts: { username: string; display_name: string; roles: Role[] }[] = [
    { username: `${unit.code}-duty`, display_name: `${unit.name}值班员`, roles: ['duty_officer'] },
    { username: `${unit.code}-leader`, display_name: `${unit.name}带班领导`, roles: ['leader'] },
    { username: `${unit.code}-venue`, display_name: `${unit.name}会场管理员`, roles: ['venue_operator'] },
  ];
  // 三员分立: three administrators at the top, none of them a business user.
  if (unit.level === 1) {
    accounts.push(
      { username: 'sysadmin', display_name: '系统管理员', roles: ['sys_admin'] },
      { username: 'secadmin', display_name: '安全保密管理员', roles: ['security_admin'] },
      { username: 'auditadmin', display_name: '安全审计员', roles: ['audit_admin'] },
    );
  }
  return accounts;
}

/** Seeds only an empty database; returns true when it did. */
export async function seedDemo(db: Kysely<Database>): Promise<boolean> {
  const existing = await db.selectFrom('units').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) return false;

  const units = flattenTree(ORG_TREE);
  // One slow hash shared by all demo accounts: ~350 scrypt runs would add half a minute to first start.
  // Real accounts are created one by one, each with its own salt.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('units').values(units).execute();
    const users = units.flatMap((u) =>
      demoAccountsFor(u).map((a) => ({ ...a, unit_code: u.code, password_hash: passwordHash, phone: null })),
    );
    for (let i = 0; i < users.length; i += 200) {
      await trx.insertInto('users').values(users.slice(i, i + 200)).execute();
    }
  });
  // The server's clock (a test may pin it): the demo roster covers the weeks around "now".
  await seedDutyDemo(db, clock.now());
  await seedInformationDemo(db, clock.now());
  await seedDepartmentsDemo(db, clock.now());
  return true;
}
