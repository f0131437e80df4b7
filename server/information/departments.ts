/**
 * Departments as submitting units (内设机构): an office registers its own departments below itself, each
 * with an information officer and a head who signs off. They then submit to the office like a unit below
 * (receivingOffices uses the parent), see their own items only, and read the office's published issues.
 */
import { sql } from 'kysely';
import type { SessionUser } from '../auth/sessions.ts';
import { hashPassword } from '../auth/password.ts';
import { clock } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { errors } from '../http/errors.ts';
import { passwordProblems } from '../../contract/auth.ts';
import type { DepartmentDto, RegisterDepartmentBody } from '../../contract/informationDepartments.ts';
import type { OrgUnit } from '../org/tree.ts';
import * as repo from './repo.ts';

/** At most 99 departments per office: the code keeps two digits. */
const MAX_DEPARTMENTS = 99;

export class DepartmentService {
  constructor(private readonly ctx: AppContext) {}
  private get db() {
    return this.ctx.db;
  }

  /** The departments of the caller's office, or of an office below it (an editor filtering its inbox). */
  async list(user: SessionUser, officeCode = user.unitCode): Promise<DepartmentDto[]> {
    const tree = this.ctx.tree;
    if (!tree.has(officeCode) || !tree.isWithin(officeCode, user.unitCode)) throw errors.scopeForbidden();
    const depts = tree.departments(officeCode);
    if (!depts.length) return [];
    const users = await this.db
      .selectFrom('users')
      .select(['username', 'display_name', 'roles', 'unit_code'])
      .where('unit_code', 'in', depts.map((d) => d.code))
      .orderBy('id')
      .execute();
    return depts.map((d) => this.dto(d, users.filter((u) => u.unit_code === d.code)));
  }

  /** 登记内设机构: the office's leader or editor; a department registers none of its own. */
  async register(user: SessionUser, b: RegisterDepartmentBody): Promise<DepartmentDto> {
    if (!user.roles.some((r) => r === 'leader' || r === 'editor')) throw errors.roleForbidden();
    const tree = this.ctx.tree;
    const office = tree.get(user.unitCode)!;
    if (tree.isDepartment(office.code)) throw errors.scopeForbidden({ reason: 'a department has no departments' });
    const fullName = b.name.startsWith(office.name) ? b.name : `${office.name}${b.name}`;
    if (tree.departments(office.code).some((d) => d.name === fullName)) throw errors.dutyConflict('INFO_DEPARTMENT_EXISTS', '本单位已登记同名内设机构');
    // Both usernames start with the office's code: a password without it contains neither.
    const problems = passwordProblems(b.initialPassword, office.code);
    if (problems.length) throw errors.passwordWeak(problems);
    const hash = await hashPassword(b.initialPassword);
    const now = clock.now();
    const unit = await this.db.transaction().execute(async (trx) => {
      // Numbers are taken under a lock on the office's row: two registrations at once get 01 and 02.
      await trx.selectFrom('units').select('code').where('code', '=', office.code).forUpdate().execute();
      const taken = await trx.selectFrom('units').select(['code', 'sort_order']).where('parent_code', '=', office.code).where('kind', '=', 'department').execute();
      const number = Math.max(0, ...taken.map((t) => Number(t.code.slice(7)))) + 1;
      if (number > MAX_DEPARTMENTS) throw errors.dutyConflict('INFO_DEPARTMENT_FULL', `每个单位最多登记 ${MAX_DEPARTMENTS} 个内设机构`);
      const code = `${office.code}-${String(number).padStart(2, '0')}`;
      const row = { code, name: fullName, name_en: b.nameEn || `${office.nameEn} department ${number}`, level: office.level, parent_code: office.code, sort_order: 1000 + number, kind: 'department' as const };
      await trx.insertInto('units').values(row).execute();
      const accounts = await trx
        .insertInto('users')
        .values([
          { username: `${code}-info`, display_name: b.officerName, roles: ['info_officer'], unit_code: code, password_hash: hash, phone: b.officerPhone },
          { username: `${code}-leader`, display_name: b.leaderName, roles: ['leader'], unit_code: code, password_hash: hash, phone: null },
        ])
        .returning(['id', 'username'])
        .execute();
      const officer = accounts.find((a) => a.username.endsWith('-info'))!;
      await trx.insertInto('info_officers').values({ unit_code: code, user_id: officer.id, phone: b.officerPhone, named_at: now }).execute();
      // 发送 各处室: the office's publications go to the new department too.
      await sql`update info_publications set distribution = array_append(distribution, ${code}) where office_code = ${office.code} and not ${code} = any(distribution)`.execute(trx);
      await repo.addEvent(trx, { unitCode: office.code, actorId: user.id, action: 'department_registered', detail: { code, name: fullName }, at: now });
      return { code: row.code, name: row.name, nameEn: row.name_en, level: row.level, parentCode: row.parent_code, sortOrder: row.sort_order, kind: row.kind };
    });
    tree.addDepartment(unit);
    return (await this.list(user)).find((d) => d.code === unit.code)!;
  }

  private dto(d: OrgUnit, users: { username: string; display_name: string; roles: string[] }[]): DepartmentDto {
    return {
      code: d.code,
      name: d.name,
      officeCode: d.parentCode!,
      officeName: this.ctx.tree.get(d.parentCode!)?.name ?? '',
      accounts: users
        .filter((u) => u.roles.includes('info_officer') || u.roles.includes('leader'))
        .map((u) => ({ username: u.username, displayName: u.display_name, role: u.roles.includes('leader') ? ('leader' as const) : ('info_officer' as const) })),
    };
  }
}
