import type { NextFunction, Request, Response } from 'express';
import { parse as parseCookie } from 'cookie';
import type { AppContext } from '../context.ts';
import { errors } from '../http/errors.ts';
import { resolveSession, SESSION_COOKIE, type SessionUser } from './sessions.ts';

export const sessionToken = (cookieHeader: string | undefined): string | undefined =>
  cookieHeader ? parseCookie(cookieHeader)[SESSION_COOKIE] : undefined;

/** Every /api route except login goes through this: no session, no data. */
export function requireUser(ctx: AppContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const user = await resolveSession(ctx.db, ctx.tree, sessionToken(req.headers.cookie));
    if (!user) throw errors.authRequired();
    res.locals.user = user;
    next();
  };
}

export function currentUser(res: Response): SessionUser {
  const user = res.locals.user as SessionUser | undefined;
  if (!user) throw errors.authRequired();
  return user;
}
