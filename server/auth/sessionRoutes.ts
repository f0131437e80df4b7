/**
 * A user's own sessions (under /api/auth): the idle status the console's warning counts down to, the
 * activity signal, the list with remote ends, "sign out this session" and "sign out all others".
 */
import { Router } from 'express';
import type { AppServices } from '../services.ts';
import { errors } from '../http/errors.ts';
import { idParam } from '../http/validate.ts';
import { currentSessionId, currentUser, requireUser } from './middleware.ts';
import { liveSessions } from './sessions.ts';
import { endSessions, sessionStatus, toSessionInfo } from './sessionService.ts';
import { noteAudit } from '../audit/middleware.ts';

export { enforceSessionLimit } from './sessionService.ts';

export function ownSessionRoutes(ctx: AppServices): Router {
  const r = Router();
  const actorOf = (u: ReturnType<typeof currentUser>) => ({ id: u.id, username: u.username, unitCode: u.unitCode });

  // A read: never counts as activity (the console asks before it warns).
  r.get('/session', requireUser(ctx), async (_req, res) => {
    res.json(await sessionStatus(ctx, res.locals.sessionHash as string));
  });
  // The console sends this only after real keyboard or pointer input (requireUser touched the session).
  r.post('/activity', requireUser(ctx), async (_req, res) => {
    res.json(await sessionStatus(ctx, res.locals.sessionHash as string));
  });

  r.get('/sessions', requireUser(ctx), async (_req, res) => {
    const user = currentUser(res);
    const rows = await liveSessions(ctx.db, { userId: user.id });
    res.json({ sessions: rows.map((s) => toSessionInfo(s, currentSessionId(res))) });
  });

  r.post('/sessions/end-others', requireUser(ctx), async (_req, res) => {
    const user = currentUser(res);
    const rows = (await liveSessions(ctx.db, { userId: user.id })).filter((s) => s.id !== currentSessionId(res));
    const ended = await endSessions(ctx, actorOf(user), rows, 'revoked', 'own: sign out all others');
    noteAudit(res, { after: { ended: rows.map((s) => s.id) } });
    res.json({ ended });
  });

  r.post('/sessions/:id/end', requireUser(ctx), async (req, res) => {
    const user = currentUser(res);
    const id = idParam(req.params.id);
    const rows = await liveSessions(ctx.db, { userId: user.id, ids: [id] });
    if (!rows.length) throw errors.notFound('会话');
    const ended = await endSessions(ctx, actorOf(user), rows, 'revoked', 'own: sign out this session');
    noteAudit(res, { before: { session: id, remote: rows[0]!.remote } });
    res.json({ ended });
  });
  return r;
}
