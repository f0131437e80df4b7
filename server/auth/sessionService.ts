/** Session decisions: the concurrent limit, status for the idle warning, listing and ending sessions. */
import type { SessionEndReason, SessionInfo, SessionStatus } from '../../contract/sessions.ts';
import type { AppServices } from '../services.ts';
import { writeAudit, type AuditActor } from '../audit/service.ts';
import { clock } from '../clock.ts';
import { endSessionsWhere, liveSessions, type LiveSessionRow } from './sessions.ts';
import { sessionPolicy, warnSecondsFor } from './policy.ts';

type Ctx = Pick<AppServices, 'db' | 'log' | 'sessions' | 'tree'>;

/**
 * Per-user limit of concurrent sessions: a new sign-in evicts the least recently active ones beyond it.
 * Why evict rather than refuse: a duty officer whose browser crashed, or who moved to the duty room's PC,
 * must be able to sign in at once to take an urgent report — refusing would lock them out until the old
 * sessions lapse. The evicted console is told plainly (with the new session's address in the audit trail),
 * so a stolen password shows itself to the rightful user instead of silently sharing the account.
 */
export async function enforceSessionLimit(ctx: Ctx, actor: AuditActor, kept: { id: number; tokenHash: string }): Promise<number> {
  const { maxSessions } = await sessionPolicy(ctx.db);
  if (maxSessions <= 0) return 0;
  const live = (await liveSessions(ctx.db, { userId: actor.id })).filter((s) => s.id !== kept.id);
  const over = live.slice(Math.max(0, maxSessions - 1));
  if (!over.length) return 0;
  const hashes = await endSessionsWhere(ctx.db, 'evicted', { ids: over.map((s) => s.id) });
  ctx.sessions.endSessions(hashes, 'evicted');
  await writeAudit(ctx, { actor, action: 'auth.session_evicted', target: over.map((s) => `session ${s.id}`).join(','), status: 200, detail: { maxSessions, by: kept.id, evicted: over.map((s) => ({ id: s.id, remote: s.remote, lastActiveAt: s.last_active_at.toISOString() })) } });
  return hashes.length;
}

export async function sessionStatus(ctx: Pick<Ctx, 'db'>, tokenHash: string): Promise<SessionStatus> {
  const policy = await sessionPolicy(ctx.db);
  const row = await ctx.db.selectFrom('sessions').select('last_active_at').where('token_hash', '=', tokenHash).executeTakeFirst();
  const now = clock.now();
  const idleExpiresAt = policy.idleMinutes > 0 && row ? new Date(row.last_active_at.getTime() + policy.idleMinutes * 60_000).toISOString() : null;
  return { now: now.toISOString(), idleExpiresAt, idleMinutes: policy.idleMinutes, warnSeconds: warnSecondsFor(policy.idleMinutes) };
}

export const toSessionInfo = (s: LiveSessionRow, currentId?: number): SessionInfo => ({
  id: s.id,
  username: s.username,
  displayName: s.display_name,
  unitCode: s.unit_code,
  remote: s.remote,
  userAgent: s.user_agent,
  startedAt: s.started_at.toISOString(),
  lastActiveAt: s.last_active_at.toISOString(),
  current: s.id === currentId,
});

/** Ends the given live sessions (their sockets too) and records which, by whom, in one audit entry. */
export async function endSessions(ctx: Ctx, by: AuditActor, rows: LiveSessionRow[], reason: SessionEndReason, why: string): Promise<number> {
  if (!rows.length) return 0;
  const hashes = await endSessionsWhere(ctx.db, reason, { ids: rows.map((s) => s.id) });
  ctx.sessions.endSessions(hashes, reason);
  await writeAudit(ctx, { actor: by, action: 'auth.session_revoked', target: rows.map((s) => `session ${s.id}`).join(','), status: 200, detail: { why, sessions: rows.map((s) => ({ id: s.id, username: s.username, remote: s.remote })) } });
  return hashes.length;
}
