/**
 * Account, unit and role management of the separated administrators (三员分立): the system administrator
 * keeps accounts and units, the security administrator assigns roles. Each decision checks the role here,
 * not only in the route, and only within the administrator's own subtree.
 */
import { ADMIN_ROLES, type Role } from '../../contract/org.ts';
import { roleProblems, type Account, type AssignRolesBody, type CreateAccountBody, type CreateUnitBody, type EditAccountBody, type EditUnitBody } from '../../contract/admin.ts';
import type { AppServices } from '../services.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { hasAnyRole, liveSessions } from '../auth/sessions.ts';
import { endSessions } from '../auth/sessionService.ts';
import { errors } from '../http/errors.ts';
import * as repo from './repo.ts';
import { moveProblem, newUnitLevel } from './rules.ts';

type Ctx = Pick<AppServices, 'db' | 'tree' | 'log' | 'sessions'>;
type Row = NonNullable<Awaited<ReturnType<typeof repo.accountById>>>;

const isAdminRole = (r: Role) => (ADMIN_ROLES as readonly Role[]).includes(r);
const actor = (u: SessionUser) => ({ id: u.id, username: u.username, unitCode: u.unitCode });

export function adminService(ctx: Ctx) {
  const need = (u: SessionUser, role: Role) => {
    if (!hasAnyRole(u, [role])) throw errors.roleForbidden();
  };
  const toAccount = (r: Row): Account => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    unitCode: r.unit_code,
    unitName: ctx.tree.get(r.unit_code)?.name ?? r.unit_code,
    roles: r.roles,
    phone: r.phone,
    disabled: !!r.disabled_at,
    mustChangePassword: r.must_change_password,
    createdAt: r.created_at.toISOString(),
  });
  /** An account in the administrator's subtree, or not found (never "exists elsewhere"). */
  const accountIn = async (admin: SessionUser, id: number): Promise<Row> => {
    const r = await repo.accountById(ctx.db, id);
    if (!r || !ctx.tree.isWithin(r.unit_code, admin.unitCode)) throw errors.notFound('用户');
    return r;
  };
  const unitIn = (admin: SessionUser, code: string | undefined) => {
    const u = code ? ctx.tree.get(code) : undefined;
    if (!u || !ctx.tree.isWithin(u.code, admin.unitCode)) throw errors.notFound('单位');
    return u;
  };
  /** The committed units become the tree every module holds (scope checks, meetings, reports). */
  const reloadTree = async () => ctx.tree.replaceAll(await unitsOf());
  const unitsOf = async () => (await repo.allUnits(ctx.db)).map((r) => ({ code: r.code, name: r.name, nameEn: r.name_en, level: r.level, parentCode: r.parent_code, sortOrder: r.sort_order, kind: r.kind }));

  return {
    /** Both the system and the security administrator list accounts (one keeps them, the other assigns roles). */
    async listAccounts(admin: SessionUser, q: { unit?: string; q?: string }): Promise<Account[]> {
      if (!hasAnyRole(admin, ['sys_admin', 'security_admin'])) throw errors.roleForbidden();
      const base = q.unit ? unitIn(admin, q.unit).code : admin.unitCode;
      const codes = [...ctx.tree.subtree(base), ...ctx.tree.subtree(base).flatMap((u) => ctx.tree.departments(u.code))].map((u) => u.code);
      return (await repo.findAccounts(ctx.db, { unitCodes: ctx.tree.isDepartment(base) ? [base] : codes, q: q.q })).map(toAccount);
    },

    async createAccount(admin: SessionUser, b: CreateAccountBody): Promise<Account> {
      need(admin, 'sys_admin');
      unitIn(admin, b.unitCode);
      if (await repo.accountByName(ctx.db, b.username)) throw errors.adminRule('USERNAME_TAKEN', '用户名已存在');
      const id = await repo.insertAccount(ctx.db, { username: b.username, displayName: b.displayName, unitCode: b.unitCode, phone: b.phone || null });
      return toAccount((await repo.accountById(ctx.db, id))!);
    },

    async editAccount(admin: SessionUser, id: number, b: EditAccountBody): Promise<{ before: Account; after: Account }> {
      need(admin, 'sys_admin');
      const row = await accountIn(admin, id);
      if (b.unitCode !== undefined) unitIn(admin, b.unitCode);
      await repo.updateAccount(ctx.db, id, { ...(b.displayName !== undefined ? { display_name: b.displayName } : {}), ...(b.unitCode !== undefined ? { unit_code: b.unitCode } : {}), ...(b.phone !== undefined ? { phone: b.phone || null } : {}) });
      // Live connections carry the old unit (rooms): they reconnect with the new one.
      if (b.unitCode !== undefined && b.unitCode !== row.unit_code) ctx.sessions.endUser(id);
      return { before: toAccount(row), after: toAccount((await repo.accountById(ctx.db, id))!) };
    },

    /** Disable or enable; accounts are never deleted (their reports, sign-offs and audit entries stay theirs). */
    async setDisabled(admin: SessionUser, id: number, disabled: boolean): Promise<Account> {
      need(admin, 'sys_admin');
      const row = await accountIn(admin, id);
      if (row.id === admin.id) throw errors.adminRule('ADMIN_SELF', '不能停用自己的账号');
      // 三员分立: the system administrator cannot silence the security or audit administrator.
      if (row.roles.some(isAdminRole)) throw errors.adminRule('ADMIN_PROTECTED', '管理员账号不能由系统管理员停用');
      await repo.updateAccount(ctx.db, id, { disabled_at: disabled ? new Date() : null });
      if (disabled) await endSessions(ctx, actor(admin), await liveSessions(ctx.db, { userId: id }), 'disabled', 'account disabled');
      return toAccount((await repo.accountById(ctx.db, id))!);
    },

    /** 三员分立: never two administrator roles for one person, no business role beside one, never one's own. */
    async assignRoles(admin: SessionUser, id: number, b: AssignRolesBody): Promise<{ before: Account; after: Account }> {
      need(admin, 'security_admin');
      const row = await accountIn(admin, id);
      if (row.id === admin.id) throw errors.adminRule('ADMIN_SELF', '不能修改自己的角色');
      const problems = roleProblems(b.roles);
      if (problems.length) throw errors.adminRule('ROLE_SEPARATION', problems.join('；'), { problems });
      for (const r of row.roles.filter((x) => isAdminRole(x) && !b.roles.includes(x))) {
        if ((await repo.othersWithRole(ctx.db, r, id)) === 0) throw errors.adminRule('ADMIN_LAST', '至少须保留一名该类管理员');
      }
      await repo.updateAccount(ctx.db, id, { roles: b.roles });
      ctx.sessions.endUser(id); // live connections reconnect with the new roles
      return { before: toAccount(row), after: toAccount((await repo.accountById(ctx.db, id))!) };
    },

    async createUnit(admin: SessionUser, b: CreateUnitBody) {
      need(admin, 'sys_admin');
      const parent = unitIn(admin, b.parentCode);
      const lv = newUnitLevel(parent);
      if ('problem' in lv) throw errors.adminRule('UNIT_LEVEL', lv.problem);
      if (ctx.tree.has(b.code)) throw errors.adminRule('UNIT_CODE_TAKEN', '单位代码已存在');
      await repo.insertUnit(ctx.db, { code: b.code, name: b.name, nameEn: b.nameEn || b.name, level: lv.level, parentCode: parent.code, sortOrder: (await repo.maxSiblingOrder(ctx.db, parent.code)) + 1 });
      await reloadTree();
      return ctx.tree.get(b.code)!;
    },

    async editUnit(admin: SessionUser, code: string, b: EditUnitBody) {
      need(admin, 'sys_admin');
      const unit = unitIn(admin, code);
      if (unit.kind === 'department') throw errors.notFound('单位');
      const before = { ...unit };
      const set: Parameters<typeof repo.updateUnit>[2] = {};
      if (b.name !== undefined) set.name = b.name;
      if (b.nameEn !== undefined) set.name_en = b.nameEn;
      if (b.parentCode !== undefined && b.parentCode !== unit.parentCode) {
        const p = moveProblem(ctx.tree, unit, ctx.tree.get(b.parentCode));
        if (p) throw errors.adminRule(p.code, p.message);
        unitIn(admin, b.parentCode);
        set.parent_code = b.parentCode;
        set.sort_order = (await repo.maxSiblingOrder(ctx.db, b.parentCode)) + 1;
      }
      await repo.updateUnit(ctx.db, code, set);
      await reloadTree();
      return { before, after: ctx.tree.get(code)! };
    },
  };
}
