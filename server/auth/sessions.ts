import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Role, User } from '../../contract/org.ts';
import type { SessionEndReason } from '../../contract/sessions.ts';
import type { OrgTree } from '../org/tree.ts';
import { clock } from '../clock.ts';
import { sessionPolicy } from './policy.ts';
import { invalidatingAfter } from '../../db/readCache.ts';
import { forgetAllSessions, forgetSessions, sessionTouched } from './sessionCache.ts';

export const SESSION_COOKIE = 'tl_session';
/**
 * A duty shift is 24 h; a session outlives one so a handover never logs anyone out mid-shift. This absolute
 * limit runs on the real clock (a test moving the business clock by months must not end every session);
 * idleness runs on the server clock (server/clock.ts), so tests pin it and advance it.
 */
export const SESSION_TTL_MS = 36 * 3600 * 1000;

/** The logged-in user; the wire form (GET /api/auth/me) is the contract's `User`. */
export type SessionUser = User;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface RemoteEnd {
  remote?: string | null;
  userAgent?: string | null;
}

export async function createSession(db: Kysely<Database>, userId: number, from: RemoteEnd = {}): Promise<{ token: string; tokenHash: string; id: number }> {
  const token = randomBytes(32).toString('base64url');
  const tokenHash = hashToken(token);
  const row = await db
    .insertInto('sessions')
    .values({
      token_hash: tokenHash,
      user_id: userId,
      expires_at: new Date(Date.now() + SESSION_TTL_MS),
      remote: from.remote?.slice(0, 100) ?? null,
      user_agent: from.userAgent?.slice(0, 400) ?? null,
      started_at: clock.now(),
      last_active_at: clock.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { token, tokenHash, id: row.id };
}

/** Ends every session of a user (password reset), or all but one (own password change). */
export async function deleteUserSessions(db: Kysely<Database>, userId: number, exceptToken?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptToken) q = q.where('token_hash', '<>', hashToken(exceptToken));
  // The account changed too (a password, must_change_password): everything kept goes (rare).
  await invalidatingAfter(() => q.execute(), () => forgetAllSessions(db));
}

export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  const tokenHash = hashToken(token);
  await invalidatingAfter(() => db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute(), () => forgetSessions(db, [tokenHash]));
}

/** User activity (a change, or the console's "the user is here" signal) pushes the idle lapse out. */
export async function touchSession(db: Kysely<Database>, tokenHash: string): Promise<void> {
  const at = clock.now();
  try {
    await db.updateTable('sessions').set({ last_active_at: at }).where('token_hash', '=', tokenHash).where('ended_at', 'is', null).execute();
  } catch (e) {
    forgetSessions(db, [tokenHash]);
    throw e;
  }
  sessionTouched(db, tokenHash, at);
}

/** Marks live sessions ended (kept until they expire, so their console learns why); returns their token hashes. */
export async function endSessionsWhere(
  db: Kysely<Database>,
  reason: SessionEndReason,
  which: { ids?: number[]; userId?: number; exceptHash?: string },
): Promise<string[]> {
  if (which.ids && !which.ids.length) return [];
  let q = db.updateTable('sessions').set({ ended_at: clock.now(), end_reason: reason }).where('ended_at', 'is', null).where('expires_at', '>', new Date());
  if (which.ids) q = q.where('id', 'in', which.ids);
  if (which.userId !== undefined) q = q.where('user_id', '=', which.userId);
  if (which.exceptHash) q = q.where('token_hash', '<>', which.exceptHash);
  try {
    const hashes = (await q.returning('token_hash').execute()).map((r) => r.token_hash);
    forgetSessions(db, hashes);
    return hashes;
  } catch (e) {
    forgetAllSessions(db); // which rows a failed (or unconfirmed) write ended is unknown
    throw e;
  }
}

export interface LiveSessionRow {
  id: number;
  token_hash: string;
  user_id: number;
  username: string;
  display_name: string;
  unit_code: string;
  remote: string | null;
  user_agent: string | null;
  started_at: Date;
  last_active_at: Date;
}

/** Live sessions (not ended, not expired, not idle), most recently active first. */
export async function liveSessions(db: Kysely<Database>, which: { userId?: number; username?: string; ids?: number[] } = {}): Promise<LiveSessionRow[]> {
  const policy = await sessionPolicy(db);
  let q = db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id', 'sessions.token_hash', 'sessions.user_id', 'users.username', 'users.display_name', 'users.unit_code', 'sessions.remote', 'sessions.user_agent', 'sessions.started_at', 'sessions.last_active_at'])
    .where('sessions.ended_at', 'is', null)
    .where('sessions.expires_at', '>', new Date());
  if (policy.idleMinutes > 0) q = q.where('sessions.last_active_at', '>=', new Date(clock.now().getTime() - policy.idleMinutes * 60_000));
  if (which.userId !== undefined) q = q.where('sessions.user_id', '=', which.userId);
  if (which.username) q = q.where('users.username', '=', which.username);
  if (which.ids) q = q.where('sessions.id', 'in', which.ids.length ? which.ids : [-1]);
  return q.orderBy('sessions.last_active_at', 'desc').orderBy('sessions.id', 'desc').limit(500).execute();
}

export function toSessionUser(
  row: { id: number; username: string; display_name: string; unit_code: string; roles: Role[]; must_change_password?: boolean },
  tree: OrgTree,
): SessionUser {
  const unit = tree.get(row.unit_code);
  if (!unit) throw new Error(`user ${row.username} belongs to unknown unit ${row.unit_code}`);
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    unitCode: unit.code,
    unitName: unit.name,
    unitLevel: unit.level,
    ...(unit.kind === 'department' ? { unitKind: 'department' as const } : {}),
    roles: row.roles,
    ...(row.must_change_password ? { mustChangePassword: true as const } : {}),
  };
}

export const hasAnyRole = (user: SessionUser, roles: readonly Role[]) => user.roles.some((r) => roles.includes(r));
