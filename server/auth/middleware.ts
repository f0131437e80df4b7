import type { NextFunction, Request, Response } from 'express';
import { parse as parseCookie } from 'cookie';
import type { AppContext } from '../context.ts';
import { errors } from '../http/errors.ts';
import { checkSession } from './sessionCheck.ts';
import { SESSION_COOKIE, touchSession, type SessionUser } from './sessions.ts';

export const sessionToken = (cookieHeader: string | undefined): string | undefined =>
  cookieHeader ? parseCookie(cookieHeader)[SESSION_COOKIE] : undefined;

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every /api route except login goes through this: no session, no data. A session that ended says why
 * (idle, evicted, revoked, disabled: the console shows it on the login page).
 *
 * What counts as the user's activity (idle timeout): a state-changing request, which a person caused, and
 * POST /api/auth/activity, which the console sends only after real keyboard/pointer input. Reads never do:
 * the console polls and refreshes on its own, and a forgotten poller must not keep a session alive forever
 * — the safe default is "not activity" unless a human act says otherwise.
 */
export function requireUser(ctx: AppContext, opts: { enforcePasswordChange?: boolean } = {}) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const s = await checkSession(ctx, sessionToken(req.headers.cookie));
    if (!s) throw errors.authRequired();
    if (s.state === 'ended') throw errors.sessionEnded(s.reason);
    // After an administrator's reset, nothing but the account's own password change (under /api/auth).
    if (opts.enforcePasswordChange && s.user.mustChangePassword) throw errors.passwordChangeRequired();
    res.locals.user = s.user;
    res.locals.sessionId = s.sessionId;
    res.locals.sessionHash = s.tokenHash;
    if (!READS.has(req.method)) await touchSession(ctx.db, s.tokenHash);
    next();
  };
}

export function currentUser(res: Response): SessionUser {
  const user = res.locals.user as SessionUser | undefined;
  if (!user) throw errors.authRequired();
  return user;
}

export function currentSessionId(res: Response): number {
  return res.locals.sessionId as number;
}
