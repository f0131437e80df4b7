import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { errors } from '../http/errors.ts';
import { parse } from '../http/validate.ts';
import { currentUser, requireUser, sessionToken } from './middleware.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { createSession, deleteSession, SESSION_COOKIE, SESSION_TTL_MS, toSessionUser } from './sessions.ts';

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword('not-a-real-password'));

const loginSchema = z.object({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(200) });

export function authRoutes(ctx: AppContext, opts: { secureCookie: boolean }): Router {
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
    const { username, password } = parse(loginSchema, req.body);
    const row = await ctx.db
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'unit_code', 'roles', 'password_hash'])
      .where('username', '=', username)
      .executeTakeFirst();
    // Unknown users cost one hash too, so response time does not reveal which usernames exist.
    const ok = await verifyPassword(password, row?.password_hash ?? (await dummyHash()));
    if (!row || !ok) {
      ctx.log.warn({ username, ip: req.ip }, 'login failed');
      throw errors.authInvalid();
    }
    setCookie(res, await createSession(ctx.db, row.id));
    ctx.log.info({ username }, 'login');
    res.json({ user: toSessionUser(row, ctx.tree) });
  });

  r.post('/logout', async (req, res) => {
    const token = sessionToken(req.headers.cookie);
    if (token) await deleteSession(ctx.db, token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true });
  });

  r.get('/me', requireUser(ctx), (_req, res) => {
    res.json({ user: currentUser(res) });
  });

  return r;
}
