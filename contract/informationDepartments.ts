/**
 * Wire types of departments as submitting units (内设机构, migration 010): an office registers its own
 * departments (the region bureau's 社会救助处, a city bureau's 办公室 …) with two accounts each — an
 * information officer `<code>-info` and the department's head `<code>-leader`, who signs its items off.
 */
import { z } from 'zod';

/** An office's department: its office's six-digit code, a hyphen and a two-digit number (150000-01). */
export const DEPARTMENT_CODE = /^[0-9]{6}-[0-9]{2}$/;
export const isDepartmentCode = (code: string) => DEPARTMENT_CODE.test(code);

/** POST /api/information/departments — the office's leader or editor registers a department below it. */
export const registerDepartmentBody = z.object({
  name: z.string().trim().min(2).max(30),
  nameEn: z.string().trim().max(80).default(''),
  /** Names the department's information officer (实名制) and gives both accounts this first password. */
  officerName: z.string().trim().min(2).max(30),
  officerPhone: z.string().regex(/^[0-9+\- ]{5,20}$/),
  leaderName: z.string().trim().min(2).max(30),
  initialPassword: z.string().min(1).max(200),
});
export type RegisterDepartmentBody = z.infer<typeof registerDepartmentBody>;

export interface DepartmentDto {
  code: string;
  /** The full name, office first (呼和浩特市办公室). */
  name: string;
  officeCode: string;
  officeName: string;
  accounts: { username: string; displayName: string; role: 'info_officer' | 'leader' }[];
}
