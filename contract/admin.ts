/**
 * The separated administrators' management (三员分立, issue 16): the system administrator's accounts and units,
 * the security administrator's role assignment. Bodies are checked by the server and by the console's forms.
 */
import { z } from 'zod';
import { ADMIN_ROLES, ROLES, type Role } from './org.ts';

const username = z
  .string()
  .trim()
  .min(2)
  .max(50)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, '用户名只能包含字母、数字、点、下划线和连字符');
const displayName = z.string().trim().min(1).max(50);
const unitCode = z.string().trim().regex(/^\d{6}(-\d{2})?$/, '单位代码为六位数字');

/** POST /api/admin/users: a new account has no roles and no usable password until the security administrator acts. */
export const createAccountBody = z.object({ username, displayName, unitCode, phone: z.string().trim().max(30).optional() });
export type CreateAccountBody = z.infer<typeof createAccountBody>;

/** POST /api/admin/users/:id */
export const editAccountBody = z.object({ displayName: displayName.optional(), unitCode: unitCode.optional(), phone: z.string().trim().max(30).nullable().optional() });
export type EditAccountBody = z.infer<typeof editAccountBody>;

/** POST /api/admin/users/:id/roles (security administrator) */
export const assignRolesBody = z.object({ roles: z.array(z.enum(ROLES)).max(ROLES.length) });
export type AssignRolesBody = z.infer<typeof assignRolesBody>;

/** POST /api/admin/units */
export const createUnitBody = z.object({
  code: z.string().trim().regex(/^\d{6}$/, '单位代码为六位数字（GB/T 2260）'),
  name: z.string().trim().min(1).max(60),
  nameEn: z.string().trim().max(120).optional(),
  parentCode: z.string().trim().regex(/^\d{6}$/),
});
export type CreateUnitBody = z.infer<typeof createUnitBody>;

/** POST /api/admin/units/:code: rename and/or move under another parent. */
export const editUnitBody = z.object({ name: z.string().trim().min(1).max(60).optional(), nameEn: z.string().trim().max(120).optional(), parentCode: z.string().trim().regex(/^\d{6}$/).optional() });
export type EditUnitBody = z.infer<typeof editUnitBody>;

export const accountsQuery = z.object({ unit: z.string().trim().max(20).optional(), q: z.string().trim().max(50).optional() });

/** One account as the administrators see it (no password, no business content). */
export interface Account {
  id: number;
  username: string;
  displayName: string;
  unitCode: string;
  unitName: string;
  roles: Role[];
  phone: string | null;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: string;
}

/**
 * 三员分立 for one person's roles: at most one administrator role, and an administrator holds no business role
 * (none of them does business work). The problems, in Chinese; empty: allowed.
 */
export function roleProblems(roles: readonly Role[]): string[] {
  const admin = roles.filter((r) => (ADMIN_ROLES as readonly string[]).includes(r));
  const out: string[] = [];
  if (admin.length > 1) out.push('三员分立：同一人不能兼任两个管理员角色');
  if (admin.length && roles.length > admin.length) out.push('三员分立：管理员不能同时担任业务角色');
  if (new Set(roles).size !== roles.length) out.push('角色重复');
  return out;
}
