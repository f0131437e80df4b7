import { Router, type Response } from 'express';
import { changePasswordBody, loginBody, passwordProblems, resetPasswordBody } from '../../contract/auth.ts';
import type { AppServices } from '../services.ts';
import { errors } from '../http/errors.ts';
import { parse } from '../http/validate.ts';
import { currentUser, requireUser, sessionToken } from './middleware.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { createSession, deleteSession, deleteUserSessions, hashToken, hasAnyRole, resolveSession, SESSION_COOKIE, SESSION_TTL_MS, toSessionUser } from './sessions.ts';
import { writeAudit } from '../audit/service.ts';
import { beginAttempt, clearAccount, failAttempt, succeedAttempt } from './throttle.ts';
import { checkSecondFactor } from '../certificates/service.ts';
import { ApiError } from '../http/errors.ts';

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword('not-a-real-password'));

const loginSchema = loginBody;

export function authRoutes(ctx: AppServices, opts: { secureCookie: boolean }): Router {
  const r = Router();
  const setCookie = (res: Response, token: string) =>
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secureCookie,
      maxAge: SESSION_TTL_MS,
      path: '/',
    });

  r.post('/login', async (req, res) => {
    const { username, password, ukey } = parse(loginSchema, req.body);
    const ip = req.ip ?? 'unknown';
    // Refused before scrypt while the account or the address is locked (V9).
    const attempt = await beginAttempt(ctx.db, username, ip);
    const failed = (reason: string, status: number) => writeAudit(ctx, { username, remote: ip, action: 'auth.login_failed', target: '/api/auth/login', status, detail: { reason } });
    if (!attempt.ok) {
      ctx.log.warn({ username, ip }, 'login refused: locked');
      await failed('locked', 429);
      throw errors.authLocked(attempt.retryAfterMin);
    }
    const row = await ctx.db
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'unit_code', 'roles', 'password_hash'])
      .where('username', '=', username)
      .executeTakeFirst();
    // Unknown users cost one hash too, so response time does not reveal which usernames exist.
    const ok = await verifyPassword(password, row?.password_hash ?? (await dummyHash()));
    if (!row || !ok) {
      const left = await failAttempt(ctx.db, attempt.slots);
      ctx.log.warn({ username, ip, left }, 'login failed');
      await failed(row ? 'password' : 'unknown_user', 401);
      throw errors.authInvalidLeft(left);
    }
    // Certificate + password where the policy asks for two factors (server/certificates); a refused
    // certificate counts as a failed attempt, so the lock also bounds tries with a known password.
    const second = await checkSecondFactor(ctx, req, row, ukey).catch(async (e: unknown) => {
      if (!(e instanceof ApiError)) throw e;
      await failAttempt(ctx.db, attempt.slots);
      ctx.log.warn({ username, ip, code: e.code }, 'login refused: certificate');
      await failed(e.code, e.status);
      throw e;
    });
    await succeedAttempt(ctx.db, attempt.slots);
    setCookie(res, await createSession(ctx.db, row.id));
    ctx.log.info({ username }, 'login');
    const user = toSessionUser(row, ctx.tree);
    await writeAudit(ctx, { actor: { id: user.id, username: user.username, unitCode: user.unitCode }, remote: ip, action: 'auth.login', target: '/api/auth/login', status: 200, detail: { factors: second.factors, ...(second.certificate ? { certificate: second.certificate } : {}), ...(second.unenforced ? { twoFactorUnenforced: true } : {}) } });
    res.json({ user });
  });

  r.post('/logout', async (req, res) => {
    const token = sessionToken(req.headers.cookie);
    if (token) {
      // Whose session ended goes into the audit entry of this request (written where routes are mounted).
      const who = await resolveSession(ctx.db, ctx.tree, token);
      if (who) res.locals.user = who;
      await deleteSession(ctx.db, token);
      ctx.sessions.endSession(hashToken(token)); // its sockets end with it (V6)
    }
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true });
  });

  r.get('/me', requireUser(ctx), (_req, res) => {
    res.json({ user: currentUser(res) });
  });

  /** Own password change: the old password, then the policy; other sessions of the account end. */
  r.post('/password', requireUser(ctx), async (req, res) => {
    const user = currentUser(res);
    const body = parse(changePasswordBody, req.body);
    const row = await ctx.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    if (!(await verifyPassword(body.oldPassword, row.password_hash))) throw errors.passwordOldWrong();
    const problems = passwordProblems(body.newPassword, user.username);
    if (body.newPassword === body.oldPassword) problems.push('不能与原密码相同');
    if (problems.length) throw errors.passwordWeak(problems);
    await ctx.db.updateTable('users').set({ password_hash: await hashPassword(body.newPassword), password_changed_at: new Date() }).where('id', '=', user.id).execute();
    const token = sessionToken(req.headers.cookie);
    await deleteUserSessions(ctx.db, user.id, token);
    ctx.sessions.endUser(user.id, token ? hashToken(token) : undefined);
    ctx.log.info({ username: user.username }, 'password changed');
    res.json({ ok: true });
  });

  /** Administrator's reset of an account in their subtree: every session of it ends, its lock lifts. */
  r.post('/reset', requireUser(ctx), async (req, res) => {
    const admin = currentUser(res);
    if (!hasAnyRole(admin, ['security_admin'])) throw errors.roleForbidden();
    const body = parse(resetPasswordBody, req.body);
    const target = await ctx.db.selectFrom('users').select(['id', 'username', 'unit_code']).where('username', '=', body.username).executeTakeFirst();
    if (!target || !ctx.tree.isWithin(target.unit_code, admin.unitCode)) throw errors.notFound('用户');
    const problems = passwordProblems(body.newPassword, target.username);
    if (problems.length) throw errors.passwordWeak(problems);
    await ctx.db.updateTable('users').set({ password_hash: await hashPassword(body.newPassword), password_changed_at: new Date() }).where('id', '=', target.id).execute();
    await deleteUserSessions(ctx.db, target.id);
    ctx.sessions.endUser(target.id);
    await clearAccount(ctx.db, target.username);
    ctx.log.info({ username: target.username, by: admin.username }, 'password reset by administrator');
    res.json({ ok: true });
  });

  return r;
}
