/**
 * /api/admin: the separated administrators' work (三员分立). System administrator: accounts and units.
 * Security administrator: roles, the session policy and everyone's sessions (password resets: /api/auth/reset).
 * The audit administrator has nothing here. Every change is audited where routes are mounted (with before/after).
 */
import { Router } from 'express';
import { accountsQuery, assignRolesBody, createAccountBody, createUnitBody, editAccountBody, editUnitBody } from '../../contract/admin.ts';
import { adminSessionsQuery, sessionPolicyBody } from '../../contract/sessions.ts';
import type { AppServices } from '../services.ts';
import { noteAudit } from '../audit/middleware.ts';
import { currentSessionId, currentUser } from '../auth/middleware.ts';
import { resetSessionPolicy, saveSessionPolicy, sessionPolicy } from '../auth/policy.ts';
import { hasAnyRole, liveSessions, type SessionUser } from '../auth/sessions.ts';
import { endSessions, toSessionInfo } from '../auth/sessionService.ts';
import { errors } from '../http/errors.ts';
import { idParam, parse } from '../http/validate.ts';
import { adminService } from './service.ts';

const securityOnly = (u: SessionUser) => {
  if (!hasAnyRole(u, ['security_admin'])) throw errors.roleForbidden();
};
const unitParam = (code: string | undefined) => {
  if (!code || !/^\d{6}$/.test(code)) throw errors.notFound('单位');
  return code;
};

export function adminRoutes(ctx: AppServices): Router {
  const r = Router();
  const svc = adminService(ctx);

  // ---- accounts (system administrator; the security administrator lists them to assign roles)
  r.get('/users', async (req, res) => {
    res.json({ accounts: await svc.listAccounts(currentUser(res), parse(accountsQuery, req.query)) });
  });
  r.post('/users', async (req, res) => {
    const account = await svc.createAccount(currentUser(res), parse(createAccountBody, req.body));
    noteAudit(res, { after: account });
    res.json({ account });
  });
  r.post('/users/:id', async (req, res) => {
    const { before, after } = await svc.editAccount(currentUser(res), idParam(req.params.id, '用户'), parse(editAccountBody, req.body));
    noteAudit(res, { before, after });
    res.json({ account: after });
  });
  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    r.post(`/users/:id/${path}`, async (req, res) => {
      const account = await svc.setDisabled(currentUser(res), idParam(req.params.id, '用户'), disabled);
      noteAudit(res, { after: { username: account.username, disabled } });
      res.json({ account });
    });
  }
  // ---- roles (security administrator)
  r.post('/users/:id/roles', async (req, res) => {
    const { before, after } = await svc.assignRoles(currentUser(res), idParam(req.params.id, '用户'), parse(assignRolesBody, req.body));
    noteAudit(res, { before: { username: before.username, roles: before.roles }, after: { roles: after.roles } });
    res.json({ account: after });
  });

  // ---- units (system administrator; the tree itself is GET /api/org/tree)
  r.post('/units', async (req, res) => {
    const unit = await svc.createUnit(currentUser(res), parse(createUnitBody, req.body));
    noteAudit(res, { after: unit });
    res.json({ unit });
  });
  r.post('/units/:code', async (req, res) => {
    const { before, after } = await svc.editUnit(currentUser(res), unitParam(req.params.code), parse(editUnitBody, req.body));
    noteAudit(res, { before, after });
    res.json({ unit: after });
  });

  // ---- session policy and everyone's sessions (security administrator)
  r.get('/security-policy', async (_req, res) => {
    securityOnly(currentUser(res));
    res.json({ policy: await sessionPolicy(ctx.db) });
  });
  r.put('/security-policy', async (req, res) => {
    const admin = currentUser(res);
    securityOnly(admin);
    const body = parse(sessionPolicyBody, req.body);
    const before = await sessionPolicy(ctx.db);
    const policy = await saveSessionPolicy(ctx.db, body, admin.username);
    noteAudit(res, { before, after: policy });
    res.json({ policy });
  });
  r.post('/security-policy/reset', async (_req, res) => {
    securityOnly(currentUser(res));
    const before = await sessionPolicy(ctx.db);
    const policy = await resetSessionPolicy(ctx.db);
    noteAudit(res, { before, after: policy });
    res.json({ policy });
  });
  r.get('/sessions', async (req, res) => {
    const admin = currentUser(res);
    securityOnly(admin);
    const q = parse(adminSessionsQuery, req.query);
    const rows = (await liveSessions(ctx.db, { username: q.username || undefined })).filter((s) => ctx.tree.isWithin(s.unit_code, admin.unitCode));
    res.json({ sessions: rows.map((s) => toSessionInfo(s, currentSessionId(res))) });
  });
  r.post('/sessions/:id/end', async (req, res) => {
    const admin = currentUser(res);
    securityOnly(admin);
    const rows = (await liveSessions(ctx.db, { ids: [idParam(req.params.id, '会话')] })).filter((s) => ctx.tree.isWithin(s.unit_code, admin.unitCode));
    if (!rows.length) throw errors.notFound('会话');
    const ended = await endSessions(ctx, { id: admin.id, username: admin.username, unitCode: admin.unitCode }, rows, 'revoked', 'security administrator');
    noteAudit(res, { before: { session: rows[0]!.id, username: rows[0]!.username, remote: rows[0]!.remote } });
    res.json({ ended });
  });
  r.post('/users/:id/sessions/end', async (req, res) => {
    const admin = currentUser(res);
    securityOnly(admin);
    const id = idParam(req.params.id, '用户');
    const rows = (await liveSessions(ctx.db, { userId: id })).filter((s) => ctx.tree.isWithin(s.unit_code, admin.unitCode) && s.id !== currentSessionId(res));
    const ended = await endSessions(ctx, { id: admin.id, username: admin.username, unitCode: admin.unitCode }, rows, 'revoked', 'security administrator: all of a user');
    noteAudit(res, { after: { userId: id, ended } });
    res.json({ ended });
  });
  return r;
}
