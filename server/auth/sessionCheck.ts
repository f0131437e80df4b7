/**
 * The session behind a request's token (apart from sessions.ts, which the socket types import, so the audit
 * trail it writes to creates no import circle).
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.ts';
import type { SessionEndReason } from '../../contract/sessions.ts';
import type { OrgTree } from '../org/tree.ts';
import { clock } from '../clock.ts';
import { writeAudit } from '../audit/service.ts';
import { isIdle, sessionPolicy } from './policy.ts';
import { endSessionsWhere, hashToken, toSessionUser, type SessionUser } from './sessions.ts';
import { sessionRow } from './sessionCache.ts';

type Deps = { db: Kysely<Database>; tree: OrgTree; log: Logger };

export type SessionCheck =
  | { state: 'ok'; user: SessionUser; tokenHash: string; expiresAt: Date; sessionId: number }
  | { state: 'ended'; reason: SessionEndReason; tokenHash: string };

/**
 * The session behind a token: live, ended (and why: the console says so), or unknown. A session found idle
 * here is ended on the spot and audited once (whoever notices first: a request, a handshake or the sweep).
 */
export async function checkSession(deps: Deps, token: string | undefined): Promise<SessionCheck | null> {
  if (!token) return null;
  const tokenHash = hashToken(token);
  const row = await sessionRow(deps.db, tokenHash);
  if (!row || row.expires_at.getTime() <= Date.now()) return null;
  if (row.ended_at) return { state: 'ended', reason: (row.end_reason as SessionEndReason | null) ?? 'revoked', tokenHash };
  if (row.disabled_at) return { state: 'ended', reason: 'disabled', tokenHash };
  const policy = await sessionPolicy(deps.db);
  if (isIdle(row.last_active_at, clock.now(), policy.idleMinutes)) {
    if ((await endSessionsWhere(deps.db, 'idle', { ids: [row.session_id] })).length) {
      await writeAudit(deps, { actor: { id: row.id, username: row.username, unitCode: row.unit_code }, remote: row.remote, action: 'auth.session_idle', target: `session ${row.session_id}`, status: 401, detail: { idleMinutes: policy.idleMinutes, lastActiveAt: row.last_active_at.toISOString() } });
    }
    return { state: 'ended', reason: 'idle', tokenHash };
  }
  return { state: 'ok', user: toSessionUser(row, deps.tree), tokenHash, expiresAt: row.expires_at, sessionId: row.session_id };
}

export async function resolveSession(deps: Deps, token: string | undefined): Promise<SessionUser | null> {
  const s = await checkSession(deps, token);
  return s?.state === 'ok' ? s.user : null;
}
