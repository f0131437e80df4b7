/** Who is who on the wire: roles, org units and the logged-in user (GET /api/auth/me, GET /api/org/tree). */

/**
 * Three separated administrators (三员分立): the system administrator (accounts, units, settings), the security
 * administrator (roles, certificates, policies, password resets) and the audit administrator (reads and exports
 * the audit trail). None of them does business work, reads classified content or signs by virtue of the role.
 */
export const ADMIN_ROLES = ['sys_admin', 'security_admin', 'audit_admin'] as const;
export const ROLES = ['duty_officer', 'leader', 'venue_operator', ...ADMIN_ROLES, 'info_officer', 'editor'] as const;
export type Role = (typeof ROLES)[number];
export type UnitLevel = 1 | 2 | 3;

/** The session's user as the server sends it; `id` is the users row id (a number on both sides). */
export interface User {
  id: number;
  username: string;
  displayName: string;
  unitCode: string;
  unitName: string;
  unitLevel: UnitLevel;
  /** Set for an office's department (a submitting unit below it, no division of its own). */
  unitKind?: 'department';
  roles: Role[];
  /** An administrator reset the password: change it before anything else (the server refuses other calls). */
  mustChangePassword?: true;
}

/** One unit of the org tree with its children (GET /api/org/tree). */
export interface Unit {
  code: string;
  name: string;
  nameEn: string;
  level: UnitLevel;
  parentCode: string | null;
  sortOrder?: number;
  children: Unit[];
}
