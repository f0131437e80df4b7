/**
 * Access rows of the administrators' routes (三员分立) and one's own sessions: each administrator does only its
 * own work; the other two and business roles are refused.
 */
import type { HttpRule } from './access-types.ts';

const C = '150102';
const others = (...who: string[]) => who.map((as) => ({ as, expect: [403] }));
const sysOnly = ['secadmin', 'auditadmin', '150000-leader', `${C}-duty`];
const secOnly = ['sysadmin', 'auditadmin', '150000-leader', `${C}-duty`];

export const ADMIN_RULES: HttpRule[] = [
  // ---- one's own sessions
  { route: 'GET /api/auth/session', who: 'any session (its own idle status)', allow: [{ as: `${C}-duty`, expect: [200] }], deny: [], denyNote: 'acts on the caller\'s own session only' },
  { route: 'POST /api/auth/activity', who: 'any session (its own activity)', allow: [{ as: `${C}-duty`, expect: [200] }], deny: [], denyNote: 'acts on the caller\'s own session only' },
  { route: 'GET /api/auth/sessions', who: 'any session (its own user\'s sessions)', allow: [{ as: `${C}-duty`, expect: [200] }], deny: [{ as: '150202-duty', expect: [200], mustNotSee: () => '150102-duty' }] },
  { route: 'POST /api/auth/sessions/end-others', who: 'any session (its own user\'s other sessions)', allow: [{ as: '150123-duty', expect: [200] }], deny: [], denyNote: 'acts on the caller\'s own sessions only' },
  { route: 'POST /api/auth/sessions/:id/end', who: 'the session\'s own user', allow: [{ as: '150123-leader', url: (f) => `/api/auth/sessions/${f.admin.ownSession}/end`, expect: [200] }], deny: [{ as: '150123-duty', url: (f) => `/api/auth/sessions/${f.admin.ownSession}/end`, expect: [404] }, { as: 'secadmin', url: (f) => `/api/auth/sessions/${f.admin.ownSession}/end`, expect: [404] }] },

  // ---- accounts (system administrator; listing also the security administrator)
  { route: 'GET /api/admin/users', who: 'system and security administrator', allow: [{ as: 'sysadmin', expect: [200] }, { as: 'secadmin', url: () => '/api/admin/users?q=matrix', expect: [200] }], deny: others('auditadmin', '150000-leader', `${C}-leader`) },
  { route: 'POST /api/admin/users', who: 'system administrator', allow: [{ as: 'sysadmin', body: () => ({ username: 'matrix-new', displayName: '矩阵新账号', unitCode: C }), expect: [200] }], deny: sysOnly.map((as) => ({ as, body: () => ({ username: 'matrix-deny', displayName: 'x', unitCode: C }), expect: [403] })) },
  { route: 'POST /api/admin/users/:id', who: 'system administrator', allow: [{ as: 'sysadmin', url: (f) => `/api/admin/users/${f.admin.account}`, body: () => ({ displayName: '矩阵账号甲' }), expect: [200] }], deny: sysOnly.map((as) => ({ as, url: (f) => `/api/admin/users/${f.admin.account}`, body: () => ({ displayName: 'x' }), expect: [403] })) },
  { route: 'POST /api/admin/users/:id/disable', who: 'system administrator', allow: [{ as: 'sysadmin', url: (f) => `/api/admin/users/${f.admin.account}/disable`, expect: [200] }], deny: sysOnly.map((as) => ({ as, url: (f) => `/api/admin/users/${f.admin.account}/disable`, expect: [403] })) },
  { route: 'POST /api/admin/users/:id/enable', who: 'system administrator', allow: [{ as: 'sysadmin', url: (f) => `/api/admin/users/${f.admin.account}/enable`, expect: [200] }], deny: sysOnly.map((as) => ({ as, url: (f) => `/api/admin/users/${f.admin.account}/enable`, expect: [403] })) },
  { route: 'POST /api/admin/users/:id/roles', who: 'security administrator', allow: [{ as: 'secadmin', url: (f) => `/api/admin/users/${f.admin.account}/roles`, body: () => ({ roles: ['venue_operator'] }), expect: [200] }], deny: secOnly.map((as) => ({ as, url: (f) => `/api/admin/users/${f.admin.account}/roles`, body: () => ({ roles: ['leader'] }), expect: [403] })) },
  { route: 'POST /api/admin/users/:id/sessions/end', who: 'security administrator', allow: [{ as: 'secadmin', url: (f) => `/api/admin/users/${f.admin.account}/sessions/end`, expect: [200] }], deny: secOnly.map((as) => ({ as, url: (f) => `/api/admin/users/${f.admin.account}/sessions/end`, expect: [403] })) },

  // ---- units (system administrator)
  { route: 'POST /api/admin/units', who: 'system administrator', allow: [{ as: 'sysadmin', body: () => ({ code: '150196', name: '矩阵新区', parentCode: '150100' }), expect: [200] }], deny: sysOnly.map((as) => ({ as, body: () => ({ code: '150195', name: 'x', parentCode: '150100' }), expect: [403] })) },
  { route: 'POST /api/admin/units/:code', who: 'system administrator', allow: [{ as: 'sysadmin', url: () => '/api/admin/units/150196', body: () => ({ name: '矩阵新区（更名）' }), expect: [200, 404] }], deny: sysOnly.map((as) => ({ as, url: () => '/api/admin/units/150102', body: () => ({ name: 'x' }), expect: [403] })) },

  // ---- session policy and everyone's sessions (security administrator)
  { route: 'GET /api/admin/security-policy', who: 'security administrator', allow: [{ as: 'secadmin', expect: [200] }], deny: others(...secOnly) },
  { route: 'PUT /api/admin/security-policy', who: 'security administrator', allow: [{ as: 'secadmin', body: () => ({ idleMinutes: 480, maxSessions: 20 }), expect: [200] }], deny: secOnly.map((as) => ({ as, body: () => ({ idleMinutes: 480, maxSessions: 20 }), expect: [403] })) },
  { route: 'POST /api/admin/security-policy/reset', who: 'security administrator', allow: [{ as: 'secadmin', expect: [200] }], deny: others(...secOnly) },
  { route: 'GET /api/admin/sessions', who: 'security administrator', allow: [{ as: 'secadmin', expect: [200] }], deny: others(...secOnly) },
  { route: 'POST /api/admin/sessions/:id/end', who: 'security administrator', allow: [{ as: 'secadmin', url: (f) => `/api/admin/sessions/${f.admin.otherSession}/end`, expect: [200] }], deny: secOnly.map((as) => ({ as, url: (f) => `/api/admin/sessions/${f.admin.otherSession}/end`, expect: [403] })) },
];
