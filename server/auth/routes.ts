import { Router, type Request, type Response } from 'express';
import { changePasswordBody, loginBody, passwordProblems, resetPasswordBody } from '../../contract/auth.ts';
import type { AppServices } from '../services.ts';
import { errors } from '../http/errors.ts';
import { parse } from '../http/validate.ts';
import { currentUser, requireUser, sessionToken } from './middleware.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { createSession, deleteSession, deleteUserSessions, hashToken, hasAnyRole, SESSION_COOKIE, SESSION_TTL_MS, toSessionUser } from './sessions.ts';
import { resolveSession } from './sessionCheck.ts';
import { writeAudit } from '../audit/service.ts';
import { clock } from '../clock.ts';
import { beginAttempt, clearAccount, failAttempt, succeedAttempt } from './throttle.ts';
import { enforceSessionLimit, ownSessionRoutes } from './sessionRoutes.ts';
import { checkSecondFactor } from '../certificates/service.ts';
import { ApiError } from '../http/errors.ts';

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword('not-a-real-password'));

const loginSchema = loginBody;
export const remoteEnd = (req: Request) => ({ remote: req.ip ?? null, userAgent: req.get('user-agent') ?? null });

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
      .select(['id', 'username', 'display_name', 'unit_code', 'roles', 'password_hash', 'disabled_at', 'must_change_password'])
      .where('username', '=', username)
      .executeTakeFirst();
    // Unknown users (and new accounts without a password yet) cost one hash too, so response time does not
    // reveal which usernames exist.
    const usable = !!row?.password_hash.startsWith('scrypt$');
    const ok = (await verifyPassword(password, usable ? row!.password_hash : await dummyHash())) && usable;
    if (!row || !ok) {
      const left = await failAttempt(ctx.db, attempt.slots);
      ctx.log.warn({ username, ip, left }, 'login failed');
      await failed(row ? 'password' : 'unknown_user', 401);
      throw errors.authInvalidLeft(left);
    }
    // Told only to whoever knows the password: a disabled account's existence is no secret to its owner.
    if (row.disabled_at) {
      await failed('disabled', 403);
      throw errors.accountDisabled();
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
    const session = await createSession(ctx.db, row.id, remoteEnd(req));
    setCookie(res, session.token);
    ctx.log.info({ username }, 'login');
    const user = toSessionUser(row, ctx.tree);
    const actor = { id: user.id, username: user.username, unitCode: user.unitCode };
    await writeAudit(ctx, {
      actor,
      remote: ip,
      action: 'auth.login',
      target: '/api/auth/login',
      status: 200,
      detail: {
        factors: second.factors,
        ...(second.certificate ? { certificate: second.certificate } : {}),
        ...(second.unenforced ? { twoFactorUnenforced: true } : {}),
        session: session.id,
        userAgent: req.get('user-agent') ?? null,
      },
    });
    const evicted = await enforceSessionLimit(ctx, actor, session);
    res.json({ user, ...(evicted ? { evicted } : {}) });
  });

  r.post('/logout', async (req, res) => {
    const token = sessionToken(req.headers.cookie);
    if (token) {
      // Whose session ended goes into the audit entry of this request (written where routes are mounted).
      const who = await resolveSession(ctx, token);
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

  r.use(ownSessionRoutes(ctx));

  /** Own password change: the old password, then the policy; other sessions of the account end. */
  r.post('/password', requireUser(ctx), async (req, res) => {
    const user = currentUser(res);
    const body = parse(changePasswordBody, req.body);
    const row = await ctx.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    if (!(await verifyPassword(body.oldPassword, row.password_hash))) throw errors.passwordOldWrong();
    const problems = passwordProblems(body.newPassword, user.username);
    if (body.newPassword === body.oldPassword) problems.push('不能与原密码相同');
    if (problems.length) throw errors.passwordWeak(problems);
    await ctx.db.updateTable('users').set({ password_hash: await hashPassword(body.newPassword), password_changed_at: clock.now(), must_change_password: false }).where('id', '=', user.id).execute();
    const token = sessionToken(req.headers.cookie);
    await deleteUserSessions(ctx.db, user.id, token);
    ctx.sessions.endUser(user.id, token ? hashToken(token) : undefined);
    ctx.log.info({ username: user.username }, 'password changed');
    res.json({ ok: true });
  });

  /**
   * Security administrator's reset of an account in their subtree: every session of it ends, its lock lifts,
   * and the next sign-in must choose a new password before anything else (the administrator knew this one).
   */
  r.post('/reset', requireUser(ctx), async (req, res) => {
    const admin = currentUser(res);
    if (!hasAnyRole(admin, ['security_admin'])) throw errors.roleForbidden();
    const body = parse(resetPasswordBody, req.body);
    const target = await ctx.db.selectFrom('users').select(['id', 'username', 'unit_code']).where('username', '=', body.username).executeTakeFirst();
    if (!target || !ctx.tree.isWithin(target.unit_code, admin.unitCode)) throw errors.notFound('用户');
    if (target.id === admin.id) throw errors.adminRule('ADMIN_SELF', '不能重置自己的密码，请在「修改密码」中修改');
    const problems = passwordProblems(body.newPassword, target.username);
    if (problems.length) throw errors.passwordWeak(problems);
    await ctx.db.updateTable('users').set({ password_hash: await hashPassword(body.newPassword), password_changed_at: clock.now(), must_change_password: true }).where('id', '=', target.id).execute();
    await deleteUserSessions(ctx.db, target.id);
    ctx.sessions.endUser(target.id);
    await clearAccount(ctx.db, target.username);
    ctx.log.info({ username: target.username, by: admin.username }, 'password reset by administrator');
    res.json({ ok: true });
  });

  return r;
}
